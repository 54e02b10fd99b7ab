// The counts of the account's own posts for the analytics (NetworkAdapter.ownMetrics), from
// GET /2/tweets?ids= (100 ids a request; spec `GetPostsByIdsResponse`). X adds to the public
// counts (`public_metrics`: likes, reposts, replies, quotes, bookmarks, impressions) the owner-only
// `non_public_metrics` (url_link_clicks, user_profile_clicks), served only to the post's author
// and only for posts created in the last 30 days (docs.x.com "Timelines: integrate"). Asked for
// any other post, X leaves that post out of `data` and names it in `errors[]` with a
// `not-authorized-for-field` problem (spec `NotAuthorizedForFieldProblem`: `field`, `resource_id`;
// its words "Sorry, you are not authorized to access 'non_public_metrics' on the Tweet with
// ids…"), so the owner-only fields are asked only for posts under 30 days old, and a post refused
// anyway (clocks that differ) is asked again without them.
import { z } from 'zod';
import type { OwnMetrics, OwnPostRef } from '../../../shared/adapter';
import { ownerMetricsWanted } from '../../../shared/analytics-collection';
import type { MetricValues } from '../../../shared/analytics';
import { readProblems } from './problems';
import type { XTimeline } from './normalize';

/** Ids GET /2/tweets takes in one request (spec: `ids` maxItems 100). */
export const LOOKUP_BATCH = 100;
const PUBLIC_FIELDS = 'public_metrics,author_id';
const OWNER_FIELDS = `${PUBLIC_FIELDS},non_public_metrics`;

const Count = z.number().int().nonnegative().optional().catch(undefined);
const OwnTweetSchema = z.object({
  id: z.string().regex(/^[0-9]{1,19}$/),
  public_metrics: z
    .object({
      like_count: Count,
      retweet_count: Count,
      repost_count: Count,
      reply_count: Count,
      quote_count: Count,
      bookmark_count: Count,
      impression_count: Count,
    })
    .nullish()
    .catch(undefined),
  non_public_metrics: z
    .object({ impression_count: Count, url_link_clicks: Count, user_profile_clicks: Count })
    .nullish()
    .catch(undefined),
});

export interface OwnMetricsDeps {
  /** Now (ms since the epoch), to tell which posts are under 30 days old. */
  now: number;
  /** One GET /2/tweets with these query parameters (counted by the cost meter by the caller). */
  lookup(query: Record<string, string>): Promise<XTimeline>;
}

/** The values X gave for one post; owner-only ones null when not asked or not given. */
function valuesOf(t: z.infer<typeof OwnTweetSchema>): MetricValues {
  const pm = t.public_metrics ?? undefined;
  const np = t.non_public_metrics ?? undefined;
  const n = (v: number | undefined) => (v === undefined ? null : v);
  return {
    likes: n(pm?.like_count),
    reposts: n(pm?.retweet_count ?? pm?.repost_count),
    replies: n(pm?.reply_count),
    quotes: n(pm?.quote_count),
    bookmarks: n(pm?.bookmark_count),
    impressions: n(pm?.impression_count ?? np?.impression_count),
    linkClicks: n(np?.url_link_clicks),
    profileClicks: n(np?.user_profile_clicks),
  };
}

/**
 * Counts of the account's own posts (see the file's head): posts under 30 days old with the
 * owner-only metrics, older ones without, 100 ids a request. A post X says is gone
 * (`resource-not-found`, or `resource-unavailable`: its author suspended) is in `gone`; one it
 * refuses the owner-only fields for is read again without them; ids that are not X post ids are
 * left out. Throws what `lookup` throws.
 */
export async function readOwnMetrics(posts: readonly OwnPostRef[], deps: OwnMetricsDeps): Promise<OwnMetrics> {
  const values = new Map<string, MetricValues>();
  const gone: string[] = [];
  const young: string[] = [];
  const old: string[] = [];
  for (const p of posts) {
    if (!/^x:[0-9]{1,19}$/.test(p.id)) continue;
    (ownerMetricsWanted('x', p.createdAt, deps.now) ? young : old).push(p.id.slice(2));
  }
  const read = async (ids: string[], owner: boolean): Promise<string[]> => {
    const refused: string[] = [];
    for (let i = 0; i < ids.length; i += LOOKUP_BATCH) {
      const chunk = ids.slice(i, i + LOOKUP_BATCH);
      const t = await deps.lookup({ ids: chunk.join(','), 'tweet.fields': owner ? OWNER_FIELDS : PUBLIC_FIELDS });
      const answered = new Set<string>();
      for (const item of t.data ?? []) {
        const parsed = OwnTweetSchema.safeParse(item);
        if (!parsed.success || !chunk.includes(parsed.data.id)) continue;
        answered.add(parsed.data.id);
        values.set(`x:${parsed.data.id}`, valuesOf(parsed.data));
      }
      for (const p of readProblems(t.errors)) {
        const id = p.ids.find((x) => chunk.includes(x));
        if (!id || answered.has(id)) continue;
        if (p.type === 'not-authorized-for-field' || p.type === 'field-unauthorized') {
          if (!refused.includes(id)) refused.push(id);
        } else if (
          (p.type === 'resource-not-found' || p.type === 'resource-unavailable') &&
          (p.resourceType ?? 'tweet') === 'tweet'
        ) {
          gone.push(`x:${id}`);
        }
      }
    }
    return refused;
  };
  const refused = await read(young, true);
  await read([...old, ...refused], false);
  return { values, gone: [...new Set(gone)] };
}
