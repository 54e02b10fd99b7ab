// Simulated time for benchmarks that run the core's timers against real local servers: a clock
// (the core's Clock port: now, setTimeout, clearTimeout) that moves only when told, one timer at
// a time, and stands still while the requests those timers started are answered. Hours of
// polling then take seconds, and every delay the code under test computes is kept exactly: a
// poll that fires at 12:00:30 sees 12:00:30 until its answers have all arrived.
//
// "Answered" is known from the adapters: `tracked(adapter, inflight)` wraps one so that each call
// returning a promise counts as in flight until it settles, and `inflight.settle()` waits for
// none to be left (nor started again over a few event-loop turns).

/** How long real time may pass with a call in flight before `settle` gives up (ms). */
const STUCK_MS = 60_000;
/** Event-loop turns with nothing in flight before the system counts as quiet. */
const QUIET_TURNS = 3;

const turn = () => new Promise((resolve) => setImmediate(resolve));

/**
 * Calls in flight through tracked adapters. `count` is how many now; `settle()` resolves once
 * none is left for QUIET_TURNS event-loop turns in a row; it rejects when one stays unanswered
 * for STUCK_MS of real time (naming the calls still waiting).
 */
export class Inflight {
  count = 0;
  /** Method names of the calls in flight (for the error when one hangs). */
  #names = new Map();
  #waiters = [];

  begin(name) {
    this.count++;
    this.#names.set(name, (this.#names.get(name) ?? 0) + 1);
  }

  end(name) {
    this.count--;
    const n = (this.#names.get(name) ?? 1) - 1;
    if (n) this.#names.set(name, n);
    else this.#names.delete(name);
    if (this.count === 0) for (const wake of this.#waiters.splice(0)) wake();
  }

  async settle() {
    let quiet = 0;
    while (quiet < QUIET_TURNS) {
      await turn();
      if (this.count === 0) {
        quiet++;
        continue;
      }
      quiet = 0;
      let timer;
      const stuck = new Promise((_, reject) => {
        timer = setTimeout(() => {
          const names = [...this.#names].map(([n, c]) => `${n} ×${c}`).join(', ');
          reject(new Error(`a call stayed unanswered for ${STUCK_MS / 1000} s of real time: ${names}`));
        }, STUCK_MS);
      });
      try {
        await Promise.race([new Promise((resolve) => this.#waiters.push(resolve)), stuck]);
      } finally {
        clearTimeout(timer);
      }
    }
  }
}

/**
 * `adapter` with every method that returns a promise counted in `inflight` while it runs;
 * `onError(method, err)` hears each rejection (the caller still gets it). The same wrapper object
 * is answered for every property read, so identity checks on it hold.
 */
export function tracked(adapter, inflight, onError = () => {}) {
  const wrapped = new Map();
  return new Proxy(adapter, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target);
      if (typeof value !== 'function') return value;
      let fn = wrapped.get(prop);
      if (!fn) {
        fn = (...args) => {
          const result = value.apply(target, args);
          if (!result || typeof result.then !== 'function') return result;
          const name = String(prop);
          inflight.begin(name);
          return result.then(
            (v) => {
              inflight.end(name);
              return v;
            },
            (err) => {
              inflight.end(name);
              onError(name, err);
              throw err;
            },
          );
        };
        wrapped.set(prop, fn);
      }
      return fn;
    },
  });
}

/**
 * A clock that moves only through `runUntil` (firing due timers in order, waiting for `settle`
 * after each) and `sleep` (moving without firing anything, as a laptop asleep: the timers that
 * fell due fire at the next `runUntil`, late, as the OS fires them on resume).
 * Timers due at the same instant fire in the order they were set.
 */
export class SimClock {
  #timers = [];
  #nextId = 1;

  /** @param start ms since the epoch. */
  constructor(start) {
    this.time = start;
  }

  now = () => this.time;

  setTimeout = (fn, ms) => {
    const id = this.#nextId++;
    const at = this.time + Math.max(0, Number(ms) || 0);
    // Kept sorted by time, then by the order they were set (binary search for the slot).
    let lo = 0;
    let hi = this.#timers.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#timers[mid].at <= at) lo = mid + 1;
      else hi = mid;
    }
    this.#timers.splice(lo, 0, { at, fn, id });
    return id;
  };

  clearTimeout = (handle) => {
    const i = this.#timers.findIndex((t) => t.id === handle);
    if (i >= 0) this.#timers.splice(i, 1);
  };

  /** Timers set and not yet fired. */
  pending() {
    return this.#timers.length;
  }

  /** Moves the clock by `ms` without firing anything. */
  sleep(ms) {
    this.time += ms;
  }

  /**
   * Fires every timer due up to `end` (ms since the epoch) in order, the clock at each one's
   * time (or now, for those that fell due during a sleep), awaiting `settle()` after each; then
   * sets the clock to `end` and settles once more. `each(time)` runs after every settled timer.
   */
  async runUntil(end, settle, each = () => {}) {
    await settle();
    for (;;) {
      const next = this.#timers[0];
      if (!next || next.at > end) break;
      this.#timers.shift();
      this.time = Math.max(this.time, next.at);
      next.fn();
      await settle();
      await each(this.time);
    }
    this.time = Math.max(this.time, end);
    await settle();
  }
}
