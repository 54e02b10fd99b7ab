// Every error body X documents, in the shared taxonomy with its reason and X's own words.
// Bodies as X sends them: the spec's Problem types (x-api-v2.openapi.json, components/schemas/
// Problem), the live API's about:blank / client-forbidden / usage-capped bodies, OAuth errors.
import type { ClientRequest, IncomingMessage } from 'node:http';
import { ApiResponseError } from 'twitter-api-v2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { toColonnadeError, X_FEATURES, type XFeature } from '../../../../src/main/networks/x/client';
import en from '../../../../src/shared/i18n/en.json';
import fr from '../../../../src/shared/i18n/fr.json';
import { ColonnadeError } from '../../../../src/shared/errors';
import type { XEmulator } from '../../../emulators/x';
import { rig, startEmulator } from './harness';

const P = 'https://api.x.com/2/problems/';

function response(code: number, data: Record<string, unknown>, headers: Record<string, string> = {}) {
  return new ApiResponseError(`Request failed with code ${code}`, {
    code,
    data: data as never,
    headers,
    request: {} as ClientRequest,
    response: {} as IncomingMessage,
  });
}

const cases: [string, number, Record<string, unknown>, { code: string; reason: string }][] = [
  [
    'duplicate content (403 about:blank)',
    403,
    {
      detail: 'You are not allowed to create a Tweet with duplicate content.',
      type: 'about:blank',
      title: 'Forbidden',
      status: 403,
    },
    { code: 'invalid', reason: 'duplicate-post' },
  ],
  [
    'an over-long text (400 invalid-request)',
    400,
    { type: `${P}invalid-request`, title: 'Invalid Request', detail: 'Your Tweet text is too long.' },
    { code: 'invalid', reason: 'too-long' },
  ],
  [
    'an over-long text named in errors[] (400)',
    400,
    {
      errors: [{ parameters: { text: ['…'] }, message: 'The text of your post is too long.' }],
      title: 'Invalid Request',
      detail: 'One or more parameters to your request was invalid.',
      type: 'https://api.twitter.com/2/problems/invalid-request',
    },
    { code: 'invalid', reason: 'too-long' },
  ],
  [
    'another invalid request',
    400,
    { type: `${P}invalid-request`, title: 'Invalid Request', detail: 'Your media IDs are invalid.' },
    { code: 'invalid', reason: 'invalid-request' },
  ],
  [
    'a reply to a deleted post',
    403,
    {
      detail: 'You attempted to reply to a Tweet that is deleted or not visible to you.',
      type: 'about:blank',
      title: 'Forbidden',
      status: 403,
    },
    { code: 'not-found', reason: 'x-deleted-or-hidden' },
  ],
  [
    'an app without write permission',
    403,
    {
      detail: 'Your client app is not configured with the appropriate oauth1 app permissions for this endpoint.',
      type: 'about:blank',
      title: 'Forbidden',
      status: 403,
    },
    { code: 'not-allowed', reason: 'x-app-permissions' },
  ],
  [
    'another 403',
    403,
    { detail: 'You are not permitted to perform this action.', type: 'about:blank', title: 'Forbidden', status: 403 },
    { code: 'not-allowed', reason: 'forbidden' },
  ],
  [
    '401',
    401,
    { title: 'Unauthorized', detail: 'Unauthorized', type: 'about:blank', status: 401 },
    { code: 'auth-expired', reason: 'session-expired' },
  ],
  [
    '429',
    429,
    { title: 'Too Many Requests', detail: 'Too Many Requests', type: 'about:blank', status: 429 },
    { code: 'rate-limited', reason: 'rate-limited' },
  ],
  [
    'usage-capped',
    429,
    {
      title: 'UsageCapExceeded',
      detail: 'Usage cap exceeded: Monthly product cap',
      period: 'Monthly',
      scope: 'Product',
      type: 'https://api.twitter.com/2/problems/usage-capped',
    },
    { code: 'rate-limited', reason: 'x-usage-capped' },
  ],
  [
    'client-forbidden (not enrolled)',
    403,
    {
      title: 'Client Forbidden',
      detail:
        'When authenticating requests to the Twitter API v2 endpoints, you must use keys and tokens from a Twitter developer App that is attached to a Project.',
      reason: 'client-not-enrolled',
      type: `${P}client-forbidden`,
    },
    { code: 'not-allowed', reason: 'x-plan-excludes' },
  ],
  [
    'client-forbidden (official client)',
    403,
    {
      title: 'Client Forbidden',
      detail: 'Forbidden.',
      reason: 'official-client-forbidden',
      type: `${P}client-forbidden`,
    },
    { code: 'not-allowed', reason: 'x-official-client-forbidden' },
  ],
  [
    'unsupported-authentication',
    403,
    {
      title: 'Unsupported Authentication',
      detail: 'Authenticating with OAuth 2.0 Application-Only is forbidden for this endpoint.',
      type: `${P}unsupported-authentication`,
    },
    { code: 'not-allowed', reason: 'x-unsupported-authentication' },
  ],
  [
    'resource-not-found',
    404,
    {
      title: 'Not Found Error',
      detail: 'Could not find tweet with id: [1].',
      resource_type: 'tweet',
      type: `${P}resource-not-found`,
    },
    { code: 'not-found', reason: 'x-not-found' },
  ],
  [
    'resource-unavailable',
    403,
    {
      title: 'Forbidden',
      detail: 'User has been suspended: [bob].',
      resource_type: 'user',
      type: `${P}resource-unavailable`,
    },
    { code: 'not-found', reason: 'x-unavailable' },
  ],
  [
    'not-authorized-for-resource',
    403,
    {
      title: 'Forbidden',
      detail: 'You are not allowed to act for another user.',
      resource_type: 'user',
      type: `${P}not-authorized-for-resource`,
    },
    { code: 'not-allowed', reason: 'x-not-authorized' },
  ],
  [
    'not-authorized-for-field',
    403,
    {
      title: 'Field Authorization Error',
      detail: "Sorry, you are not authorized to access 'non_public_metrics'.",
      field: 'non_public_metrics',
      type: `${P}not-authorized-for-field`,
    },
    { code: 'not-allowed', reason: 'x-field-not-authorized' },
  ],
  [
    'field-unauthorized',
    403,
    { title: 'Field Unauthorized', detail: 'Not authorized for field.', field: 'x', type: `${P}field-unauthorized` },
    { code: 'not-allowed', reason: 'x-field-not-authorized' },
  ],
  [
    'disallowed-resource',
    403,
    { title: 'Disallowed Resource', detail: 'This resource is not allowed.', type: `${P}disallowed-resource` },
    { code: 'not-allowed', reason: 'x-disallowed' },
  ],
  [
    'field-hydration-failure',
    500,
    { title: 'Hydration', detail: 'Could not hydrate field.', field: 'x', type: `${P}field-hydration-failure` },
    { code: 'transient', reason: 'server-error' },
  ],
  [
    'internal-error',
    500,
    { title: 'Internal Error', detail: 'Something broke.', type: `${P}internal-error` },
    { code: 'transient', reason: 'server-error' },
  ],
  [
    'operational-disconnect',
    503,
    {
      title: 'Operational Disconnect',
      detail: 'This stream has been disconnected.',
      type: 'https://api.twitter.com/2/problems/operational-disconnect',
    },
    { code: 'transient', reason: 'connection-broken' },
  ],
  [
    'conflict',
    409,
    {
      title: 'Conflict',
      detail: 'The list is already being followed.',
      type: 'https://api.twitter.com/2/problems/conflict',
    },
    { code: 'invalid', reason: 'x-conflict' },
  ],
  [
    'rule-cap',
    400,
    {
      title: 'Rule Cap',
      detail: 'You have exceeded the number of rules.',
      type: 'https://api.twitter.com/2/problems/rule-cap',
    },
    { code: 'invalid', reason: 'x-stream-rules' },
  ],
  [
    '402 (no credit)',
    402,
    {
      title: 'CreditsDepleted',
      detail: 'Your enrolled account does not have any credits.',
      type: 'about:blank',
      status: 402,
    },
    { code: 'not-allowed', reason: 'x-payment-required' },
  ],
  [
    'OAuth invalid_request',
    400,
    { error: 'invalid_request', error_description: 'Value passed for the token was invalid.' },
    { code: 'auth-expired', reason: 'x-sign-in-refused' },
  ],
  [
    'OAuth invalid_client',
    401,
    { error: 'invalid_client', error_description: 'Missing valid authorization header' },
    { code: 'auth-expired', reason: 'x-app-refused' },
  ],
];

describe('X errors in words', () => {
  it.each(cases)('maps %s to its code and reason, with X’s words', (_, status, body, expected) => {
    const err = toColonnadeError(response(status, body), 'posting');
    expect(err).toBeInstanceOf(ColonnadeError);
    expect({ code: err.code, reason: err.reason }).toEqual(expected);
    const words = (body['detail'] ?? body['error_description']) as string;
    expect(err.detail).toBe(words);
  });

  it('keeps the reset time of a 429', () => {
    const err = toColonnadeError(
      response(
        429,
        { title: 'Too Many Requests', detail: 'Too Many Requests', type: 'about:blank', status: 429 },
        {
          'x-rate-limit-reset': '1900000000',
        },
      ),
      'search',
    );
    expect(err.resetAt).toBe('2030-03-17T17:46:40.000Z');
  });

  it('keeps "could not read" (invalid without a reason) for a body that is not X’s', () => {
    const err = toColonnadeError(response(418, { weird: true }), 'search');
    expect(err).toMatchObject({ code: 'invalid', reason: 'invalid-request' });
    expect(toColonnadeError(new SyntaxError('x'), 'search').code).toBe('transient');
  });
});

describe('X errors name what was being done, in the UI’s language', () => {
  const keys = Object.keys(X_FEATURES) as XFeature[];

  it('has an English and a French name for every feature an X error can name', () => {
    for (const key of keys) {
      expect(en.features, key).toHaveProperty([key]);
      expect(fr.features, key).toHaveProperty([key]);
    }
  });

  it('every feature the X code passes is one of them (signing in, quoted posts, recent posts…)', () => {
    const files = ['adapter.ts', 'oauth.ts', 'token-keeper.ts', 'refusals.ts'].map((f) =>
      readFileSync(new URL(`../../../../src/main/networks/x/${f}`, import.meta.url), 'utf8'),
    );
    const source = files.join('\n');
    const passed = new Set<string>();
    const add = (text: string, form: RegExp) => {
      for (const m of text.matchAll(form)) passed.add(m[1]!);
    };
    add(source, /this\.(?:call|getTimeline)\(\s*'([^']+)'/g); // this.call('posting', …)
    add(source, /toColonnadeError\(\w+,\s*'([^']+)'\)/g); // toColonnadeError(err, 'signing-in')
    add(source, /refusalOf\([^;]*?,\s*'([^']+)'\)/g); // refusalOf(errors, target, 'lists')
    // The column kinds' table and the actions' choice.
    add(/const FEATURE[^=]*= \{([^}]*)\}/.exec(source)?.[1] ?? '', /: '([^']+)'/g);
    add(/const feature: XFeature = ([^;]*);/.exec(source)?.[1] ?? '', /[?:] '([^']+)'/g);
    for (const expected of ['signing-in', 'quoted-posts', 'recent-posts', 'account-check', 'deleting', 'home'])
      expect(passed).toContain(expected);
    for (const feature of passed) expect(keys, feature).toContain(feature);
  });

  it.each(Object.keys(X_FEATURES) as XFeature[])('a refusal during %s names it, never “other”', (key) => {
    const err = toColonnadeError(
      response(403, { type: `${P}client-forbidden`, title: 'Client Forbidden', detail: 'Not in your plan.' }),
      key,
    );
    expect(err.params?.['feature']).toBe(key);
    expect(err.message).toContain(X_FEATURES[key]);
  });
});

describe('X errors from the emulator', () => {
  let emu: XEmulator;
  beforeAll(async () => {
    emu = await startEmulator({ homePosts: 10 });
  });
  afterAll(async () => {
    expect(emu.violations).toEqual([]);
    await emu.close();
  });

  it('a second post with the same text reads as a duplicate post, not as a missing permission', async () => {
    const { adapter } = rig(emu);
    await adapter.publish({ text: 'Doors open at 7', idempotencyKey: 'a' });
    const err = (await adapter
      .publish({ text: 'Doors open at 7', idempotencyKey: 'b' })
      .catch((e: unknown) => e)) as ColonnadeError;
    expect(err).toMatchObject({
      code: 'invalid',
      reason: 'duplicate-post',
      detail: 'You are not allowed to create a Tweet with duplicate content.',
    });
    expect(emu.state.timeline((t) => t.text === 'Doors open at 7')).toHaveLength(1);
  });

  it('an endpoint outside the plan names the plan, with X’s words', async () => {
    const { adapter } = rig(emu);
    emu.control.excludeFromPlan('GET /2/lists/{id}/tweets');
    const err = (await adapter
      .readTimeline({ kind: 'list', query: '1600000000000000001', direction: 'older', limit: 5 })
      .catch((e: unknown) => e)) as ColonnadeError;
    expect(err).toMatchObject({
      code: 'not-allowed',
      reason: 'x-plan-excludes',
      message: 'Your X plan does not include lists.',
    });
    expect(err.detail).toMatch(/^When authenticating requests/);
  });
});
