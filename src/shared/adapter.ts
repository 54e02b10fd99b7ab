// The one interface every network implements (Sandbox first; X, Bluesky, Mastodon next).
// Adapters run in main only: they hold tokens and talk to servers.
import type { ColumnKind, Cursor, Metrics, Page, Post, Profile } from './model';

export interface TimelineRequest {
  kind: ColumnKind;
  /** Hashtag (without '#'), keywords, handle or list id, for the kinds that need one. */
  query?: string | undefined;
  /** Continue from this cursor; absent for the newest page. */
  cursor?: Cursor | null | undefined;
  /** 'older' pages backwards through history, 'newer' asks what arrived since `cursor`. */
  direction: 'older' | 'newer';
  limit: number;
}

export interface TextRules {
  /** How the network counts: X weights characters, Bluesky counts graphemes, Mastodon characters. */
  counting: 'weighted' | 'graphemes' | 'characters';
  maxLength: number;
  maxImages: number;
}

export interface RateLimitState {
  limit: number;
  remaining: number;
  resetAt: string;
}

export interface NetworkAdapter {
  readonly network: Post['network'];
  /** The profile behind the credentials; throws auth-expired when they no longer work. */
  verify(): Promise<Profile>;
  /** Column kinds this account can show, in the order the picker lists them. */
  columnKinds(): ColumnKind[];
  textRules(): TextRules;
  /** A page of a timeline; errors are ColonnadeErrors of the shared taxonomy. */
  readTimeline(req: TimelineRequest): Promise<Page<Post>>;
  /** Current counts for posts this adapter returned before. Unknown ids are left out. */
  refreshMetrics(postIds: readonly string[]): Promise<Map<string, Metrics>>;
  /** Minimum pause between two polls of one column, in milliseconds. */
  pollIntervalMs(kind: ColumnKind): number;
  rateLimit(): RateLimitState | null;
}
