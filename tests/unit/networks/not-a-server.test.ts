// Connecting at an address that answers, but is not the network's server (a company's web site,
// a typo that lands on a parking page): the words say so, naming the network, instead of
// "that post may have been deleted" or "the network is having trouble". An address nobody
// answers on keeps "cannot reach that server".
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectBluesky } from '../../../src/main/networks/bluesky';
import { connectMastodonToken, registerMastodonApp } from '../../../src/main/networks/mastodon';
import { connectXOAuth1 } from '../../../src/main/networks/x';
import { notAServer } from '../../../src/main/networks/server-probe';
import { describeError } from '../../../src/renderer/components/errors';
import { createI18n } from '../../../src/renderer/i18n';
import { ColonnadeError } from '../../../src/shared/errors';

/** What the fake web site answers on every path. */
type Site = { status: number; type: string; body: string };

const SITES: Record<string, Site> = {
  'a 404 HTML page': { status: 404, type: 'text/html; charset=utf-8', body: '<!doctype html><h1>Not found</h1>' },
  'a 200 HTML page': { status: 200, type: 'text/html', body: '<!doctype html><title>Welcome</title>' },
  'a 405 HTML page': { status: 405, type: 'text/html', body: '<h1>Method not allowed</h1>' },
  'another API’s JSON 404': { status: 404, type: 'application/json', body: '{"message":"No route"}' },
};

let server: Server;
let site: Site = SITES['a 404 HTML page']!;
let base = '';
let deadBase = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    res.writeHead(site.status, { 'content-type': site.type });
    res.end(site.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // A port that was free a moment ago: nothing answers there.
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  deadBase = `http://127.0.0.1:${(probe.address() as AddressInfo).port}`;
  await new Promise((resolve) => probe.close(resolve));
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function failure(promise: Promise<unknown>): Promise<ColonnadeError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof ColonnadeError) return err;
    throw err;
  }
  throw new Error('expected a failure');
}

const connects = {
  Bluesky: (address: string) =>
    connectBluesky({ service: address, identifier: 'casey.test', appPassword: 'abcd-efgh-ijkl-mnop' }),
  Mastodon: (address: string) => connectMastodonToken(address, 'a-pasted-token'),
  X: (address: string) =>
    connectXOAuth1({ appKey: 'k', appSecret: 's', accessToken: 't', accessSecret: 'u', apiBase: address }),
};
const FIELDS = { Bluesky: 'service', Mastodon: 'instanceUrl', X: 'apiBase' } as const;

describe('an address that answers but is not the network’s server', () => {
  for (const [siteName, answer] of Object.entries(SITES)) {
    for (const [network, connect] of Object.entries(connects) as Array<[keyof typeof connects, typeof connects.X]>) {
      it(`${network}: ${siteName} “does not answer as ${network} servers do”, on the address field`, async () => {
        site = answer;
        const err = await failure(connect(base));
        expect(err).toMatchObject({
          code: 'invalid',
          reason: 'not-a-server',
          field: FIELDS[network],
          params: { network, server: new URL(base).host },
        });
        expect(err.message).toContain(`does not answer as ${network} servers do`);
        expect(err.reason).not.toMatch(/deleted|not-found|server-error/);
      });
    }
  }

  it('Mastodon OAuth: registering the app at a web site says so too', async () => {
    site = SITES['a 404 HTML page']!;
    expect(await failure(registerMastodonApp(base, 'http://127.0.0.1:53682/callback'))).toMatchObject({
      reason: 'not-a-server',
      params: { network: 'Mastodon' },
    });
  });

  it('a web site failing with a 5xx page may be a real server behind a broken proxy: not called "not a server"', async () => {
    site = { status: 502, type: 'text/html', body: '<h1>Bad gateway</h1>' };
    for (const network of ['Bluesky', 'Mastodon'] as const) {
      const err = await failure(connects[network](base));
      expect(err.reason).not.toBe('not-a-server');
      expect(err.code).toBe('transient');
    }
  });
});

describe('in the UI', () => {
  it('says it in English and French, naming the network, where the address was typed', () => {
    const error = notAServer('X', 'https://proxy.example/2', 'apiBase').toJSON();
    expect(describeError(createI18n('en').t, error, 'en', 'accounts')).toBe(
      'That address does not answer as X servers do; check it.',
    );
    expect(describeError(createI18n('fr').t, error, 'fr', 'accounts')).toBe(
      'Cette adresse ne répond pas comme un serveur X\u202f; vérifiez-la.',
    );
  });
});

describe('an address nobody answers on keeps "cannot reach that server"', () => {
  it.each(['Bluesky', 'Mastodon'] as const)('%s', async (network) => {
    const err = await failure(connects[network](deadBase));
    expect(err).toMatchObject({ code: 'offline', reason: 'unreachable', field: FIELDS[network] });
  });

  it('X', async () => {
    const err = await failure(connects.X(deadBase));
    expect(err.code).toBe('offline');
    expect(err.reason).not.toBe('not-a-server');
  });
});
