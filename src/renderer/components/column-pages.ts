// A column's entries as its list shows them, read from Dexie a page at a time and kept live page
// by page (issue 7: long columns stay smooth). A single live query of the whole window read the
// whole window again, every entry and every post, at each delivery, each like, each refresh of the
// counts on screen, and each time scrolling asked for more; here a change reads again only the
// pages it touches, and scrolling on reads only the page it adds. What is shown is what
// `readColumn` would show for the same `limit` (db/database.ts `readColumnPage`).
import { liveQuery, type Subscription } from 'dexie';
import { useEffect, useRef, useState } from 'react';
import {
  readColumnPage,
  reuseUnchanged,
  type ColonnadeDb,
  type ColumnRead,
  type PageBounds,
  type PageRead,
  type ShownEntry,
} from '../db/database';

interface Page {
  /** Read at each run of its live query: an open page becomes fixed when one is added below it. */
  bounds: PageBounds;
  read?: PageRead;
  subscription?: Subscription;
}

/**
 * The pages of one column for one set of filters, from one place: the newest entry, or (`top`)
 * the reader's position while newer entries wait behind "N new posts", which then take no room
 * in the window. The first page starts there and holds what `limit` asked for when it was made; each page added below holds the entries the limit
 * grew by. Every page but the last has fixed bounds (by `at`), so an entry stored later in the
 * middle of the column (a gap filled) falls in the page whose span holds it; the last page stays
 * open at the bottom, so older entries stored from the network join it.
 */
export class ColumnPager {
  private readonly pages: Page[] = [];
  private limit = 0;
  private stopped = false;

  /**
   * @param onChange called with what the pages show (all of them, newest first, and how many
   *   entries the filters hid) whenever a page answers; not before the first page has answered.
   * @param onError called when a page cannot be read (its live query failed).
   */
  constructor(
    private readonly db: ColonnadeDb,
    private readonly columnId: string,
    private readonly keep: ((entry: ShownEntry) => boolean) | undefined,
    private readonly showHidden: boolean,
    private readonly onChange: (read: ColumnRead) => void,
    private readonly onError: (error: unknown) => void,
    /** What was shown before (other filters): entries that did not change keep their objects. */
    private shown: ShownEntry[] | undefined = undefined,
    /** Where the pages start (an ISO instant, `ColumnEntry.at`): entries at it or older; null: the newest. */
    private readonly top: string | null = null,
  ) {}

  /** Show (at least) the newest `limit` entries the filters keep, as far as the cache holds them. */
  setLimit(limit: number): void {
    this.limit = limit;
    this.grow();
  }

  stop(): void {
    this.stopped = true;
    for (const page of this.pages) page.subscription?.unsubscribe();
  }

  /** Entries the pages were made to hold. */
  private get asked(): number {
    return this.pages.reduce((n, p) => n + p.bounds.count, 0);
  }

  private grow(): void {
    if (this.stopped) return;
    const more = this.limit - this.asked;
    if (more <= 0) return;
    const last = this.pages.at(-1);
    if (!last)
      return this.add(
        this.top === null ? { upper: null, count: more } : { upper: this.top, includeUpper: true, count: more },
      );
    // A page is added below the last one once that one has answered and is full; while it holds
    // everything the cache has, it only reaches further (older entries stored later join it).
    if (!last.read) return;
    if (last.read.lower === null) {
      last.bounds = { ...last.bounds, count: last.bounds.count + more };
      return this.restart(last);
    }
    last.bounds = { ...last.bounds, lower: last.read.lower };
    this.add({ upper: last.read.lower, count: more });
  }

  private add(bounds: PageBounds): void {
    const page: Page = { bounds };
    this.pages.push(page);
    this.restart(page);
  }

  private restart(page: Page): void {
    page.subscription?.unsubscribe();
    const { db, columnId, keep, showHidden } = this;
    page.subscription = liveQuery(() => readColumnPage(db, columnId, page.bounds, keep, showHidden)).subscribe({
      next: (read) => {
        if (this.stopped) return;
        page.read = read;
        this.publish();
        if (page === this.pages.at(-1)) this.grow();
      },
      error: (err: unknown) => {
        if (!this.stopped) this.onError(err);
      },
    });
  }

  private publish(): void {
    // Nothing is shown before the first page: the column says it is loading.
    if (!this.pages[0]?.read) return;
    const entries: ShownEntry[] = [];
    let hidden = 0;
    for (const page of this.pages) {
      if (!page.read) break;
      entries.push(...page.read.entries);
      hidden += page.read.hidden;
    }
    this.shown = reuseUnchanged(this.shown, entries);
    this.onChange({ entries: this.shown, hidden });
  }
}

/** What a column's list shows, and from where it was read (`top`, as asked of `useColumnPages`). */
export interface PagedRead extends ColumnRead {
  top: string | null;
}

/**
 * What a column's list shows (see `ColumnPager`), live: undefined until its first page is read,
 * then what was read last (kept while pages are read again for new filters, or from a new `top`:
 * its `top` says which read it is). New filters, `showHidden`, `top` or column start again from
 * one page of `limit`; so does a smaller `limit` (the column was cleared, or shows its newest
 * posts again). A page that cannot be read throws here, as `useLiveQuery` does.
 */
export function useColumnPages(
  db: ColonnadeDb,
  columnId: string,
  limit: number,
  keep: ((entry: ShownEntry) => boolean) | undefined,
  showHidden: boolean,
  top: string | null = null,
): PagedRead | undefined {
  const [read, setRead] = useState<PagedRead | undefined>(undefined);
  const [failure, setFailure] = useState<{ error: unknown } | null>(null);
  const [restarts, setRestarts] = useState(0);
  const current = useRef<{ pager: ColumnPager; limit: number } | null>(null);
  const lastShown = useRef<ShownEntry[] | undefined>(undefined);
  lastShown.current = read?.entries;

  useEffect(() => {
    const pager: ColumnPager = new ColumnPager(
      db,
      columnId,
      keep,
      showHidden,
      (next) => {
        if (current.current?.pager === pager) setRead({ ...next, top });
      },
      (error) => {
        if (current.current?.pager === pager) setFailure({ error });
      },
      lastShown.current,
      top,
    );
    current.current = { pager, limit: 0 };
    return () => pager.stop();
  }, [db, columnId, keep, showHidden, top, restarts]);

  useEffect(() => {
    const now = current.current;
    if (!now) return;
    if (limit < now.limit) {
      setRestarts((n) => n + 1);
      return;
    }
    now.limit = limit;
    now.pager.setLimit(limit);
  }, [db, columnId, keep, showHidden, top, restarts, limit]);

  if (failure) throw failure.error;
  return read;
}
