// The outbox's timetable: a binary min-heap of (instant, job, profile) with lazy removal. An entry
// that no longer matches its target (cancelled, moved, sent) is dropped when it reaches the top,
// so scheduling and cancelling 10,000 jobs each cost O(log n), not a scan of the queue. The same
// heap keeps the metrics collector's observations (analytics/due-queue.ts), with its own entries.

export interface DueEntry {
  /** When to look at the target (ms since epoch). */
  at: number;
  jobId: string;
  profileId: string;
}

/** A binary min-heap by `at` (ms since the epoch); ties come out in no set order. */
export class DueHeap<T extends { at: number } = DueEntry> {
  private items: T[] = [];

  get size(): number {
    return this.items.length;
  }

  push(entry: T): void {
    const a = this.items;
    a.push(entry);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (a[parent]!.at <= a[i]!.at) break;
      [a[parent], a[i]] = [a[i]!, a[parent]!];
      i = parent;
    }
  }

  peek(): T | undefined {
    return this.items[0];
  }

  pop(): T | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && a[l]!.at < a[m]!.at) m = l;
        if (r < a.length && a[r]!.at < a[m]!.at) m = r;
        if (m === i) break;
        [a[m], a[i]] = [a[i]!, a[m]!];
        i = m;
      }
    }
    return top;
  }

  clear(): void {
    this.items = [];
  }
}
