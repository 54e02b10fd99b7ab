// The side panel's requests through the core: a profile whose posts the network refuses (a
// protected account) still shows, with why its posts cannot; a refused profile fails as itself.
import { describe, expect, it } from 'vitest';
import { createCore } from '../../../src/main/core/app-core';
import type { NetworkAdapter } from '../../../src/shared/adapter';
import { ColonnadeError } from '../../../src/shared/errors';
import type { NetworkModule } from '../../../src/main/networks/module';
import { FakeNetwork, type FakeCredentials } from '../../doubles/fake-network';
import { memoryPorts } from '../../doubles/ports';

function withProfiles(fake: FakeNetwork): NetworkModule<FakeCredentials> {
  const base = fake.module();
  return {
    ...base,
    createAdapter: async (credentials, ctx) => {
      const adapter = await base.createAdapter(credentials, ctx);
      const profile: NetworkAdapter['profile'] = async (handle) => {
        if (handle === 'ghost')
          throw new ColonnadeError('not-found', 'No such account.', { reason: 'profile-not-found' });
        return {
          ...fake.profile(`${handle}-x`),
          bio: 'Private brand',
          followers: 10,
          following: 2,
          posts: 300,
          flags: ['locked'],
        };
      };
      return {
        ...adapter,
        profile,
        readTimeline: async (req) => {
          if (req.kind === 'user')
            throw new ColonnadeError('not-allowed', 'Protected.', {
              reason: 'x-protected',
              params: { name: '@locked' },
            });
          return adapter.readTimeline(req);
        },
      };
    },
  };
}

describe('the side panel’s profile', () => {
  it('shows a protected account’s page, saying why its posts are not shown', async () => {
    const fake = new FakeNetwork('mastodon');
    fake.validTokens.add('cm-token');
    const core = await createCore(memoryPorts(), { networks: [withProfiles(fake) as NetworkModule] });
    const connect = await core.dispatch('accounts.connect', {
      request: {
        network: 'mastodon',
        method: 'mastodon-token',
        instanceUrl: 'https://social.example',
        accessToken: 'cm-token',
      },
    });
    expect(connect.ok).toBe(true);
    const page = await core.dispatch('profile.get', { profileId: 'mastodon:cm', handle: '@locked', cursor: null });
    expect(page).toMatchObject({
      ok: true,
      value: {
        profile: { handle: 'locked@social.example', flags: ['locked'], posts: 300 },
        posts: { items: [] },
        postsError: { code: 'not-allowed', reason: 'x-protected' },
      },
    });
    const ghost = await core.dispatch('profile.get', { profileId: 'mastodon:cm', handle: 'ghost', cursor: null });
    expect(ghost).toMatchObject({ ok: false, error: { code: 'not-found', reason: 'profile-not-found' } });
    core.stop();
  });
});
