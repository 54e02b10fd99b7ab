// X answers a read it cannot serve with 200 and only `errors[]` (spec `Problem` items). Each such
// answer says what is wrong with what the column asks for (a protected or suspended account, a
// missing or private list), in words and with X's own `detail`; errors about anything else leave
// an empty page. Bodies as X sends them live (stub: tweepy/tweepy#2070, redouane59/twittered#157)
// and as the emulator sends them within the spec.
import { afterEach, describe, expect, it } from 'vitest';
import { ColonnadeError } from '../../../../src/shared/errors';
import type { XEmulator } from '../../../emulators/x';
import { rig, stubX, type StubAnswer, type StubRequest, useEmulator } from './harness';

const LOCKED_ID = '1500000000000000099';
const PROTECTED_BODY = {
  errors: [
    {
      resource_id: LOCKED_ID,
      parameter: 'id',
      resource_type: 'user',
      section: 'data',
      title: 'Authorization Error',
      value: LOCKED_ID,
      detail: `Sorry, you are not authorized to see the user with id: [${LOCKED_ID}].`,
      type: 'https://api.twitter.com/2/problems/not-authorized-for-resource',
    },
  ],
  meta: {},
};
const SUSPENDED_BODY = {
  errors: [
    {
      value: 'spam_brand',
      detail: 'User has been suspended: [spam_brand].',
      title: 'Forbidden',
      resource_type: 'user',
      parameter: 'username',
      resource_id: 'spam_brand',
      type: 'https://api.twitter.com/2/problems/resource-unavailable',
    },
  ],
};
/** A partial error about one post, the only thing in a page (search, mentions). */
const TWEET_ERROR_BODY = {
  errors: [
    {
      title: 'Authorization Error',
      detail: 'Sorry, you are not authorized to see the Tweet with id: [1500000000000009999].',
      type: 'https://api.twitter.com/2/problems/not-authorized-for-resource',
      resource_type: 'tweet',
      resource_id: '1500000000000009999',
      value: '1500000000000009999',
      parameter: 'ids',
    },
  ],
  meta: { result_count: 0 },
};

const stubs: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(stubs.splice(0).map((s) => s.close()));
});

async function stub(handler: (req: StubRequest) => StubAnswer | undefined) {
  const s = await stubX(handler);
  stubs.push(s);
  return s;
}

async function refusal(p: Promise<unknown>): Promise<ColonnadeError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ColonnadeError);
  return err as ColonnadeError;
}

describe('X refusals inside 200 answers (as X sends them live)', () => {
  it('a protected account’s column says it is protected, naming it, not that it does not exist', async () => {
    const { adapter } = await stub(({ url }) => {
      if (url.pathname === '/2/users/by/username/locked_brand')
        return { status: 200, body: { data: { id: LOCKED_ID, username: 'locked_brand', name: 'Locked' } } };
      if (url.pathname === `/2/users/${LOCKED_ID}/tweets`) return { status: 200, body: PROTECTED_BODY };
      return undefined;
    });
    const err = await refusal(
      adapter.readTimeline({ kind: 'user', query: 'locked_brand', direction: 'older', limit: 20 }),
    );
    expect(err).toMatchObject({
      code: 'not-allowed',
      reason: 'x-protected',
      params: { name: '@locked_brand' },
      detail: `Sorry, you are not authorized to see the user with id: [${LOCKED_ID}].`,
    });
    expect(err.message).not.toMatch(/There is no/);
  });

  it('a suspended account’s column says it is suspended, naming it, with X’s words', async () => {
    const { adapter } = await stub(({ url }) =>
      url.pathname === '/2/users/by/username/spam_brand' ? { status: 200, body: SUSPENDED_BODY } : undefined,
    );
    const err = await refusal(
      adapter.readTimeline({ kind: 'user', query: '@spam_brand', direction: 'older', limit: 20 }),
    );
    expect(err).toMatchObject({
      code: 'not-found',
      reason: 'x-suspended',
      params: { name: '@spam_brand' },
      detail: 'User has been suspended: [spam_brand].',
    });
  });

  it.each(['search', 'hashtag', 'mentions', 'notifications', 'home'] as const)(
    'a %s page answered with an error about one post only is an empty page, never a list error',
    async (kind) => {
      const { adapter, log } = await stub(({ url }) =>
        /\/(tweets\/search\/recent|mentions|reverse_chronological)$/.test(url.pathname)
          ? { status: 200, body: TWEET_ERROR_BODY }
          : undefined,
      );
      const page = await adapter.readTimeline({ kind, query: 'launch', direction: 'older', limit: 20 });
      expect(page.items).toEqual([]);
      expect(
        log.lines.some((l) => l.level === 'warn' && JSON.stringify(l.fields).includes('1500000000000009999')),
      ).toBe(true);
    },
  );

  it('a user column whose account X says is gone after all says there is no such account, naming it', async () => {
    const { adapter } = await stub(({ url }) => {
      if (url.pathname === '/2/users/by/username/old_brand')
        return { status: 200, body: { data: { id: '1500000000000000098', username: 'old_brand', name: 'Old' } } };
      if (url.pathname === '/2/users/1500000000000000098/tweets')
        return {
          status: 200,
          body: {
            errors: [
              {
                value: '1500000000000000098',
                detail: 'Could not find user with id: [1500000000000000098].',
                title: 'Not Found Error',
                resource_type: 'user',
                parameter: 'id',
                resource_id: '1500000000000000098',
                type: 'https://api.twitter.com/2/problems/resource-not-found',
              },
            ],
          },
        };
      return undefined;
    });
    const err = await refusal(
      adapter.readTimeline({ kind: 'user', query: 'old_brand', direction: 'older', limit: 20 }),
    );
    expect(err).toMatchObject({ code: 'not-found', reason: 'profile-not-found', params: { name: '@old_brand' } });
  });

  it('liking a post of a protected or suspended account says so; a deleted one reads as deleted', async () => {
    const problem = (type: string, detail: string) => ({
      status: 200,
      body: {
        errors: [
          {
            resource_type: 'tweet',
            resource_id: '1500000000000000555',
            title: 'x',
            detail,
            type: `https://api.x.com/2/problems/${type}`,
          },
        ],
      },
    });
    let next = problem('not-authorized-for-resource', 'Sorry, you are not authorized to see the Tweet.');
    const { adapter } = await stub(({ method, url }) =>
      method === 'POST' && url.pathname.endsWith('/likes') ? next : undefined,
    );
    expect(await refusal(adapter.act('x:1500000000000000555', 'like'))).toMatchObject({
      code: 'not-allowed',
      reason: 'x-not-authorized',
      detail: 'Sorry, you are not authorized to see the Tweet.',
    });
    next = problem('resource-unavailable', 'The author of this Tweet has been suspended.');
    expect(await refusal(adapter.act('x:1500000000000000555', 'like'))).toMatchObject({
      code: 'not-found',
      reason: 'x-unavailable',
    });
    next = problem('resource-not-found', 'Could not find tweet with tweet_id: [1500000000000000555].');
    expect(await refusal(adapter.act('x:1500000000000000555', 'like'))).toMatchObject({
      code: 'not-found',
      reason: 'deleted',
    });
  });
});

describe('X refusals inside 200 answers about the account itself', () => {
  const ownSuspension = {
    status: 200,
    body: {
      errors: [
        {
          detail: 'User has been suspended: [1500000000000000001].',
          title: 'Forbidden',
          resource_type: 'user',
          resource_id: '1500000000000000001',
          type: 'https://api.x.com/2/problems/resource-unavailable',
        },
      ],
    },
  };

  it('checking an account X answers with a problem only says what X said, not "could not read"', async () => {
    const { adapter } = await stub(({ url }) => (url.pathname === '/2/users/me' ? ownSuspension : undefined));
    expect(await refusal(adapter.verify())).toMatchObject({
      code: 'not-found',
      reason: 'x-unavailable',
      detail: 'User has been suspended: [1500000000000000001].',
    });
  });

  it('its lists answered with a problem about it only: that problem, not an empty list of lists', async () => {
    const { adapter } = await stub(({ url }) => (url.pathname.endsWith('/owned_lists') ? ownSuspension : undefined));
    expect(await refusal(adapter.lists())).toMatchObject({
      code: 'not-found',
      reason: 'x-suspended',
      params: { name: '@colonnade_hq' },
    });
  });
});

describe('X refusals inside 200 answers (the emulator, within the spec)', () => {
  let emu: XEmulator;
  useEmulator({ homePosts: 20 }, (e) => {
    emu = e;
  });

  const column = (adapter: ReturnType<typeof rig>['adapter'], kind: 'user' | 'list', query: string) =>
    adapter.readTimeline({ kind, query, direction: 'older', limit: 10 });

  it('a protected account not followed: x-protected with its handle; followed, its posts show', async () => {
    emu.state.addUser({
      id: '1500000000000000201',
      username: 'quiet_cafe',
      name: 'Quiet',
      description: '',
      createdAt: 0,
      protected: true,
    });
    emu.control.addTweet({ authorId: '1500000000000000201', text: 'Members only tasting tonight' });
    const { adapter } = rig(emu);
    expect(await refusal(column(adapter, 'user', 'quiet_cafe'))).toMatchObject({
      code: 'not-allowed',
      reason: 'x-protected',
      params: { name: '@quiet_cafe' },
    });
    emu.state.follows.get('1500000000000000001')!.add('1500000000000000201');
    const page = await column(adapter, 'user', 'quiet_cafe');
    expect(page.items.map((e) => e.post?.text)).toEqual(['Members only tasting tonight']);
  });

  it('a suspended account: x-suspended with its handle, also when its id was known from an earlier read', async () => {
    const user = emu.state.addUser({
      id: '1500000000000000202',
      username: 'flash_sale',
      name: 'Flash',
      description: '',
      createdAt: 0,
    });
    emu.control.addTweet({ authorId: user.id, text: 'Everything must go' });
    const { adapter } = rig(emu);
    expect((await column(adapter, 'user', 'flash_sale')).items).toHaveLength(1);
    user.suspended = true;
    const later = await refusal(column(adapter, 'user', 'flash_sale'));
    expect(later).toMatchObject({ code: 'not-found', reason: 'x-suspended', params: { name: '@flash_sale' } });
    expect(later.detail).toBe('User has been suspended: [1500000000000000202].');
    const fresh = await refusal(column(rig(emu).adapter, 'user', 'flash_sale'));
    expect(fresh).toMatchObject({ reason: 'x-suspended', detail: 'User has been suspended: [flash_sale].' });
  });

  it('an unknown account: profile-not-found with its handle', async () => {
    expect(await refusal(column(rig(emu).adapter, 'user', 'nobody_here'))).toMatchObject({
      code: 'not-found',
      reason: 'profile-not-found',
      params: { name: '@nobody_here' },
    });
  });

  it('a list: missing is list-not-found, someone else’s private list is x-private-list', async () => {
    const { adapter } = rig(emu);
    expect(await refusal(column(adapter, 'list', '1600000000000000999'))).toMatchObject({
      code: 'not-found',
      reason: 'list-not-found',
    });
    expect(await refusal(column(adapter, 'list', 'partners'))).toMatchObject({ reason: 'list-not-found' });
    emu.state.lists.set('1600000000000000003', {
      id: '1600000000000000003',
      name: 'Secret',
      description: '',
      ownerId: '1500000000000000010',
      memberIds: [],
      createdAt: 0,
      private: true,
    });
    const err = await refusal(column(adapter, 'list', '1600000000000000003'));
    expect(err).toMatchObject({ code: 'not-allowed', reason: 'x-private-list' });
    expect(err.detail).toMatch(/not authorized to see the List/);
  });
});
