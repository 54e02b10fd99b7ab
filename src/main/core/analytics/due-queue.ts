// When each tracked post of one profile is next observed: a binary min-heap of (instant, post id)
// with lazy removal (an entry whose post was observed since, or is gone, is dropped when it reaches
// the top), so 100,000 posts cost O(log n) per change, never a scan.

export interface DueEntry {
  /** When the post is due (ms since the epoch). */
  at: number;
  id: string;
}

export class DueQueue {
  private items: DueEntry[] = [];

  get size(): number {
    return this.items.length;
  }

  push(entry: DueEntry): void {
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

  peek(): DueEntry | undefined {
    return this.items[0];
  }

  pop(): DueEntry | undefined {
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
}
