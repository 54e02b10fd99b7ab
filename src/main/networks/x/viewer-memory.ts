// What the signed-in X account did with posts, as far as Colonnade saw it. X timelines carry no
// viewer state (no `liked` / `retweeted` on a v2 post), so the adapter remembers the CM's own
// likes and reposts made through Colonnade and applies them to every post it reads. Kept in the
// account's memory document (AdapterContext.memory) so that they survive a restart.
import { z } from 'zod';
import type { PostAction } from '../../../shared/adapter';
import type { Logger } from '../../core/ports';
import type { AdapterMemory } from '../module';

/** How many posts the memory keeps (those the CM acted on most recently). */
export const VIEWER_MEMORY_LIMIT = 5000;

const Remembered = z.object({
  id: z.string().regex(/^[0-9]{1,19}$/),
  liked: z.boolean().optional(),
  reposted: z.boolean().optional(),
});
type Remembered = z.infer<typeof Remembered>;
const ViewerDocSchema = z.object({
  viewer: z.object({ version: z.literal(1), posts: z.array(z.unknown()) }),
});

/**
 * The CM's own likes and reposts (and undoing them), per native post id, in the order she acted,
 * bounded to the last `limit` posts. Document shape: `{ viewer: { version: 1, posts: [{ id,
 * liked?, reposted? }] } }`, oldest first.
 */
export class ViewerMemory {
  private readonly posts = new Map<string, Omit<Remembered, 'id'>>();
  private loaded = false;

  constructor(
    private readonly store: AdapterMemory | undefined,
    private readonly log: Logger,
    private readonly limit = VIEWER_MEMORY_LIMIT,
  ) {}

  private load(): void {
    if (this.loaded) return;
    this.loaded = true;
    let raw: unknown;
    try {
      raw = this.store?.read();
    } catch (err) {
      this.log.warn('x: the remembered likes and reposts cannot be read; starting afresh', { error: String(err) });
      return;
    }
    if (raw === undefined) return;
    const parsed = ViewerDocSchema.safeParse(raw);
    if (!parsed.success) {
      this.log.warn('x: the remembered likes and reposts are not in a known shape; starting afresh');
      return;
    }
    for (const item of parsed.data.viewer.posts.slice(-this.limit)) {
      const r = Remembered.safeParse(item);
      if (r.success) this.posts.set(r.data.id, { liked: r.data.liked, reposted: r.data.reposted });
    }
  }

  /** The viewer state of a post, or undefined when the CM did nothing with it through Colonnade. */
  of(nativeId: string): { liked: boolean; reposted: boolean } | undefined {
    this.load();
    const p = this.posts.get(nativeId);
    return p ? { liked: p.liked ?? false, reposted: p.reposted ?? false } : undefined;
  }

  /** Records an action X accepted and saves the document. `delete` forgets the post. */
  record(nativeId: string, action: PostAction): void {
    this.load();
    const before = this.posts.get(nativeId) ?? {};
    this.posts.delete(nativeId);
    if (action !== 'delete') {
      const change =
        action === 'like' || action === 'unlike' ? { liked: action === 'like' } : { reposted: action === 'repost' };
      this.posts.set(nativeId, { ...before, ...change });
    }
    while (this.posts.size > this.limit) this.posts.delete(this.posts.keys().next().value as string);
    if (!this.store) return;
    try {
      const posts = [...this.posts].map(([id, p]) => ({ id, ...p }));
      this.store.write({ viewer: { version: 1, posts } });
    } catch (err) {
      this.log.warn('x: the remembered likes and reposts could not be saved', { error: String(err) });
    }
  }
}
