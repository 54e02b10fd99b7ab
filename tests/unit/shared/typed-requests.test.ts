// What people type in Accounts and Add column, as main reads it: a bare instance host is an
// address (https:// added), a bad address's hint gives an example of that network's address, and
// a "hashtag" with spaces is refused in words that suggest a Search column.
import { describe, expect, it } from 'vitest';
import { badRequestOf } from '../../../src/main/core/ipc-router';
import { ConnectRequestSchema, withScheme } from '../../../src/shared/accounts';
import { ColumnSpecSchema } from '../../../src/shared/model';
import en from '../../../src/shared/i18n/en.json';
import fr from '../../../src/shared/i18n/fr.json';

const refusal = (result: { success: boolean; error?: { issues: Parameters<typeof badRequestOf>[0][] } }) =>
  result.success ? undefined : badRequestOf(result.error?.issues[0]);

describe('server addresses as typed', () => {
  it('takes a bare host and adds https://', () => {
    const parsed = ConnectRequestSchema.parse({
      network: 'mastodon',
      method: 'mastodon-token',
      instanceUrl: '  mastodon.social ',
      accessToken: 'token',
    });
    expect(parsed).toMatchObject({ instanceUrl: 'https://mastodon.social' });
    const bluesky = ConnectRequestSchema.parse({
      network: 'bluesky',
      method: 'bluesky-app-password',
      service: 'bsky.social',
      identifier: 'brand.bsky.social',
      appPassword: 'abcd-efgh-ijkl-mnop',
    });
    expect(bluesky).toMatchObject({ service: 'https://bsky.social' });
    expect(withScheme('http://127.0.0.1:3000')).toBe('http://127.0.0.1:3000');
    expect(withScheme('social.example/@brand')).toBe('https://social.example/@brand');
    expect(withScheme('')).toBe('');
  });

  it('keeps refusing what is no address, with an example of that network’s address', () => {
    const bluesky = refusal(
      ConnectRequestSchema.safeParse({
        network: 'bluesky',
        method: 'bluesky-app-password',
        service: 'bsky social',
        identifier: 'brand',
        appPassword: 'abcd-efgh-ijkl-mnop',
      }),
    );
    expect(bluesky).toMatchObject({ code: 'bad-request', reason: 'address-full-bluesky', field: 'service' });
    expect(bluesky?.message).toContain('https://bsky.social');
    expect(bluesky?.message).not.toContain('mastodon');
    const mastodon = refusal(
      ConnectRequestSchema.safeParse({ network: 'mastodon', method: 'mastodon-oauth', instanceUrl: 'mastodon social' }),
    );
    expect(mastodon).toMatchObject({ reason: 'address-full-mastodon', field: 'instanceUrl' });
    expect(mastodon?.message).toContain('https://mastodon.social');
    const x = refusal(
      ConnectRequestSchema.safeParse({ network: 'x', method: 'x-oauth2', clientId: 'id', apiBase: 'api x com' }),
    );
    expect(x).toMatchObject({ reason: 'address-full-x', field: 'apiBase' });
    expect(fr.reasons['address-full-bluesky']).toContain('https://bsky.social');
    const ftp = refusal(
      ConnectRequestSchema.safeParse({
        network: 'mastodon',
        method: 'mastodon-oauth',
        instanceUrl: 'ftp://mastodon.social',
      }),
    );
    expect(ftp?.reason).toBe('address-scheme');
  });

  it('takes host:port as a host, not as a scheme', () => {
    expect(withScheme('localhost:3000')).toBe('https://localhost:3000');
    expect(withScheme('social.example:8443/@brand')).toBe('https://social.example:8443/@brand');
    expect(withScheme('javascript:alert(1)')).toBe('javascript:alert(1)');
  });

  // Mastodon's rule (mastodon/connect.ts), for every network: a password, app password or token
  // never crosses the network in clear.
  const addresses = (address: string) => ({
    mastodon: ConnectRequestSchema.safeParse({
      network: 'mastodon',
      method: 'mastodon-token',
      instanceUrl: address,
      accessToken: 'token',
    }),
    bluesky: ConnectRequestSchema.safeParse({
      network: 'bluesky',
      method: 'bluesky-app-password',
      service: address,
      identifier: 'brand.bsky.social',
      appPassword: 'abcd-efgh-ijkl-mnop',
    }),
    x2: ConnectRequestSchema.safeParse({ network: 'x', method: 'x-oauth2', clientId: 'id', apiBase: address }),
    x1: ConnectRequestSchema.safeParse({
      network: 'x',
      method: 'x-oauth1',
      appKey: 'k',
      appSecret: 's',
      accessToken: 't',
      accessSecret: 'u',
      apiBase: address,
    }),
  });

  it.each(['http://bsky.social', 'http://api.x.com', 'HTTP://mastodon.social', 'http://192.168.1.20:2583'])(
    'refuses plain http to a server elsewhere (%s), in words, for every network',
    (address) => {
      for (const [name, result] of Object.entries(addresses(address))) {
        const error = refusal(result);
        expect(error, name).toMatchObject({ code: 'bad-request', reason: 'address-http-remote' });
        expect(error?.message, name).toMatch(/https:\/\//);
      }
      expect(fr.reasons['address-http-remote']).toMatch(/https:\/\/.*en clair/);
    },
  );

  it.each(['http://127.0.0.1:2583', 'http://localhost:4010', 'http://[::1]:3000', 'https://bsky.social'])(
    'takes https anywhere, and plain http on this computer (%s)',
    (address) => {
      for (const [name, result] of Object.entries(addresses(address))) expect(result.success, name).toBe(true);
    },
  );
});

describe('a hashtag column', () => {
  const spec = (query: string) => ({ kind: 'hashtag', profileId: 'sandbox:practice', query });

  it.each(['#foo bar', 'foo bar', '#foo\tbar', '#launch day'])('refuses “%s”: a hashtag has no spaces', (query) => {
    const error = refusal(ColumnSpecSchema.safeParse(spec(query)));
    expect(error).toMatchObject({ code: 'bad-request', reason: 'hashtag-has-space', field: 'query' });
    expect(error?.message).toMatch(/no spaces.*Search column/);
    expect(fr.reasons['hashtag-has-space']).toMatch(/espace.*colonne Recherche/);
  });

  it('takes one tag, with or without #, with spaces around it, in any script', () => {
    for (const query of ['#foo', 'foo', '  #IFPower ', '#日本語', '#café_2025']) {
      expect(ColumnSpecSchema.safeParse(spec(query)).success).toBe(true);
    }
  });

  it('leaves keywords with spaces to Search columns', () => {
    expect(
      ColumnSpecSchema.safeParse({ kind: 'search', profileId: 'sandbox:practice', query: 'foo bar' }).success,
    ).toBe(true);
    expect(en.columns.searchInstead).toContain('{{query}}');
  });
});
