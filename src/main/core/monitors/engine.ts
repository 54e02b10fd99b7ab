// The monitor engine: keeps every column of every deck live, shown or not, with the window
// hidden. Columns become sources and readers (sources.ts); each reader polls its network for what
// is newer than its persisted position and pages down until it meets it (the adapters' 'newer'
// contract, `Page.between`), so 51 or 500 posts between two polls all arrive. What cannot be read
// (the network's window, the rate budget, a failure half-way) becomes a gap marker in the column,
// loaded on demand or in the background, never a hole that looks like history.
//
// Requests come out of each account's rate budget (budget.ts), learned from response headers:
// readers of one bucket share it, shown and busy columns poll more often than hidden and quiet
// ones, 429s wait for their reset, failures back off with jitter, every call has a deadline.
// Positions persist once the renderer has stored what was read (positions.ts).
import type { NetworkAdapter, RateBucket, TimelineRequest } from '../../../shared/adapter';
import { ColonnadeError, toAppError, type AppError } from '../../../shared/errors';
import type { ColumnStatus, FeedDelivery } from '../../../shared/ipc/contract';
import type { Column, Cursor, Metrics, Page, TimelineEntry } from '../../../shared/model';
import type { Clock, DocumentStore, Logger } from '../ports';
import { RateBudget } from './budget';
import { emptyReaderState, Positions, type GapState, type ReaderState } from './positions';
import { matchesMonitor, readersOf, routesTo, sourcesOf, type ReaderSpec, type Source } from './sources';
import { compositeCursor } from './history';
import { CountRefresher } from './refresher';

/** Entries asked for per page. */
export const PAGE = 50;
/** Pages a catch-up reads at once before leaving the rest as a gap filled in the background. */
export const CATCH_UP_PAGES = 20;
/** Pages "Load them" reads for one gap at a time. */
export const GAP_LOAD_PAGES = 20;
/** A call that has not answered after this long is a timeout (the adapters' own deadline is 30 s). */
export const CALL_DEADLINE_MS = 45_000;
const MAX_BACKOFF_MS = 5 * 60_000;
/**
 * A first transient failure that is not a timeout (a kept-alive socket the server closed, a
 * restart, one 502) is retried this soon, on a fresh connection, before backing off: what the
 * column then says is what the server really is (unreachable, or back), not a stale "having
 * trouble" for a whole back-off. A server that took too long is not asked again this soon.
 */
const BROKEN_RETRY_MS = 3_000;
/** "Check now" polls a reader at most this often. */
const REFRESH_MIN_MS = 10_000;
/** How often a paused reader (spent X budget) looks whether it may resume. */
const PAUSE_CHECK_MS = 60_000;
/** Hidden columns (another deck, the window hidden) poll this many times less often. */
const HIDDEN_FACTOR = 3;
/** While a live stream is open, polling only catches what the stream might have missed. */
const STREAM_SAFETY_MS = 5 * 60_000;
/**
 * A post this much older than now that a poll finds and the open stream never brought means the
 * stream is deaf (a proxy that accepts the socket and passes nothing): it is closed and the reader
 * polls at its own pace until STREAM_DEAF_RETRY_MS passed.
 */
const STREAM_GRACE_MS = 15_000;
const STREAM_CONNECT_MS = 1_000;
const STREAM_DEAF_RETRY_MS = 30 * 60_000;
/** Post keys remembered per column to drop a post delivered twice (several sources, a stream and its safety poll). */
const DELIVERED_MEMORY = 2_000;

export interface MonitorEngineDeps {
  clock: Clock;
  log: Logger;
  /** Uniform in [0, 1): the jitter of back-offs (tests pass a fixed one). */
  random?: () => number;
  adapterFor(profileId: string): NetworkAdapter | undefined;
  networkOf(profileId: string): string | undefined;
  /** Sends a delivery to the renderer; answers its sequence number. */
  deliver(delivery: Omit<FeedDelivery, 'seq'>): number;
  status(status: ColumnStatus): void;
  /** An account's health as reading shows it: auth-expired, or null after any success. */
  health?(profileId: string, error: AppError | null): void;
  /** Why a profile must not poll now (a spent X monthly budget), or null. */
  paused?(profileId: string): AppError | null;
  /**
   * How much slower than its own pace a profile must poll, and why (a reason key): the X monthly
   * budget being spent faster than the month goes. Null or a factor of 1: no slowdown.
   */
  slowdown?(profileId: string): { factor: number; reason: string } | null;
  /**
   * Which budget a profile's requests draw from: its own (the default), or one shared with the
   * other accounts of a server where the network limits per address (Bluesky's PDS: per IP).
   */
  budgetKey?(profileId: string): string;
  /** The persisted positions ("monitors" document). */
  positions: DocumentStore;
  /** New entries reached a column (for alert rules): `live` from a poll or stream, `catch-up` from a gap. */
  arrived?(column: Column, entries: readonly TimelineEntry[], how: 'live' | 'catch-up'): void;
  /** Fresh counts of posts (for engagement alert rules). */
  counted?(metrics: ReadonlyMap<string, Metrics>): void;
}

interface Reader {
  spec: ReaderSpec;
  state: ReaderState;
  timer: unknown;
  polling: boolean;
  woken: boolean;
  stopped: boolean;
  failures: number;
  lastError: AppError | null;
  /** Adaptive pace: what the last polls brought (new entries per poll, smoothed). */
  activity: number;
  stream: { close(): void } | null;
  streamRetryAt: number;
  /** When the open stream was opened (ms), and the keys it brought since. */
  streamOpenedAt: number;
  streamKeys: Set<string>;
  /** Streams that dropped in a row without bringing anything: the next try waits longer. */
  streamDrops: number;
  /** When "Check now" last woke it (ms; -Infinity: never). */
  refreshedAt: number;
  /** Columns that receive this reader's entries (recomputed on follow). */
  columns: Column[];
  /** Columns given their first page by this reader in this run (persisted once acknowledged). */
  seededHere: Set<string>;
  nextAt: number | null;
  slowed: string | null;
  /** What this reader last said about its columns (merged with the other readers of each). */
  lastStatus: Omit<ColumnStatus, 'columnId'> | null;
}

/** The delay before a reader's next poll, from its adapter's pace, activity and visibility. */
export function pollDelay(baseMs: number, activity: number, shown: boolean): number {
  // Busy (a full page or more per poll): twice as often; quiet (nothing for a while): up to 4×
  // less often; in between, the adapter's pace.
  const busy = activity >= PAGE / 2 ? 0.5 : activity >= 1 ? 1 : activity > 0.2 ? 1.5 : 2;
  return Math.round(baseMs * busy * (shown ? 1 : HIDDEN_FACTOR));
}

export class MonitorEngine {
  private readonly readers = new Map<string, Reader>();
  private readonly budgets = new Map<string, RateBudget>();
  private readonly positions: Positions;
  private readonly refresher: CountRefresher;
  private columns: Column[] = [];
  private shownColumns = new Set<string>();
  private offline = false;
  private gapSeq = 0;
  /**
   * Post keys delivered lately to each column (insertion order, DELIVERED_MEMORY at most): a post
   * two sources of a monitor met, or that a stream brought and its safety poll read again, is
   * delivered once. Forgotten for a column that is read again from its position (rewind, reseed).
   */
  private readonly delivered = new Map<string, Set<string>>();
  private lastSeq = 0;

  constructor(private readonly deps: MonitorEngineDeps) {
    this.positions = new Positions(deps.positions, deps.log);
    this.refresher = new CountRefresher({
      clock: deps.clock,
      log: deps.log,
      adapterFor: deps.adapterFor,
      networkOf: deps.networkOf,
      budget: (profileId) => this.budget(profileId),
      call: (p) => this.withDeadline(p),
      deliver: (profileId, metrics, removed) => this.deliverCounts(profileId, metrics, removed),
    });
  }

  /** The account's shared budget (shared with other accounts where the network limits by server or address). */
  budget(profileId: string): RateBudget {
    const key = this.budgetKey(profileId);
    let b = this.budgets.get(key);
    if (!b) this.budgets.set(key, (b = new RateBudget(this.deps.clock.now)));
    return b;
  }

  private budgetKey(profileId: string): string {
    return this.deps.budgetKey?.(profileId) ?? profileId;
  }

  /**
   * Follow exactly these columns (every deck's), with `shown` the ones on the active deck: start
   * readers for new sources, stop the ones no column needs, keep the rest running.
   */
  follow(columns: readonly Column[], shown: readonly string[]): void {
    this.columns = [...columns];
    const before = new Set([...this.readers.values()].filter((r) => this.isShown(r)));
    this.shownColumns = new Set(shown);
    const sources = new Map<string, Source>();
    for (const c of columns) for (const s of sourcesOf(c)) sources.set(s.key, s);
    const specs = readersOf([...sources.values()], this.deps.networkOf);
    const wanted = new Map(specs.map((s) => [s.key, s]));
    for (const [key, r] of this.readers) {
      if (!wanted.has(key)) {
        this.stopReader(r);
        this.readers.delete(key);
      }
    }
    for (const spec of specs) {
      let r = this.readers.get(spec.key);
      if (!r) {
        r = {
          spec,
          state: this.positions.load(spec.key),
          timer: undefined,
          polling: false,
          woken: false,
          stopped: false,
          failures: 0,
          lastError: null,
          activity: 1,
          stream: null,
          streamRetryAt: 0,
          streamOpenedAt: 0,
          streamKeys: new Set(),
          streamDrops: 0,
          refreshedAt: -Infinity,
          columns: [],
          seededHere: new Set(),
          nextAt: null,
          slowed: null,
          lastStatus: null,
        };
        this.readers.set(spec.key, r);
        r.columns = this.columnsOf(spec);
        this.schedule(r, 0);
      } else {
        const running = r;
        running.spec = spec;
        const before = new Set(running.columns.map((c) => c.id));
        running.columns = this.columnsOf(spec);
        // A column new to a running reader gets its first page at once.
        if (running.columns.some((c) => !before.has(c.id) && !this.seeded(running, c.id))) this.wakeReader(running);
      }
    }
    this.hurryShown(before);
    this.positions.prune(new Set(this.readers.keys()), new Set(columns.map((c) => c.id)));
    this.refresher.follow(columns);
  }

  /** Posts on screen in a column (their counts are refreshed first). */
  visible(columnId: string, postIds: readonly string[], shown: boolean, createdAt?: readonly string[]): void {
    const column = this.columns.find((c) => c.id === columnId);
    if (!column) return;
    // The renderer knows best: a column is shown while its deck is active and the window visible.
    const before = new Set([...this.readers.values()].filter((r) => this.isShown(r)));
    if (shown) this.shownColumns.add(columnId);
    else this.shownColumns.delete(columnId);
    this.hurryShown(before);
    this.refresher.visible(column, postIds, shown, createdAt);
  }

  stop(): void {
    for (const r of this.readers.values()) this.stopReader(r);
    this.readers.clear();
    this.refresher.stop();
  }

  /** The renderer stored every delivery up to `upTo`: positions read up to there persist. */
  acknowledged(upTo: number): void {
    this.positions.settle(upTo);
  }

  /** The renderer holds nothing of this column: its readers deliver it a first page again. */
  reseed(columnId: string): void {
    this.positions.unseed(columnId);
    this.delivered.delete(columnId);
    for (const r of this.readers.values()) {
      if (!r.columns.some((c) => c.id === columnId)) continue;
      r.seededHere.delete(columnId);
      this.wakeReader(r);
    }
  }

  /**
   * "Check now" on a column: its readers poll at once, forgetting their back-off, each at most
   * once per REFRESH_MIN_MS (a key held down is not a request storm). The poll itself keeps every
   * rule of a scheduled one: a spent window or X budget still pauses it, and the request counts
   * against the same budget (src/main/core/monitors/budget.ts). Answers how many readers were woken
   * (0: all of them checked moments ago or are reading right now).
   */
  refresh(columnId: string): number {
    const now = this.deps.clock.now();
    let woken = 0;
    for (const r of this.readers.values()) {
      if (!r.columns.some((c) => c.id === columnId)) continue;
      if (r.polling || now - r.refreshedAt < REFRESH_MIN_MS) continue;
      r.refreshedAt = now;
      if (r.lastError?.code !== 'rate-limited') r.failures = 0;
      this.wakeReader(r);
      woken++;
    }
    return woken;
  }

  /**
   * Deliveries to these columns were dropped before the renderer stored them (it was away too
   * long): their readers go back to their persisted positions and read it all again.
   */
  rewind(columnIds: readonly string[]): void {
    const ids = new Set(columnIds);
    for (const id of ids) this.delivered.delete(id);
    for (const r of this.readers.values()) {
      if (!r.columns.some((c) => ids.has(c.id))) continue;
      this.positions.discard(r.spec.key);
      r.state = this.positions.load(r.spec.key);
      r.seededHere.clear();
      this.deps.log.warn('deliveries were dropped before being stored; reading them again', { reader: r.spec.key });
      this.wakeReader(r);
    }
  }

  /**
   * Poll a profile's readers now, forgetting their back-off (after "Connected", or when its
   * health came back: `signed-out` wakes only the readers whose last poll ended in auth-expired).
   */
  wake(profileId: string, which: 'all' | 'signed-out' = 'all'): void {
    for (const r of this.readers.values()) {
      if (r.spec.profileId !== profileId) continue;
      if (which === 'signed-out' && r.lastError?.code !== 'auth-expired') continue;
      r.failures = 0;
      this.wakeReader(r);
    }
  }

  /**
   * A profile was removed from Accounts: its readers stop reading (a live stream is closed at
   * once) and their columns say the profile is no longer connected, until a column stops
   * using it or it is connected again.
   */
  profileRemoved(profileId: string): void {
    for (const r of this.readers.values()) {
      if (r.spec.profileId !== profileId) continue;
      r.stream?.close();
      r.stream = null;
      this.wakeReader(r);
    }
  }

  /** After sleep, on coming back online, after an outage: every reader catches up now. */
  wakeAll(): void {
    for (const r of this.readers.values()) {
      r.failures = 0;
      this.wakeReader(r);
    }
  }

  /** Going offline pauses every reader (no request is made); coming back catches up. */
  setOnline(online: boolean): void {
    const was = !this.offline;
    this.offline = !online;
    if (online && !was) this.wakeAll();
    if (!online && was) {
      for (const r of this.readers.values()) {
        for (const c of r.columns)
          this.deps.status({
            columnId: c.id,
            state: 'paused',
            error: { code: 'offline', message: 'This computer is offline.', reason: 'offline-paused' },
          });
      }
    }
  }

  /**
   * Loads what a gap marker stands for, as far as the network and the budget allow (up to
   * GAP_LOAD_PAGES pages now); the entries arrive as deliveries and the marker leaves once filled.
   * Throws not-found for an unknown gap, and the network's error when it refuses.
   */
  async loadGap(columnId: string, gapId: string): Promise<void> {
    for (const r of this.readers.values()) {
      const gap = r.state.gaps.find((g) => g.id === gapId);
      if (!gap || !r.columns.some((c) => c.id === columnId)) continue;
      if (gap.why === 'horizon' || gap.between === null) {
        throw new ColonnadeError('not-allowed', 'The network no longer serves posts that old here.', {
          reason: 'gap-beyond-horizon',
        });
      }
      const adapter = this.deps.adapterFor(r.spec.profileId);
      if (!adapter) throw new ColonnadeError('not-found', 'The profile of this column is no longer connected.');
      await this.fillGap(r, adapter, gap, GAP_LOAD_PAGES, true);
      return;
    }
    throw new ColonnadeError('not-found', 'That gap was already filled.', { reason: 'gap-filled' });
  }

  // ---- readers ---------------------------------------------------------------------------

  private seeded(r: Reader, columnId: string): boolean {
    return r.seededHere.has(columnId) || this.positions.isSeeded(columnId);
  }

  private columnsOf(spec: ReaderSpec): Column[] {
    const keys = new Set(spec.members.map((m) => m.key));
    return this.columns.filter((c) => sourcesOf(c).some((s) => keys.has(s.key)));
  }

  /**
   * Readers whose column has just come on screen (its deck shown, the window back): the rest of a
   * wait planned at the hidden pace shrinks to the shown pace, so a post made meanwhile is not
   * minutes late.
   */
  private hurryShown(before: ReadonlySet<Reader>): void {
    const now = this.deps.clock.now();
    for (const r of this.readers.values()) {
      if (before.has(r) || !this.isShown(r) || r.polling || r.stopped || r.timer === undefined || r.nextAt === null)
        continue;
      const left = r.nextAt - now;
      if (left > 0) this.schedule(r, Math.round(left / HIDDEN_FACTOR));
    }
  }

  private isShown(r: Reader): boolean {
    return r.columns.some((c) => this.shownColumns.has(c.id));
  }

  private stopReader(r: Reader): void {
    r.stopped = true;
    if (r.timer !== undefined) this.deps.clock.clearTimeout(r.timer);
    r.timer = undefined;
    r.stream?.close();
    r.stream = null;
  }

  private wakeReader(r: Reader): void {
    if (r.stopped) return;
    if (r.polling) {
      r.woken = true;
      return;
    }
    this.schedule(r, 0);
  }

  private schedule(r: Reader, delay: number): void {
    if (r.stopped) return;
    if (r.timer !== undefined) this.deps.clock.clearTimeout(r.timer);
    r.timer = undefined;
    r.nextAt = this.deps.clock.now() + delay;
    if (delay <= 0) {
      // Now: no timer to wait for (a woken or new reader polls at once).
      queueMicrotask(() => void this.run(r));
      return;
    }
    r.timer = this.deps.clock.setTimeout(() => void this.run(r), delay);
  }

  private async run(r: Reader): Promise<void> {
    if (r.polling || r.stopped) return;
    r.polling = true;
    r.woken = false;
    r.timer = undefined;
    let delay: number | null;
    try {
      delay = await this.poll(r);
    } catch (err) {
      this.deps.log.error('monitor poll failed unexpectedly', { reader: r.spec.key, error: String(err) });
      delay = MAX_BACKOFF_MS;
    } finally {
      r.polling = false;
    }
    if (r.stopped || delay === null) return;
    this.schedule(r, r.woken ? 0 : delay);
  }

  private withDeadline<T>(promise: Promise<T>): Promise<T> {
    const { clock } = this.deps;
    return new Promise<T>((resolve, reject) => {
      const timer = clock.setTimeout(
        () =>
          reject(
            new ColonnadeError('transient', 'The server accepted the request but never answered.', {
              reason: 'timeout',
            }),
          ),
        CALL_DEADLINE_MS,
      );
      promise.then(
        (v) => {
          clock.clearTimeout(timer);
          resolve(v);
        },
        (e: unknown) => {
          clock.clearTimeout(timer);
          reject(e instanceof Error ? e : new Error(String(e)));
        },
      );
    });
  }

  /** One read of the reader's timeline, counted against its bucket. */
  private async read(r: Reader, adapter: NetworkAdapter, req: Omit<TimelineRequest, 'kind' | 'query' | 'limit'>) {
    const bucket = adapter.rateBucket(r.spec.kind);
    this.budget(r.spec.profileId).takeAll(bucket);
    return this.withDeadline(adapter.readTimeline({ kind: r.spec.kind, query: r.spec.query, limit: PAGE, ...req }));
  }

  private status(r: Reader, status: Omit<ColumnStatus, 'columnId' | 'profileId' | 'profiles'>): void {
    r.lastStatus = { ...status, profileId: r.spec.profileId };
    for (const c of r.columns) {
      const merged = this.columnStatus(c.id);
      if (merged) this.deps.status(merged);
    }
  }

  /**
   * A column's status from every reader that feeds it: live only when all are; otherwise the
   * worst (an error before a pause) with the profile it concerns, and, for a monitor column, every
   * profile in trouble (`profiles`), so one profile's success never hides another's failure.
   * `checkedAt` is the latest check, `nextAt` the soonest planned one. Null before any reader spoke.
   */
  columnStatus(columnId: string): ColumnStatus | null {
    const column = this.columns.find((c) => c.id === columnId);
    const said = [...this.readers.values()]
      .filter((r) => r.columns.some((c) => c.id === columnId))
      .flatMap((r) => (r.lastStatus ? [r.lastStatus] : []));
    if (!said.length) return null;
    const latest = (xs: Array<string | undefined>) =>
      xs
        .filter((x): x is string => !!x)
        .sort()
        .at(-1);
    const soonest = (xs: Array<string | undefined>) => xs.filter((x): x is string => !!x).sort()[0];
    const checkedAt = latest(said.map((x) => x.checkedAt));
    const nextAt = soonest(said.map((x) => x.nextAt));
    const skipped = said.reduce((n, x) => n + (x.skipped ?? 0), 0);
    const slowed = said.find((x) => x.slowed)?.slowed;
    const troubled = said.filter((x) => x.state !== 'live');
    const worst = troubled.find((x) => x.state === 'error') ?? troubled[0];
    const base = worst ?? said.find((x) => x.profileId === column?.profileId) ?? said[0]!;
    const profiles = column?.monitor
      ? troubled.map((x) => ({
          profileId: x.profileId!,
          state: x.state as 'error' | 'paused',
          ...(x.error ? { error: x.error } : {}),
        }))
      : [];
    return {
      columnId,
      state: base.state,
      ...(base.error ? { error: base.error } : {}),
      ...(base.profileId ? { profileId: base.profileId } : {}),
      ...(checkedAt ? { checkedAt } : {}),
      ...(nextAt ? { nextAt } : {}),
      ...(skipped ? { skipped } : {}),
      ...(slowed ? { slowed } : {}),
      ...(profiles.length ? { profiles } : {}),
    };
  }

  /** Every column's status now (see `columnStatus`), for a renderer that just (re)loaded. */
  statuses(): ColumnStatus[] {
    return this.columns.flatMap((c) => {
      const s = this.columnStatus(c.id);
      return s ? [s] : [];
    });
  }

  /** One poll; answers the delay before the next (null: none until woken). */
  private async poll(r: Reader): Promise<number | null> {
    const { clock } = this.deps;
    const profileId = r.spec.profileId;
    const adapter = this.deps.adapterFor(profileId);
    if (!adapter) {
      // A removed profile's live stream goes with it: nothing more arrives through its token.
      r.stream?.close();
      r.stream = null;
      this.status(r, {
        state: 'error',
        error: {
          code: 'not-found',
          message: 'A profile this column reads through is no longer connected.',
          reason: 'profile-not-connected',
        },
      });
      return null;
    }
    if (this.offline) return null;
    const pause = this.deps.paused?.(profileId) ?? null;
    if (pause) {
      this.status(r, { state: 'paused', error: pause });
      return PAUSE_CHECK_MS;
    }
    const bucket = adapter.rateBucket(r.spec.kind);
    const budget = this.budget(profileId);
    const decision = budget.checkAll(bucket);
    if (decision.waitMs > 0) {
      r.slowed = decision.why === 'spent' ? 'rate-budget-spent' : 'rate-budget';
      if (decision.why === 'spent') {
        this.status(r, {
          state: 'paused',
          error: {
            code: 'rate-limited',
            message: 'The network’s rate limit for this account is used up until it resets.',
            resetAt: new Date(clock.now() + decision.waitMs).toISOString(),
          },
          nextAt: new Date(clock.now() + decision.waitMs).toISOString(),
        });
      }
      return decision.waitMs;
    }
    this.openStream(r, adapter);

    let delivered = 0;
    let lastSeq: number | null = null;
    let skipped = 0;
    const state = structuredClone(r.state);
    const seeded: string[] = [];
    try {
      if (state.newer === null) {
        // First read: the newest page, which also tells each column where its history continues.
        const page = await this.read(r, adapter, { direction: 'older', cursor: null });
        skipped += page.skipped ?? 0;
        state.newer = page.newer;
        state.newestAt = newestAt(page.items) ?? state.newestAt;
        const unseeded = r.columns.filter((c) => !this.seeded(r, c.id)).map((c) => c.id);
        lastSeq = this.deliverEntries(
          r,
          page.items,
          { olderFor: new Map(unseeded.map((id) => [id, page.older])) },
          'live',
        );
        seeded.push(...unseeded);
        delivered += page.items.length;
      } else {
        const unseeded = r.columns.filter((c) => !this.seeded(r, c.id));
        if (unseeded.length) {
          // A column new to a reader that already has a position: its own first page.
          const page = await this.read(r, adapter, { direction: 'older', cursor: null });
          const seq = this.deliverEntries(
            r,
            page.items,
            { olderFor: new Map(unseeded.map((c) => [c.id, page.older])), only: new Set(unseeded.map((c) => c.id)) },
            'live',
          );
          if (seq !== null) lastSeq = seq;
          seeded.push(...unseeded.map((c) => c.id));
        }
        const progress = { seq: lastSeq };
        try {
          const result = await this.catchUp(r, adapter, state, progress);
          delivered += result.delivered;
          skipped += result.skipped;
        } finally {
          lastSeq = progress.seq;
        }
      }
    } catch (err) {
      return this.failed(r, adapter, err, state, lastSeq, seeded);
    }
    r.state = state;
    for (const id of seeded) r.seededHere.add(id);
    this.positions.record(r.spec.key, state, lastSeq, seeded);
    r.failures = 0;
    r.lastError = null;
    r.activity = r.activity * 0.6 + delivered * 0.4;
    this.deps.health?.(profileId, null);

    // Gaps left by the pages read at once, the budget or a failure fill in the background, as
    // far as a fair share of the bucket's headroom allows; the reader comes back soon while any is left.
    let filling = false;
    const pending = state.gaps.find((g) => g.why !== 'horizon' && g.between !== null);
    if (pending) {
      const sharers = this.sharers(r, adapter);
      // Half the headroom shared among the bucket's readers, and at least one page whenever any
      // is usable: a small window (a few requests per 15 minutes) still fills the gap, a page a
      // window, instead of never.
      const usable = budget.headroomAll(bucket).usable;
      const pages = Math.min(GAP_LOAD_PAGES, Math.max(usable > 0 ? 1 : 0, Math.floor(usable / (2 * sharers))));
      if (pages > 0) {
        try {
          await this.fillGap(r, adapter, pending, pages, false);
        } catch (err) {
          this.deps.log.warn('a gap could not be filled in the background', { reader: r.spec.key, error: String(err) });
        }
      }
      filling = r.state.gaps.some((g) => g.why !== 'horizon' && g.between !== null);
    }

    let delay = pollDelay(adapter.pollIntervalMs(r.spec.kind), filling ? PAGE : r.activity, this.isShown(r));
    if (r.stream) delay = Math.max(delay, STREAM_SAFETY_MS);
    // The bucket shared by every reader of this account: each gets its share of the steady rate.
    const share = this.shareDelay(r, adapter);
    r.slowed = share > delay ? 'rate-budget' : null;
    delay = Math.max(delay, share);
    // A money budget spent faster than the month goes (X): polls slow down in proportion.
    const pace = this.deps.slowdown?.(profileId) ?? null;
    if (pace && pace.factor > 1) {
      delay = Math.round(delay * pace.factor);
      r.slowed = pace.reason;
    }
    r.nextAt = clock.now() + delay;
    this.status(r, {
      state: 'live',
      checkedAt: new Date(clock.now()).toISOString(),
      nextAt: new Date(clock.now() + delay).toISOString(),
      ...(skipped ? { skipped } : {}),
      ...(r.slowed ? { slowed: r.slowed } : {}),
    });
    return delay;
  }

  /**
   * The least delay between this reader's polls that keeps every reader of its bucket (and the
   * count refresher) within the bucket's steady rate, minus the reserve for the CM's own actions.
   */
  private shareDelay(r: Reader, adapter: NetworkAdapter): number {
    const bucket = adapter.rateBucket(r.spec.kind);
    const rate = this.budget(r.spec.profileId).steadyRateAll(bucket);
    if (rate <= 0) return MAX_BACKOFF_MS;
    return Math.ceil(this.sharers(r, adapter) / rate);
  }

  /**
   * How many draw from this reader's windows: the account's readers that share any of them, and
   * the count refresher when it does.
   */
  private sharers(r: Reader, adapter: NetworkAdapter): number {
    const windows = (rb: RateBucket) => [rb.bucket, ...(rb.also ?? []).map((b) => b.bucket)];
    const mine = new Set(windows(adapter.rateBucket(r.spec.kind)));
    const shares = (rb: RateBucket) => windows(rb).some((b) => mine.has(b));
    let sharers = 0;
    const key = this.budgetKey(r.spec.profileId);
    for (const other of this.readers.values()) {
      if (this.budgetKey(other.spec.profileId) !== key) continue;
      const a = other.spec.profileId === r.spec.profileId ? adapter : this.deps.adapterFor(other.spec.profileId);
      if (a && shares(a.rateBucket(other.spec.kind))) sharers++;
    }
    if (shares(adapter.rateBucket('metrics'))) sharers++;
    return Math.max(1, sharers);
  }

  /**
   * Reads what is newer than the reader's position, page after page down to it (up to
   * CATCH_UP_PAGES now). What is left becomes a gap filled later; what the network does not serve
   * any more (`horizon`) a gap that says so.
   */
  private async catchUp(
    r: Reader,
    adapter: NetworkAdapter,
    state: ReaderState,
    progress: { seq: number | null },
  ): Promise<{ delivered: number; skipped: number }> {
    const first = await this.read(r, adapter, { direction: 'newer', cursor: state.newer });
    this.checkStream(r, first.items);
    const note = (s: number | null) => {
      if (s !== null) progress.seq = s;
    };
    note(this.deliverEntries(r, first.items, {}, 'live'));
    let delivered = first.items.length;
    let skipped = first.skipped ?? 0;
    let oldest = oldestAt(first.items);
    let between = first.between ?? null;
    let horizon = first.horizon;
    const knownAt = state.newestAt;
    const newest = newestAt(first.items);
    // The position moves to the newest entry at once: whatever lies below is a gap until read.
    if (first.newer) state.newer = first.newer;
    if (newest && (!state.newestAt || newest > state.newestAt)) state.newestAt = newest;
    let pages = 1;
    const bucket = adapter.rateBucket(r.spec.kind);
    while (between) {
      if (pages >= CATCH_UP_PAGES || this.budget(r.spec.profileId).checkAll(bucket).why === 'spent') break;
      let page: Page<TimelineEntry>;
      try {
        page = await this.read(r, adapter, { direction: 'newer', cursor: between });
      } catch (err) {
        // Half-way: what was not read yet is a gap, then the failure is handled as any other.
        // A rate limit is the budget's doing, not a failure: it fills by itself after the reset.
        const why = err instanceof ColonnadeError && err.code === 'rate-limited' ? 'budget' : 'failed';
        if (oldest) note(this.openGap(r, state, { between, from: knownAt, to: oldest, why }));
        throw err;
      }
      pages++;
      note(this.deliverEntries(r, page.items, {}, 'catch-up'));
      delivered += page.items.length;
      skipped += page.skipped ?? 0;
      oldest = oldestAt(page.items) ?? oldest;
      between = page.between ?? null;
      horizon = page.horizon ?? horizon;
      if (!page.items.length) break;
    }
    if (between && oldest) {
      note(this.openGap(r, state, { between, from: knownAt, to: oldest, why: 'budget' }));
    } else if (horizon && (!knownAt || knownAt < horizon)) {
      note(this.openGap(r, state, { between: null, from: knownAt, to: oldest ?? horizon, why: 'horizon' }));
    }
    return { delivered, skipped };
  }

  private gapId(): string {
    return `${this.deps.clock.now().toString(36)}-${(++this.gapSeq).toString(36)}`;
  }

  /** Records a gap and shows its marker in the reader's columns; answers the delivery's seq. */
  private openGap(r: Reader, state: ReaderState, gap: Omit<GapState, 'id'>): number | null {
    const full: GapState = { id: this.gapId(), ...gap };
    state.gaps = [...state.gaps, full].slice(-50);
    this.deps.log.warn('a gap could not be read now', { reader: r.spec.key, from: gap.from, to: gap.to, why: gap.why });
    return this.deliverEntries(r, [gapEntry(full)], {}, null);
  }

  /** Reads down a gap up to `pages` pages; closes it when it reaches the position below it. */
  private async fillGap(
    r: Reader,
    adapter: NetworkAdapter,
    gap: GapState,
    pages: number,
    forUser: boolean,
  ): Promise<void> {
    const bucket = adapter.rateBucket(r.spec.kind);
    let between = gap.between;
    let oldest = gap.to;
    let seq: number | null = null;
    let n = 0;
    while (between && n < pages) {
      const decision = this.budget(r.spec.profileId).checkAll(bucket, forUser);
      if (decision.why === 'spent') {
        if (forUser) {
          throw new ColonnadeError('rate-limited', 'The network’s rate limit for this account is used up.', {
            resetAt: new Date(this.deps.clock.now() + decision.waitMs).toISOString(),
          });
        }
        break;
      }
      const page = await this.read(r, adapter, { direction: 'newer', cursor: between });
      n++;
      const s = this.deliverEntries(r, page.items, {}, 'catch-up');
      if (s !== null) seq = s;
      oldest = oldestAt(page.items) ?? oldest;
      between = page.between ?? null;
      if (!page.items.length) between = null;
    }
    const state = r.state;
    const index = state.gaps.findIndex((g) => g.id === gap.id);
    if (index < 0) return;
    if (between) {
      // Narrower: a new marker below what was loaded replaces the old one.
      const next: GapState = { ...gap, id: this.gapId(), between, to: oldest };
      state.gaps = state.gaps.map((g) => (g.id === gap.id ? next : g));
      const s = this.deliverEntries(r, [gapEntry(next)], { closedGaps: [gap.id] }, null);
      if (s !== null) seq = s;
    } else {
      state.gaps = state.gaps.filter((g) => g.id !== gap.id);
      const s = this.deliverEntries(r, [], { closedGaps: [gap.id] }, null);
      if (s !== null) seq = s;
    }
    this.positions.record(r.spec.key, state, seq);
  }

  private failed(
    r: Reader,
    adapter: NetworkAdapter,
    err: unknown,
    state: ReaderState,
    lastSeq: number | null,
    seeded: string[],
  ): number | null {
    // What was delivered before the failure stays: its position (and any gap opened) is kept.
    if (lastSeq !== null) {
      r.state = state;
      for (const id of seeded) r.seededHere.add(id);
      this.positions.record(r.spec.key, state, lastSeq, seeded);
    }
    if (r.stopped) return null;
    if (this.deps.adapterFor(r.spec.profileId) !== adapter) return 0; // reconnected meanwhile
    const error = toAppError(err);
    r.lastError = error;
    if (!(err instanceof ColonnadeError)) {
      this.deps.log.error('column poll failed', { reader: r.spec.key, error: String(err) });
    }
    r.failures++;
    const bucket = adapter.rateBucket(r.spec.kind);
    let delay: number;
    if (error.code === 'rate-limited') {
      // No request of this bucket before its reset.
      this.budget(r.spec.profileId).spent(bucket.bucket, bucket, error.resetAt);
      const reset = error.resetAt ? Date.parse(error.resetAt) : NaN;
      delay = Number.isFinite(reset) ? Math.max(1_000, reset - this.deps.clock.now()) : 60_000;
    } else if (error.code === 'auth-expired') {
      // Paused until the account is reconnected (accounts wake its readers then).
      delay = MAX_BACKOFF_MS;
    } else if (r.failures === 1 && error.code === 'transient' && error.reason !== 'timeout') {
      delay = Math.round(BROKEN_RETRY_MS * (0.5 + 0.5 * (this.deps.random ?? Math.random)()));
    } else {
      const base = adapter.pollIntervalMs(r.spec.kind);
      const backoff = Math.min(MAX_BACKOFF_MS, base * 2 ** Math.min(r.failures, 8));
      // Jitter (0.5–1.0 of the back-off), so readers that failed together do not retry together.
      delay = Math.round(backoff * (0.5 + 0.5 * (this.deps.random ?? Math.random)()));
    }
    if (error.code === 'auth-expired') this.deps.health?.(r.spec.profileId, error);
    this.status(r, { state: 'error', error, nextAt: new Date(this.deps.clock.now() + delay).toISOString() });
    return delay;
  }

  // ---- streams ---------------------------------------------------------------------------

  /**
   * A poll's newest page while a stream is open: a post made after the stream opened, older than
   * STREAM_GRACE_MS, that the stream never brought, means the stream is deaf. It is closed, and
   * the reader polls at its own pace (not every STREAM_SAFETY_MS) until it tries streaming again.
   */
  private checkStream(r: Reader, items: readonly TimelineEntry[]): void {
    if (!r.stream) return;
    const before = this.deps.clock.now() - STREAM_GRACE_MS;
    const missed = items.filter((e) => {
      if (!e.post || r.streamKeys.has(e.key)) return false;
      const at = Date.parse(e.at);
      // Made once the stream was surely listening (a second to connect), and long enough ago.
      return at > r.streamOpenedAt + STREAM_CONNECT_MS && at < before;
    });
    if (!missed.length) return;
    r.stream.close();
    r.stream = null;
    r.streamRetryAt = this.deps.clock.now() + STREAM_DEAF_RETRY_MS;
    this.deps.log.warn('a live stream missed posts; polling instead for a while', {
      reader: r.spec.key,
      missed: missed.length,
    });
  }

  private openStream(r: Reader, adapter: NetworkAdapter): void {
    if (r.stream || !adapter.stream || r.spec.merged || r.spec.kind !== 'hashtag') return;
    if (this.deps.clock.now() < r.streamRetryAt) return;
    try {
      r.streamOpenedAt = this.deps.clock.now();
      r.streamKeys = new Set();
      r.stream = adapter.stream(
        { kind: r.spec.kind, query: r.spec.query },
        {
          entry: (entry) => {
            if (r.stopped || !this.deps.adapterFor(r.spec.profileId)) return;
            if (r.streamKeys.size < DELIVERED_MEMORY) r.streamKeys.add(entry.key);
            r.streamDrops = 0;
            this.deliverEntries(r, [entry], {}, 'live');
          },
          deleted: (postId) => {
            for (const c of r.columns)
              this.deps.deliver({ columnId: c.id, entries: [], metrics: [], removed: [postId] });
          },
          down: (error) => {
            if (!r.stream) return;
            r.stream = null;
            if (this.deps.clock.now() - r.streamOpenedAt > STREAM_SAFETY_MS) r.streamDrops = 0; // it had worked
            // 30 s, then twice as long after each drop of a stream that brought nothing (a server
            // that never opens it), up to STREAM_DEAF_RETRY_MS; polling carries the column meanwhile.
            r.streamRetryAt =
              this.deps.clock.now() + Math.min(STREAM_DEAF_RETRY_MS, 30_000 * 2 ** Math.min(r.streamDrops, 10));
            r.streamDrops++;
            this.deps.log.warn('a live stream dropped; catching up by polling', {
              reader: r.spec.key,
              error: String(error),
            });
            // Catch up what the stream may have missed, now.
            this.wakeReader(r);
          },
        },
      );
    } catch (err) {
      r.stream = null;
      r.streamRetryAt = this.deps.clock.now() + 60_000;
      this.deps.log.warn('a live stream could not be opened', { reader: r.spec.key, error: String(err) });
    }
  }

  // ---- delivery --------------------------------------------------------------------------

  /**
   * Delivers entries to each column the reader feeds: routed by hashtag for merged readers,
   * matched against the monitor query (and marked with the profile that met them) for monitor
   * columns. Answers the last delivery's seq, or null when nothing was sent.
   */
  private deliverEntries(
    r: Reader,
    entries: readonly TimelineEntry[],
    extra: { olderFor?: Map<string, Cursor | null>; closedGaps?: string[]; only?: Set<string> },
    how: 'live' | 'catch-up' | null,
  ): number | null {
    let seq: number | null = null;
    /** Posts delivered to a column whose alert rule watches engagement: their counts are kept fresh. */
    const watched = new Set<string>();
    for (const column of r.columns) {
      if (extra.only && !extra.only.has(column.id)) continue;
      const keys = new Set(sourcesOf(column).map((s) => s.key));
      const members = r.spec.members.filter((m) => keys.has(m.key));
      let list = entries.filter((e) => e.gap || !r.spec.merged || members.some((m) => routesTo(e, m)));
      if (column.monitor) {
        const m = column.monitor;
        list = list
          .filter((e) => e.gap || (e.post !== null && matchesMonitor(e.post, m)))
          .map((e) => (e.gap ? e : { ...e, via: r.spec.profileId }));
      }
      if (r.spec.merged && list.length < entries.length) {
        const unrouted = entries.filter((e) => !e.gap && !r.spec.members.some((m) => routesTo(e, m)));
        if (unrouted.length)
          this.deps.log.info('posts of a merged search carried none of its hashtags (left out)', {
            reader: r.spec.key,
            keys: unrouted.map((e) => e.key).slice(0, 20),
          });
      }
      // A monitor column's history reads each of its sources (history.ts): its position says
      // which sources this reader's first page placed.
      const first = extra.olderFor?.has(column.id) ? (extra.olderFor.get(column.id) ?? null) : undefined;
      list = this.once(column.id, list);
      const older =
        first === undefined
          ? {}
          : {
              older: column.monitor
                ? compositeCursor(
                    members.map((m) => m.key),
                    first,
                  )
                : first,
            };
      const closed = extra.closedGaps?.length ? { closedGaps: extra.closedGaps } : {};
      if (!list.length && !('older' in older) && !('closedGaps' in closed)) continue;
      seq = this.deps.deliver({ columnId: column.id, entries: list, metrics: [], ...older, ...closed });
      this.lastSeq = seq;
      if (how && list.some((e) => e.post)) this.deps.arrived?.(column, list, how);
      if (column.alerts?.enabled && column.alerts.when === 'engagement') {
        for (const e of list) if (e.post) watched.add(e.post.id);
      }
    }
    const posts = entries.flatMap((e) => (e.post ? [e.post] : []));
    if (posts.length) this.refresher.met(r.spec.profileId, posts);
    if (watched.size) this.refresher.watch(r.spec.profileId, [...watched]);
    return seq;
  }

  /** `list` without the posts already delivered to this column lately; remembers the rest. */
  private once(columnId: string, list: TimelineEntry[]): TimelineEntry[] {
    let memory = this.delivered.get(columnId);
    if (!memory) this.delivered.set(columnId, (memory = new Set()));
    // By key and text: an edited post (same key, new text) is delivered again.
    const id = (e: TimelineEntry) => `${e.key}\n${e.post?.text ?? ''}`;
    const out = list.filter((e) => e.gap || !memory.has(id(e)));
    for (const e of out) {
      if (e.gap) continue;
      memory.add(id(e));
      if (memory.size > DELIVERED_MEMORY) memory.delete(memory.values().next().value!);
    }
    return out;
  }

  private deliverCounts(profileId: string, metrics: Map<string, Metrics>, removed: string[]): void {
    const column = this.columns.find((c) => sourcesOf(c).some((s) => s.profileId === profileId));
    if (!column || (metrics.size === 0 && removed.length === 0)) return;
    this.deps.deliver({
      columnId: column.id,
      entries: [],
      metrics: [...metrics].map(([postId, m]) => ({ postId, metrics: m })),
      ...(removed.length ? { removed } : {}),
    });
    if (metrics.size) this.deps.counted?.(metrics);
  }
}

/** A gap marker's entry: just below the oldest entry loaded above it. */
export function gapEntry(gap: GapState): TimelineEntry {
  const at = new Date(Date.parse(gap.to) - 1).toISOString();
  return { key: `gap:${gap.id}`, at, post: null, gap: { id: gap.id, from: gap.from, to: gap.to, why: gap.why } };
}

function newestAt(entries: readonly TimelineEntry[]): string | null {
  let best: string | null = null;
  for (const e of entries) if (!e.gap && (!best || e.at > best)) best = e.at;
  return best;
}

function oldestAt(entries: readonly TimelineEntry[]): string | null {
  let best: string | null = null;
  for (const e of entries) if (!e.gap && (!best || e.at < best)) best = e.at;
  return best;
}

export { emptyReaderState };
