// "Reconnect" opens the form the account was connected with, prefilled with what is known.
import { describe, expect, it } from 'vitest';
import { methodFor, reconnectForm } from '../../../src/renderer/components/connect-forms';
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

describe('switching network in the connect form', () => {
  it('keeps the method chosen on each network', () => {
    // Mastodon → "Access token", then Bluesky, then back: still "Access token".
    const chosen = { mastodon: 'mastodon-token' as const };
    expect(methodFor(chosen, 'bluesky')).toBe('bluesky-app-password');
    expect(methodFor(chosen, 'mastodon')).toBe('mastodon-token');
    expect(methodFor({ ...chosen, x: 'x-oauth1' }, 'x')).toBe('x-oauth1');
  });

  it('starts each network on its usual method, and ignores a method of another network', () => {
    expect(methodFor({}, 'mastodon')).toBe('mastodon-oauth');
    expect(methodFor({}, 'x')).toBe('x-oauth2');
    expect(methodFor({ mastodon: 'x-oauth1' }, 'mastodon')).toBe('mastodon-oauth');
  });
});
