// The X cost meter. X bills reads per post returned, so every X adapter reports how many posts each
// response actually held (other people's and the account's own apart, each post once, and whether
// they were read for new posts or to refresh counts); this service counts them per account and
// day, estimates the cost with unit prices the user can edit (each post at its one price), shows
// what count refreshes cost apart, and pauses the account's polling once a monthly budget is spent.
// Owner: main ("usage" document). Mirror: the renderer's usage slice (usage.get / usage.changed).
import { z } from 'zod';
import type { AccountUsage } from '../../shared/ipc/contract';
import type { Clock, DocumentStore, Logger } from './ports';
import { openVersionedDocument, type VersionedDocument } from './versioned-document';

/** X's published prices at the time of writing, in US dollars; the user can change them. */
export const DEFAULT_PRICES = { post: 0.005, ownPost: 0.001 } as const;

const Count = z.number().int().nonnegative();
/**
 * One UTC day's reads. `posts` are other people's posts, `ownPosts` the account's own (disjoint:
 * a post is one or the other); `countPosts` and `countOwnPosts` are the part of each read to
 * refresh counts of posts already shown.
 */
const DaySchema = z.object({ posts: Count, ownPosts: Count, countPosts: Count, countOwnPosts: Count });
type Day = z.infer<typeof DaySchema>;
const EMPTY_DAY: Day = { posts: 0, ownPosts: 0, countPosts: 0, countOwnPosts: 0 };
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

/**
 * Schema 1 to 2. In schema 1 a day's `posts` counted every post read, the account's own
 * included (they were also in `ownPosts`, so counted and billed twice); schema 2 keeps other
 * people's posts in `posts`. Schema 1 did not tell count refreshes apart: they stay in the totals.
 */
function fromVersion1(data: unknown): unknown {
  const doc = data as { accounts?: Record<string, { days?: Record<string, { posts?: number; ownPosts?: number }> }> };
  const accounts = Object.fromEntries(
    Object.entries(doc.accounts ?? {}).map(([id, account]) => [
      id,
      {
        ...account,
        days: Object.fromEntries(
          Object.entries(account.days ?? {}).map(([day, d]) => {
            const own = d.ownPosts ?? 0;
            return [day, { posts: Math.max(0, (d.posts ?? 0) - own), ownPosts: own, countPosts: 0, countOwnPosts: 0 }];
          }),
        ),
      },
    ]),
  );
  return { ...doc, accounts };
}
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
      {
        name: 'usage',
        schema: UsageDocSchema,
        version: 2,
        migrations: { 1: fromVersion1 },
        defaults: () => ({ accounts: {} }),
      },
      log,
    );
  }

  /**
   * Counts one response's reads: `posts` other people's posts, `ownPosts` the account's own
   * (each post in one of them), read for new posts (`timeline`, the default) or to refresh
   * counts (`counts`).
   */
  record(
    accountId: string,
    reads: { posts: number; ownPosts: number; purpose?: 'timeline' | 'counts' | undefined },
  ): void {
    if (reads.posts === 0 && reads.ownPosts === 0) return;
    const today = this.day(this.clock.now());
    const counts = reads.purpose === 'counts';
    this.update(accountId, (a) => {
      const day = a.days[today] ?? EMPTY_DAY;
      const days = {
        ...a.days,
        [today]: {
          posts: day.posts + reads.posts,
          ownPosts: day.ownPosts + reads.ownPosts,
          countPosts: day.countPosts + (counts ? reads.posts : 0),
          countOwnPosts: day.countOwnPosts + (counts ? reads.ownPosts : 0),
        },
      };
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

  /**
   * Today's and this month's reads (UTC) of one account: posts and own posts, their estimated
   * cost in US dollars (each post at its one price), and the part of them that refreshed counts.
   */
  usage(accountId: string): AccountUsage {
    const a = this.doc.get().accounts[accountId] ?? fresh();
    const now = this.clock.now();
    const today = a.days[this.day(now)] ?? EMPTY_DAY;
    const month = this.day(now).slice(0, 7);
    const monthReads = Object.entries(a.days)
      .filter(([day]) => day.startsWith(month))
      .reduce(
        (sum, [, d]) => ({
          posts: sum.posts + d.posts,
          ownPosts: sum.ownPosts + d.ownPosts,
          countPosts: sum.countPosts + d.countPosts,
          countOwnPosts: sum.countOwnPosts + d.countOwnPosts,
        }),
        EMPTY_DAY,
      );
    const cost = (posts: number, ownPosts: number) => posts * a.prices.post + ownPosts * a.prices.ownPost;
    const reads = (d: Day) => ({
      posts: d.posts,
      ownPosts: d.ownPosts,
      cost: round(cost(d.posts, d.ownPosts)),
      counts: {
        posts: d.countPosts,
        ownPosts: d.countOwnPosts,
        cost: round(cost(d.countPosts, d.countOwnPosts)),
      },
    });
    const monthCost = cost(monthReads.posts, monthReads.ownPosts);
    return {
      accountId,
      today: reads(today),
      month: reads(monthReads),
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
