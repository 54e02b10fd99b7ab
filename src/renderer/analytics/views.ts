// Saved views of the analytics posts table: a name, the filters and the sort (issue 9, "saved
// views"). Owner: the renderer (Dexie `analyticsViews`); the analytics UI lists, saves, deletes.
import { z } from 'zod';
import { ColonnadeError } from '../../shared/errors';
import type { ColonnadeDb } from '../db/database';
import { AnalyticsFilterSchema, AnalyticsSortSchema } from './query';

export const AnalyticsViewSchema = z.object({
  id: z.string().min(1).max(200),
  /** As the CM named it (trimmed, not empty). */
  name: z.string().trim().min(1).max(200),
  filter: AnalyticsFilterSchema,
  sort: AnalyticsSortSchema,
  /** ms since the epoch. */
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
});
export type AnalyticsView = z.infer<typeof AnalyticsViewSchema>;

/** What saving a view takes: an `id` to replace that view, none for a new one. */
export type AnalyticsViewInit = Pick<AnalyticsView, 'name' | 'filter' | 'sort'> & { id?: string };

/**
 * Saves a view: a new one (a fresh id), or view `init.id` replaced (keeping its `createdAt`).
 * Answers the view stored.
 *
 * @throws ColonnadeError `bad-request` (reason `analytics-view-invalid`, `field`) when the name is
 *   empty or the filter or sort breaks their schemas (./query.ts).
 */
export async function saveView(
  db: ColonnadeDb,
  init: AnalyticsViewInit,
  now = Date.now(),
  newId: () => string = () => crypto.randomUUID(),
): Promise<AnalyticsView> {
  return db.transaction('rw', db.analyticsViews, async () => {
    const id = init.id ?? newId();
    const stored = init.id === undefined ? undefined : await db.analyticsViews.get(init.id);
    const parsed = AnalyticsViewSchema.safeParse({
      id,
      name: init.name,
      filter: init.filter,
      sort: init.sort,
      createdAt: stored?.createdAt ?? now,
      updatedAt: now,
    });
    if (!parsed.success) {
      const field = parsed.error.issues[0]?.path.join('.') ?? '';
      throw new ColonnadeError('bad-request', `View refused: ${field}`, {
        field,
        reason: 'analytics-view-invalid',
        params: { field },
      });
    }
    await db.analyticsViews.put(parsed.data);
    return parsed.data;
  });
}

/** The saved views, by name (case and accents aside, as the CM's language sorts). */
export async function listViews(db: ColonnadeDb, locale?: string): Promise<AnalyticsView[]> {
  const views = await db.analyticsViews.toArray();
  const collator = new Intl.Collator(locale, { sensitivity: 'base', numeric: true });
  return views.sort((a, b) => collator.compare(a.name, b.name) || a.createdAt - b.createdAt);
}

/** Deletes a saved view; an unknown id does nothing. */
export async function deleteView(db: ColonnadeDb, id: string): Promise<void> {
  await db.analyticsViews.delete(id);
}
