// An account's rate budget, shared by every column, monitor and count refresh of that account.
// Each network states its windows in response headers (X `x-rate-limit-*` per endpoint, Mastodon
// `X-RateLimit-*` per account, Bluesky `ratelimit-*`); adapters report them as RateWindow, and
// until one is seen the network's published default (`NetworkAdapter.rateBucket`) stands.
import type { RateBucket, RateWindow } from '../../../shared/adapter';

/** Share of every window kept for what the CM does herself (posting, likes, replies). */
export const RESERVE_SHARE = 0.15;
/** Share of a window that may be spent at once, ahead of the pro-rata pace. */
export const BURST_SHARE = 0.1;

interface Bucket {
  limit: number;
  remaining: number;
  /** ms since epoch when `remaining` is back to `limit`. */
  resetAt: number;
  windowMs: number;
  /** True once a response stated this window (else: the published default, counted locally). */
  stated: boolean;
  /** When the last request of this bucket was let through (ms). */
}

export interface BudgetDecision {
  /** 0: go now; else wait this many ms (until the window resets, or to pace the window). */
  waitMs: number;
  /** Why it must wait: the window is spent (a 429, or nothing left but the reserve), or pacing. */
  why: 'spent' | 'paced' | null;
}

/**
 * One account's buckets. `take` is asked before each request and counts it; `observe` corrects
 * the count from what the server said; `spent` records a 429's reset (no request before it).
 */
export class RateBudget {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly now: () => number) {}

  /** The bucket a request draws from, created from the network's published default if unseen. */
  private bucket(name: string, defaults: { limit: number; windowMs: number }): Bucket {
    let b = this.buckets.get(name);
    const now = this.now();
    if (!b) {
      b = {
        limit: defaults.limit,
        remaining: defaults.limit,
        resetAt: now + defaults.windowMs,
        windowMs: defaults.windowMs,
        stated: false,
      };
      this.buckets.set(name, b);
    }
    if (now >= b.resetAt) {
      // A new window: full again until a response says otherwise.
      b.remaining = b.limit;
      b.resetAt = now + b.windowMs;
    }
    return b;
  }

  /**
   * May a request of this bucket go now? Keeps RESERVE_SHARE of the window for the CM's own
   * actions (`forUser` requests may use it), and paces the rest evenly over what is left of the
   * window, so a burst of polls never spends a window in its first minute.
   */
  check(name: string, defaults: { limit: number; windowMs: number }, forUser = false): BudgetDecision {
    const b = this.bucket(name, defaults);
    const now = this.now();
    const reserve = forUser ? 0 : Math.max(1, Math.ceil(b.limit * RESERVE_SHARE));
    const usable = b.remaining - reserve;
    if (usable <= 0) return { waitMs: Math.max(1, b.resetAt - now), why: 'spent' };
    if (forUser) return { waitMs: 0, why: null };
    // Pro rata: by this point of the window, the requests made may reach the share of the
    // window elapsed, plus a burst (so a deck's columns all start at once).
    const spendable = b.limit - reserve;
    const burst = Math.max(5, Math.ceil(spendable * BURST_SHARE));
    const used = b.limit - b.remaining;
    const start = b.resetAt - b.windowMs;
    const allowance = (spendable * Math.max(0, now - start)) / b.windowMs + burst;
    if (used < allowance) return { waitMs: 0, why: null };
    const at = start + ((used + 1 - burst) * b.windowMs) / spendable;
    return { waitMs: Math.max(1, Math.ceil(at - now)), why: 'paced' };
  }

  /**
   * `check` over every window a request draws from (`rb` and `rb.also`): it may go when all allow
   * it; otherwise the longest wait, 'spent' if any window is spent.
   */
  checkAll(rb: RateBucket, forUser = false): BudgetDecision {
    let worst: BudgetDecision = { waitMs: 0, why: null };
    for (const b of [rb, ...(rb.also ?? [])]) {
      const d = this.check(b.bucket, b, forUser);
      if (d.why === 'spent' && worst.why !== 'spent') worst = d;
      else if (d.waitMs > worst.waitMs && (worst.why !== 'spent' || d.why === 'spent')) worst = d;
    }
    return worst;
  }

  /** `headroom` of the tightest window a request draws from. */
  headroomAll(rb: RateBucket): { usable: number; resetInMs: number } {
    return [rb, ...(rb.also ?? [])]
      .map((b) => this.headroom(b.bucket, b))
      .reduce((a, b) => (b.usable < a.usable ? b : a));
  }

  /** `steadyRate` of the tightest window a request draws from. */
  steadyRateAll(rb: RateBucket): number {
    return Math.min(...[rb, ...(rb.also ?? [])].map((b) => this.steadyRate(b.bucket, b)));
  }

  /** `take` in every window a request draws from. */
  takeAll(rb: RateBucket): void {
    for (const b of [rb, ...(rb.also ?? [])]) this.take(b.bucket, b);
  }

  /** Counts one request of this bucket (before the server's answer corrects it). */
  take(name: string, defaults: { limit: number; windowMs: number }): void {
    const b = this.bucket(name, defaults);
    b.remaining = Math.max(0, b.remaining - 1);
  }

  /** What a response's headers said about its window. */
  observe(window: RateWindow): void {
    const resetAt = Date.parse(window.resetAt);
    if (!Number.isFinite(resetAt) || window.limit <= 0) return;
    const now = this.now();
    const existing = this.buckets.get(window.bucket);
    const windowMs = existing?.windowMs ?? Math.max(60_000, resetAt - now);
    this.buckets.set(window.bucket, {
      limit: window.limit,
      remaining: Math.max(0, Math.min(window.limit, window.remaining)),
      resetAt: Math.max(resetAt, now),
      windowMs,
      stated: true,
    });
  }

  /** A 429: nothing left in this bucket until `resetAt` (ISO), or for a minute when unknown. */
  spent(name: string, defaults: { limit: number; windowMs: number }, resetAt: string | undefined): void {
    const b = this.bucket(name, defaults);
    const at = resetAt ? Date.parse(resetAt) : NaN;
    b.remaining = 0;
    b.resetAt = Number.isFinite(at) ? Math.max(at, this.now() + 1_000) : this.now() + 60_000;
  }

  /** Requests a bucket may still make in its window beyond the reserve, and ms to its reset. */
  headroom(name: string, defaults: { limit: number; windowMs: number }): { usable: number; resetInMs: number } {
    const b = this.bucket(name, defaults);
    const reserve = Math.max(1, Math.ceil(b.limit * RESERVE_SHARE));
    return { usable: Math.max(0, b.remaining - reserve), resetInMs: Math.max(0, b.resetAt - this.now()) };
  }

  /**
   * The steady request rate a bucket allows, per ms, keeping the reserve: the basis for sharing
   * it among the readers that draw from it.
   */
  steadyRate(name: string, defaults: { limit: number; windowMs: number }): number {
    const b = this.bucket(name, defaults);
    const reserve = Math.max(1, Math.ceil(b.limit * RESERVE_SHARE));
    return Math.max(0, b.limit - reserve) / b.windowMs;
  }
}
