// Refusals X gives inside 200 answers: `errors[]` (spec `Problem` items) and no `data`.
//
// X answers a read it cannot serve with status 200 and only `errors[]`: the user timeline of a
// protected account (`not-authorized-for-resource`, resource_type `user`), the lookup of a
// suspended account (`resource-unavailable`, "User has been suspended: [name]."), an unknown
// user or list (`resource-not-found`). The same `errors[]` also names things the answer would
// only have included (a deleted referenced post, a missing author): those are partial errors,
// and a page that has nothing else is just empty. So a refusal is read from the problem about
// what was asked for (its resource type and id), and worded by type for that resource.
import { ColonnadeError } from '../../../shared/errors';
import { problemError, type XFeature } from './client';
import { readProblems, type Problem } from './problems';

/**
 * What a request asked for: a user (the user of a user timeline, by id and/or handle, or the
 * account itself), a list, or a post. A user without id nor handle matches any problem about a
 * user (`GET /2/users/me`).
 */
export type Target =
  { type: 'user'; id?: string; handle?: string } | { type: 'list'; id: string } | { type: 'tweet'; id: string };

/** Whether `p` is about `target`: the same resource type, and its id or handle (any case), or no id at all. */
function isAbout(p: Problem, target: Target): boolean {
  if (p.resourceType !== target.type) return false;
  const names = [target.id, target.type === 'user' ? target.handle : undefined]
    .filter((v): v is string => !!v)
    .map((v) => v.toLowerCase());
  if (!names.length || !p.ids.length) return true;
  return p.ids.some((id) => names.includes(id.toLowerCase()));
}

/** The raw problem (for `problemError`, which reads `type` and `detail`). */
const raw = (p: Problem) => ({ type: p.type, ...(p.detail ? { detail: p.detail } : {}) });

function userRefusal(p: Problem, handle: string | undefined, feature: XFeature): ColonnadeError {
  const detail = p.detail ? { detail: p.detail } : {};
  if (!handle) return problemError(raw(p), feature);
  const name = `@${handle}`;
  switch (p.type) {
    case 'resource-not-found':
      return new ColonnadeError('not-found', `There is no ${name} on X.`, {
        reason: 'profile-not-found',
        params: { name },
        ...detail,
      });
    case 'resource-unavailable':
      // X words the kind in `detail`: "User has been suspended: [name]." (withheld accounts differ).
      return /suspend/i.test(p.detail ?? '')
        ? new ColonnadeError('not-found', `X has suspended ${name}.`, {
            reason: 'x-suspended',
            params: { name },
            ...detail,
          })
        : new ColonnadeError('not-found', `${name} is not available on X.`, {
            reason: 'account-unavailable',
            params: { name },
            ...detail,
          });
    case 'not-authorized-for-resource':
      return new ColonnadeError(
        'not-allowed',
        `${name}’s posts are protected: X shows them to approved followers only.`,
        {
          reason: 'x-protected',
          params: { name },
          ...detail,
        },
      );
  }
  return problemError(raw(p), feature);
}

function listRefusal(p: Problem, feature: XFeature): ColonnadeError {
  const detail = p.detail ? { detail: p.detail } : {};
  switch (p.type) {
    case 'resource-not-found':
      return new ColonnadeError('not-found', 'That X list does not exist.', { reason: 'list-not-found', ...detail });
    case 'not-authorized-for-resource':
      return new ColonnadeError('not-allowed', 'That X list is private: X shows it to its owner only.', {
        reason: 'x-private-list',
        ...detail,
      });
  }
  return problemError(raw(p), feature);
}

function postRefusal(p: Problem, feature: XFeature): ColonnadeError {
  if (p.type === 'resource-not-found') {
    return new ColonnadeError('not-found', 'That post is no longer on X.', {
      reason: 'deleted',
      ...(p.detail ? { detail: p.detail } : {}),
    });
  }
  return problemError(raw(p), feature);
}

/**
 * The refusal of an answer that carries `errors[]` and no `data`: the problem about `target`,
 * worded by its type for that resource (a user: `profile-not-found`, `x-suspended` or
 * `account-unavailable`, `x-protected`, each with `params.name` `@handle`; a list:
 * `list-not-found`, `x-private-list`; a post: `deleted`; any other type as `problemError` maps
 * it), X's `detail` as `detail`. Null when no problem is about the target: the errors are
 * partial errors about what the answer would have included, and the answer is just empty.
 */
export function refusalOf(
  errors: readonly unknown[] | undefined,
  target: Target | null,
  feature: XFeature,
): ColonnadeError | null {
  if (!target || !errors?.length) return null;
  const about = readProblems(errors).find((p) => isAbout(p, target));
  if (!about) return null;
  switch (target.type) {
    case 'user':
      return userRefusal(about, target.handle, feature);
    case 'list':
      return listRefusal(about, feature);
    case 'tweet':
      return postRefusal(about, feature);
  }
}

/** The ids and types of `errors[]` items, for logs. */
export function describeProblems(
  errors: readonly unknown[] | undefined,
): { type: string; resource?: string; id?: string }[] {
  return readProblems(errors).map((p) => ({
    type: p.type,
    ...(p.resourceType ? { resource: p.resourceType } : {}),
    ...(p.ids[0] ? { id: p.ids[0] } : {}),
  }));
}
