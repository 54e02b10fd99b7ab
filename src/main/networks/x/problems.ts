// X's problems (RFC 7807; the spec's `components/schemas/Problem`), read in one place: the items
// of `errors[]` in 200 answers (partial errors, refusals about what was asked for) and in error
// bodies (an invalid-request's one item per refused parameter).

/** The URI X puts before a problem's type: `https://api.x.com/2/problems/<type>` (api.twitter.com before). */
const PROBLEM_PREFIX = /^https?:\/\/api\.(?:x|twitter)\.com\/2\/problems\//;

/**
 * A problem's type without X's URI prefix (`resource-not-found`, `client-forbidden`…);
 * `about:blank` when it has none (RFC 7807 §4.2), and any other URI as it is.
 */
export function problemType(type: unknown): string {
  return (typeof type === 'string' ? type : 'about:blank').replace(PROBLEM_PREFIX, '');
}

/** One item of `errors[]`, read loosely: no field is trusted to be there. */
export interface Problem {
  /** See `problemType`. */
  type: string;
  detail?: string;
  /** An invalid-request item's words about its parameter. */
  message?: string;
  /** What the problem is about: `tweet`, `user`, `list`… */
  resourceType?: string;
  /** Which one: `resource_id`, then `value` (a handle or id as asked for), as X wrote them. */
  ids: string[];
}

/** The readable items of `errors` (an item that is not an object is left out), in order. */
export function readProblems(errors: readonly unknown[] | null | undefined): Problem[] {
  return (errors ?? []).flatMap((e) => {
    if (typeof e !== 'object' || e === null) return [];
    const o = e as Record<string, unknown>;
    const str = (k: string) => (typeof o[k] === 'string' && o[k] !== '' ? (o[k] as string) : undefined);
    const detail = str('detail');
    const message = str('message');
    const resourceType = str('resource_type');
    const ids = [str('resource_id'), str('value')].filter((v): v is string => v !== undefined);
    return [
      {
        type: problemType(o['type']),
        ids,
        ...(detail ? { detail } : {}),
        ...(message ? { message } : {}),
        ...(resourceType ? { resourceType } : {}),
      },
    ];
  });
}
