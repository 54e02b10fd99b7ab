// The X cost meter. X bills reads per post returned, so every X adapter reports how many posts each
// response actually held; this service counts them per account and day, estimates the cost with
// unit prices the user can edit, and pauses the account's polling once a monthly budget is spent.
// Owner: main ("usage" document). Mirror: the renderer's usage slice (usage.get / usage.changed).
import { z } from 'zod';
import type { AccountUsage } from '../../shared/ipc/contract';
import type { Clock, DocumentStore, Logger } from './ports';
import { openVersionedDocument, type VersionedDocument } from './versioned-document';

/** X's published prices at the time of writing, in US dollars; the user can change them. */
export const DEFAULT_PRICES = { post: 0.005, ownPost: 0.001 } as const;

const DaySchema = z.object({ posts: z.number().int().nonnegative(), ownPosts: z.number().int().nonnegative() });
const AccountSchema = z.object({
  /** Reads per UTC day, keyed "YYYY-MM-DD". */
  days: z.record(z.string(), DaySchema),
  prices: z.object({ post: z.number().nonnegative(), ownPost: z.number().nonnegative() }),
  monthlyBudget: z.number().nonnegative().nullable(),
});
const UsageDocSchema = z.object({ accounts: z.record(z.string(), AccountSchema) });
type UsageDoc = z.infer<typeof UsageDocSchema>;
type AccountRecord = z.infer<typeof AccountSchema>;

const fresh = (): AccountRecord => ({ days: {}, prices: { ...DEFAULT_PRICES }, monthlyBudget: null });
/** Days of history kept (enough for this month and the last). */
const KEEP_DAYS = 62;

export class UsageService {
  private readonly doc: VersionedDocument<UsageDoc>;

  constructor(
    store: DocumentStore,
    log: Logger,
    private readonly clock: Clock,
    private readonly onChange: (accountId: string) => void,
  ) {
    this.doc = openVersionedDocument(
      store,
      { name: 'usage', schema: UsageDocSchema, version: 1, migrations: {}, defaults: () => ({ accounts: {} }) },
      log,
    );
  }

  record(accountId: string, reads: { posts: number; ownPosts: number }): void {
    if (reads.posts === 0 && reads.ownPosts === 0) return;
    const today = this.day(this.clock.now());
    this.update(accountId, (a) => {
      const day = a.days[today] ?? { posts: 0, ownPosts: 0 };
      const days = { ...a.days, [today]: { posts: day.posts + reads.posts, ownPosts: day.ownPosts + reads.ownPosts } };
      const cutoff = this.day(this.clock.now() - KEEP_DAYS * 86_400_000);
      for (const key of Object.keys(days)) if (key < cutoff) delete days[key];
      return { ...a, days };
    });
    this.onChange(accountId);
  }

  configure(
    accountId: string,
    change: { prices?: { post: number; ownPost: number }; monthlyBudget?: number | null },
  ): AccountUsage {
    this.update(accountId, (a) => ({
      ...a,
      ...(change.prices ? { prices: change.prices } : {}),
      ...(change.monthlyBudget !== undefined ? { monthlyBudget: change.monthlyBudget } : {}),
    }));
    this.onChange(accountId);
    return this.usage(accountId);
  }

  usage(accountId: string): AccountUsage {
    const a = this.doc.get().accounts[accountId] ?? fresh();
    const now = this.clock.now();
    const today = a.days[this.day(now)] ?? { posts: 0, ownPosts: 0 };
    const month = this.day(now).slice(0, 7);
    const monthReads = Object.entries(a.days)
      .filter(([day]) => day.startsWith(month))
      .reduce((sum, [, d]) => ({ posts: sum.posts + d.posts, ownPosts: sum.ownPosts + d.ownPosts }), {
        posts: 0,
        ownPosts: 0,
      });
    const cost = (d: { posts: number; ownPosts: number }) => d.posts * a.prices.post + d.ownPosts * a.prices.ownPost;
    const monthCost = cost(monthReads);
    return {
      accountId,
      today: { ...today, cost: round(cost(today)) },
      month: { ...monthReads, cost: round(monthCost) },
      prices: a.prices,
      monthlyBudget: a.monthlyBudget,
      paused: a.monthlyBudget !== null && monthCost >= a.monthlyBudget,
    };
  }

  private update(accountId: string, change: (a: AccountRecord) => AccountRecord): void {
    const accounts = this.doc.get().accounts;
    this.doc.set({ accounts: { ...accounts, [accountId]: change(accounts[accountId] ?? fresh()) } });
  }

  private day(ms: number): string {
    return new Date(ms).toISOString().slice(0, 10);
  }
}

const round = (usd: number) => Math.round(usd * 10_000) / 10_000;
