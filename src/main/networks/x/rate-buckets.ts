// X's rate limits: which 15-minute window each endpoint draws from, named the way the engine
// shares an account's budget (`NetworkAdapter.rateBucket`, `AdapterContext.onRateWindow`).
import type { ColumnKind } from '../../../shared/model';
import { ColonnadeError } from '../../../shared/errors';

/** X counts every limit below over 15 minutes. */
export const X_WINDOW_MS = 15 * 60_000;

/**
 * The windows the columns and count refreshes draw from, with X's published per-user limits
 * (requests per 15 minutes with an OAuth 1.0a or OAuth 2.0 user token), from docs.x.com
 * "X API Rate Limits" (x-api/fundamentals/rate-limits: Timelines, Recent search, Posts lookup)
 * and "List Posts lookup" (x-api/lists/list-tweets: 900 per 15 minutes). The engine uses them
 * until a response's `x-rate-limit-*` headers say otherwise.
 */
export const X_BUCKETS = {
  /** GET /2/users/:id/timelines/reverse_chronological */
  home: 180,
  /** GET /2/users/:id/mentions */
  mentions: 300,
  /** GET /2/tweets/search/recent */
  search: 300,
  /** GET /2/users/:id/tweets */
  'user-posts': 900,
  /** GET /2/lists/:id/tweets */
  'list-posts': 900,
  /** GET /2/tweets?ids= (count refreshes, quoted posts, a new post as X shows it) */
  lookup: 5000,
} as const;
export type XBucket = keyof typeof X_BUCKETS;

/** Endpoints by method and path (ids as `:id`), each with the bucket its window is reported under. */
const ENDPOINTS: [method: string, path: RegExp, bucket: string][] = [
  ['GET', /^\/2\/users\/[^/]+\/timelines\/reverse_chronological$/, 'home'],
  ['GET', /^\/2\/users\/[^/]+\/mentions$/, 'mentions'],
  ['GET', /^\/2\/tweets\/search\/recent$/, 'search'],
  ['GET', /^\/2\/users\/(?!me$|by\/)[^/]+\/tweets$/, 'user-posts'],
  ['GET', /^\/2\/lists\/[^/]+\/tweets$/, 'list-posts'],
  ['GET', /^\/2\/tweets$/, 'lookup'],
  ['GET', /^\/2\/users\/me$/, 'me'],
  ['GET', /^\/2\/users\/by\/username\/[^/]+$/, 'user-lookup'],
  ['GET', /^\/2\/users\/[^/]+\/owned_lists$/, 'owned-lists'],
  ['POST', /^\/2\/tweets$/, 'posting'],
  ['DELETE', /^\/2\/tweets\/[^/]+$/, 'deleting'],
  ['POST', /^\/2\/users\/[^/]+\/likes$/, 'likes'],
  ['DELETE', /^\/2\/users\/[^/]+\/likes\/[^/]+$/, 'likes'],
  ['POST', /^\/2\/users\/[^/]+\/retweets$/, 'reposts'],
  ['DELETE', /^\/2\/users\/[^/]+\/retweets\/[^/]+$/, 'reposts'],
  ['POST', /^\/2\/media\/.*$/, 'media'],
];

/**
 * The bucket a response of `method` `path` (the API path, `/2/...`) reports its window under:
 * a name of `X_BUCKETS` for the reads columns make, a plain name for the others (`posting`,
 * `likes`…), and `METHOD /path/:id` for an endpoint not listed.
 */
export function bucketOfEndpoint(method: string, path: string): string {
  const m = method.toUpperCase();
  const found = ENDPOINTS.find(([em, re]) => em === m && re.test(path));
  return found ? found[2] : `${m} ${path.replace(/\/[0-9]+(?=\/|$)/g, '/:id')}`;
}

/**
 * The bucket a column kind's reads (or `metrics`, the count refreshes) draw from, with X's
 * published limit (see `X_BUCKETS`). A monitor on X is a recent search. Scheduled posts and
 * drafts read nothing from X: `invalid`.
 */
export function bucketOfKind(of: ColumnKind | 'metrics'): { bucket: XBucket; limit: number; windowMs: number } {
  const bucket = ((): XBucket => {
    switch (of) {
      case 'home':
        return 'home';
      case 'mentions':
      case 'notifications':
        return 'mentions';
      case 'hashtag':
      case 'search':
      case 'monitor':
        return 'search';
      case 'user':
        return 'user-posts';
      case 'list':
        return 'list-posts';
      case 'metrics':
        return 'lookup';
      case 'scheduled':
      case 'drafts':
      case 'analytics':
        throw new ColonnadeError('invalid', 'Scheduled posts and drafts are not read from X.');
    }
  })();
  return { bucket, limit: X_BUCKETS[bucket], windowMs: X_WINDOW_MS };
}
