// Sandbox as a network adapter: the same interface X, Bluesky and Mastodon implement.
import type { NetworkAdapter, TimelineRequest } from '../../../shared/adapter';
import { ColonnadeError } from '../../../shared/errors';
import type { ColumnKind, Metrics, Page, Post, Profile } from '../../../shared/model';
import type { Clock } from '../../core/ports';
import { LISTS } from './cast';
import type { PostFilter, SandboxWorld } from './world';

/** How many post numbers one request may look through for matches (keeps a rare search cheap). */
const SCAN_BUDGET = 6_000;

const COLUMN_KINDS: ColumnKind[] = ['home', 'mentions', 'notifications', 'hashtag', 'search', 'user', 'list'];

function filterFor(req: TimelineRequest, world: SandboxWorld): PostFilter {
  const query = (req.query ?? '').trim();
  switch (req.kind) {
    case 'home':
      return { kind: 'home' };
    case 'mentions':
    case 'notifications':
      return { kind: 'mentions' };
    case 'hashtag':
      return { kind: 'hashtag', tag: query.replace(/^#+/, '') };
    case 'search':
      return { kind: 'search', words: query.toLowerCase().split(/\s+/).filter(Boolean) };
    case 'user': {
      const handle = query.replace(/^@+/, '');
      if (!world.handles().some((h) => h.toLowerCase() === handle.toLowerCase())) {
        throw new ColonnadeError('not-found', `There is no @${handle} in the Sandbox.`);
      }
      return { kind: 'user', handle };
    }
    case 'list':
      if (!LISTS[query]) throw new ColonnadeError('not-found', `There is no list "${query}" in the Sandbox.`);
      return { kind: 'list', listId: query };
    case 'scheduled':
    case 'drafts':
      throw new ColonnadeError('invalid', 'Scheduled posts and drafts are not network timelines.');
  }
}

function parseCursor(cursor: string): number {
  const n = Number(cursor);
  if (!Number.isInteger(n)) throw new ColonnadeError('invalid', 'That page position is not valid for the Sandbox.');
  return n;
}

export class SandboxAdapter implements NetworkAdapter {
  readonly network = 'sandbox' as const;

  constructor(
    private readonly world: SandboxWorld,
    private readonly clock: Clock,
  ) {}

  async verify(): Promise<Profile> {
    return this.world.practiceProfile();
  }

  columnKinds(): ColumnKind[] {
    return [...COLUMN_KINDS];
  }

  textRules() {
    return { counting: 'graphemes' as const, maxLength: 500, maxImages: 4 };
  }

  pollIntervalMs(): number {
    return 2_000;
  }

  rateLimit() {
    return null;
  }

  async readTimeline(req: TimelineRequest): Promise<Page<Post>> {
    const now = this.clock.now();
    const filter = filterFor(req, this.world);
    const latest = this.world.latestAt(now);
    const oldest = this.world.oldest();
    const items: Post[] = [];

    if (req.direction === 'newer' && req.cursor) {
      // Everything after the cursor, newest first, up to the limit.
      const from = parseCursor(req.cursor);
      const floor = Math.max(from + 1, latest - SCAN_BUDGET);
      for (let n = latest; n >= floor && items.length < req.limit; n--) {
        if (this.world.matches(n, filter)) items.push(this.world.post(n, now));
      }
      return { items, older: null, newer: String(Math.max(latest, from)) };
    }

    const start = req.direction === 'older' && req.cursor ? Math.min(parseCursor(req.cursor) - 1, latest) : latest;
    let n = start;
    const stop = Math.max(oldest, start - SCAN_BUDGET);
    for (; n >= stop && items.length < req.limit; n--) {
      if (this.world.matches(n, filter)) items.push(this.world.post(n, now));
    }
    // n is now one below the last number looked at.
    const older = n >= oldest ? String(n + 1) : null;
    return { items, older, newer: String(latest) };
  }

  async refreshMetrics(postIds: readonly string[]): Promise<Map<string, Metrics>> {
    const now = this.clock.now();
    const out = new Map<string, Metrics>();
    for (const id of postIds) {
      const n = this.world.numberOf(id);
      if (n !== undefined) out.set(id, this.world.metrics(n, now));
    }
    return out;
  }
}
