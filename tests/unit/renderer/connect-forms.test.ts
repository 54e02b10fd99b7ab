// "Reconnect" opens the form the account was connected with, prefilled with what is known.
import { describe, expect, it } from 'vitest';
import { reconnectForm } from '../../../src/renderer/components/connect-forms';
import type { Account } from '../../../src/shared/model';

function account(
  network: 'x' | 'bluesky' | 'mastodon',
  server: string,
  connectedWith?: Account['connectedWith'],
): Account {
  return {
    id: `${network}:1`,
    network,
    profile: {
      id: `${network}:1`,
      network,
      handle: network === 'bluesky' ? 'brand.bsky.social' : 'brand',
      displayName: 'Brand',
      avatarUrl: null,
      url: null,
    },
    health: { state: 'needs-reconnect' },
    practice: false,
    columnKinds: ['home'],
    server,
    ...(connectedWith ? { connectedWith } : {}),
    textRules: { counting: 'characters', maxLength: 500, maxImages: 4, maxAltLength: 1000 },
  };
}

describe('the Reconnect form', () => {
  it('a Mastodon account connected by pasted token gets the token form, its instance filled in', () => {
    const form = reconnectForm(account('mastodon', 'https://social.example', 'mastodon-token'));
    expect(form.method).toBe('mastodon-token');
    expect(form.values).toMatchObject({ instanceUrl: 'https://social.example' });
    expect(form.values.accessToken).toBeUndefined();
  });

  it('a Mastodon account signed in through its instance gets that sign-in again, for the same instance', () => {
    const form = reconnectForm(account('mastodon', 'https://social.example', 'mastodon-oauth'));
    expect(form).toMatchObject({ method: 'mastodon-oauth', values: { instanceUrl: 'https://social.example' } });
  });

  it('an X account connected with OAuth 1.0a keys gets the keys form, a test server kept as API base', () => {
    expect(reconnectForm(account('x', 'http://127.0.0.1:4010', 'x-oauth1'))).toMatchObject({
      method: 'x-oauth1',
      values: { apiBase: 'http://127.0.0.1:4010' },
    });
    expect(reconnectForm(account('x', 'https://api.x.com', 'x-oauth1')).values.apiBase).toBeUndefined();
    expect(reconnectForm(account('x', 'https://api.x.com', 'x-oauth2')).method).toBe('x-oauth2');
  });

  it('a Bluesky account gets its app-password form with its PDS and handle', () => {
    expect(reconnectForm(account('bluesky', 'https://pds.example', 'bluesky-app-password'))).toMatchObject({
      method: 'bluesky-app-password',
      values: { service: 'https://pds.example', identifier: 'brand.bsky.social' },
    });
  });

  it('an account stored before the method was recorded falls back to the network’s first form', () => {
    expect(reconnectForm(account('mastodon', 'https://social.example')).method).toBe('mastodon-oauth');
  });
});
