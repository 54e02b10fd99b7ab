// Issue 6 against the emulated instance: servers without /api/v2/instance, limits right after
// connecting, boosts as entries, quotes, the viewer's filters, sensitive media, custom emoji,
// notifications that say who did what, one unreadable item never hiding the others, and every
// documented refusal explained.
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createCore } from '../../../../src/main/core/app-core';
import { systemClock } from '../../../../src/main/core/ports';
import { connectMastodonToken, createMastodonAdapter } from '../../../../src/main/networks/mastodon';
import { mastodonNetwork } from '../../../../src/main/networks/registry';
import type { NetworkModule } from '../../../../src/main/networks/module';
import { TimelineEntrySchema, type Account, type ColumnKind } from '../../../../src/shared/model';
import { MemoryLogger, memoryPorts } from '../../../doubles/ports';
import type { MastodonEmulator } from '../../../emulators/mastodon';
import { postNow, sentPost } from '../../../support/post-now';
import { postsOf, refusal, setup, startEmulator } from './support';

const HOUR = 3_600_000;
const COLUMNS: Array<{ kind: ColumnKind; query?: string }> = [
  { kind: 'home' },
  { kind: 'notifications' },
  { kind: 'mentions' },
  { kind: 'hashtag', query: 'coffee' },
  { kind: 'search', query: 'roadmap' },
  { kind: 'user', query: 'alice' },
  { kind: 'list', query: '1' },
];

async function freePort(): Promise<number> {
  return new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

describe('Mastodon servers without /api/v2/instance', () => {
  it('a v1-only server (older Mastodon, GoToSocial): connects, has its 300-character limit, reads every column', async () => {
    const emulator = await startEmulator({ instanceApi: 'v1', maxCharacters: 300, maxMediaAttachments: 6 });
    const credentials = await connectMastodonToken(emulator.url, emulator.issueToken());
    const adapter = createMastodonAdapter(credentials, {
      clock: systemClock,
      log: new MemoryLogger(),
      saveCredentials: async () => {},
    });
    expect((await adapter.verify()).handle).toBe(`colonnade_team@${emulator.domain}`);
    expect(adapter.textRules()).toEqual({
      counting: 'characters',
      maxLength: 300,
      urlLength: 23,
      maxImages: 6,
      maxAltLength: 1500,
    });
    for (const column of COLUMNS) {
      const page = await adapter.readTimeline({ ...column, direction: 'older', limit: 20 });
      expect(page.items.length, column.kind).toBeGreaterThan(0);
      for (const entry of page.items) TimelineEntrySchema.parse(entry);
    }
    // Notifications came from v1 (no grouped notifications before Mastodon 4.3), grouped here.
    expect(emulator.requests.some((r) => r.path === '/api/v2/notifications')).toBe(false);
    expect(emulator.requests.filter((r) => r.path === '/api/v1/instance')).toHaveLength(1);
  });

  it('Pleroma and Akkoma: the limit is `max_toot_chars`, with their image count and description limit', async () => {
    const { adapter } = await setup({
      instanceApi: 'pleroma',
      maxCharacters: 5000,
      maxMediaAttachments: 8,
      descriptionLimit: 3000,
    });
    const me = await adapter.verify();
    expect(adapter.textRules()).toEqual({
      counting: 'characters',
      maxLength: 5000,
      urlLength: 23,
      maxImages: 8,
      maxAltLength: 3000,
    });
    // `uri` is a URL on Pleroma: ids and handles still carry the bare domain.
    expect(me.id).toMatch(/^mastodon:127\.0\.0\.1:\d+\/100$/);
    const page = await adapter.readTimeline({ kind: 'home', direction: 'older', limit: 5 });
    expect(page.items).toHaveLength(5);
  });

  it('a server that publishes no limits at all gets Mastodon’s defaults and still reads', async () => {
    const { adapter } = await setup({ instanceApi: 'none' });
    await adapter.verify();
    expect(adapter.textRules()).toEqual({
      counting: 'characters',
      maxLength: 500,
      urlLength: 23,
      maxImages: 4,
      maxAltLength: 1500,
    });
    expect((await adapter.readTimeline({ kind: 'home', direction: 'older', limit: 5 })).items).toHaveLength(5);
  });

  it('asks again after a failing instance answer instead of keeping Mastodon’s defaults', async () => {
    const { adapter, emulator } = await setup({ maxCharacters: 300 });
    emulator.failNext({ status: 503, pathIncludes: '/api/v2/instance', error: 'Service Unavailable' });
    expect((await refusal(adapter.verify())).code).toBe('transient');
    await adapter.verify();
    expect(adapter.textRules().maxLength).toBe(300);
  });
});

describe('A freshly connected Mastodon account', () => {
  /** The whole core with the Mastodon network, on these ports. */
  const coreOn = (ports: ReturnType<typeof memoryPorts>) =>
    createCore(ports, { networks: [mastodonNetwork as unknown as NetworkModule] });
  /** Connects the emulator's owner with a pasted access token, as a CM would in Accounts. */
  const connectOwner = (core: Awaited<ReturnType<typeof coreOn>>, emulator: MastodonEmulator) =>
    core.dispatch('accounts.connect', {
      request: {
        network: 'mastodon',
        method: 'mastodon-token',
        instanceUrl: emulator.url,
        accessToken: emulator.issueToken(),
      },
      allowWeakStorage: true,
    });
  it('shows its instance’s limit (300) right after connecting, before any column reads', async () => {
    const emulator = await startEmulator({ maxCharacters: 300 });
    const ports = memoryPorts();
    const core = await coreOn(ports);
    const connected = await connectOwner(core, emulator);
    expect(connected.ok).toBe(true);
    const listed = await core.dispatch('accounts.list', {});
    if (!listed.ok) throw new Error(listed.error.message);
    const account = (listed.value as Account[]).find((a) => a.network === 'mastodon');
    expect(account?.textRules.maxLength).toBe(300);
  });

  it('main’s length check counts a link as the instance’s characters_reserved_per_url (30 here)', async () => {
    const emulator = await startEmulator({ maxCharacters: 100, urlLength: 30 });
    const ports = memoryPorts();
    const core = await coreOn(ports);
    const connected = await connectOwner(core, emulator);
    if (!connected.ok) throw new Error(connected.error.message);
    const account = connected.value as Account;
    expect(account.textRules.urlLength).toBe(30);
    const link = 'https://example.com/x';
    // Posted now through the outbox, as the composer does.
    // 70 + 1 + 30 = 101: over the instance's 100 (it would be 94 with 23 per link).
    const over = await postNow(core, { profileId: account.id, text: `${'a'.repeat(70)} ${link}` }, ports.clock);
    expect(over).toMatchObject({
      ok: false,
      error: { code: 'invalid', reason: 'too-long', params: { max: '100', unit: 'characters', length: '101' } },
    });
    expect(emulator.requests.some((r) => r.method === 'POST' && r.path === '/api/v1/statuses')).toBe(false);
    // 69 + 1 + 30 = 100: at the limit, sent.
    const at = await postNow(core, { profileId: account.id, text: `${'a'.repeat(69)} ${link}` }, ports.clock);
    await sentPost(core, at); // throws unless the instance took it
    expect(emulator.requests.filter((r) => r.method === 'POST' && r.path === '/api/v1/statuses')).toHaveLength(1);
    core.stop();
  });

  it('still shows 300 after a restart, before any column reads, and tells the renderer', async () => {
    const emulator = await startEmulator({ maxCharacters: 300 });
    const ports = memoryPorts();
    const first = await coreOn(ports);
    const connected = await connectOwner(first, emulator);
    expect(connected.ok).toBe(true);
    first.stop();

    const second = await coreOn(ports);
    const announced = new Promise<Account[]>((resolve) =>
      second.subscribe((event, payload) => {
        const accounts = payload as Account[];
        if (event === 'accounts.changed' && accounts.some((a) => a.textRules.maxLength === 300)) resolve(accounts);
      }),
    );
    const listed = await second.dispatch('accounts.list', {});
    if (!listed.ok) throw new Error(listed.error.message);
    const before = (listed.value as Account[]).find((a) => a.network === 'mastodon');
    const after = (await announced).find((a) => a.network === 'mastodon');
    expect(after?.textRules.maxLength).toBe(300);
    // Either the limits were already there when listed, or they came by the accounts.changed event.
    expect([300, 500]).toContain(before?.textRules.maxLength);
    second.stop();
  });
});

describe('Mastodon boosts as timeline entries', () => {
  it('puts a boost made now of a three-day-old post at the top, labelled on the entry; the author’s column has no label', async () => {
    const { adapter, emulator } = await setup();
    const now = Date.now();
    const { id: old } = emulator.postWith('bob', 'An old thought worth sharing', { at: now - 72 * HOUR });
    const { id: boost } = emulator.boostAs('alice', old, now - 60_000);
    const [top] = (await adapter.readTimeline({ kind: 'home', direction: 'older', limit: 5 })).items;
    expect(top).toMatchObject({
      key: expect.stringMatching(new RegExp(`/${boost}$`)),
      at: new Date(now - 60_000).toISOString(),
      repostedBy: { handle: `alice@${emulator.domain}` },
      post: {
        nativeId: old,
        text: 'An old thought worth sharing',
        createdAt: new Date(now - 72 * HOUR).toISOString(),
        author: { handle: `bob@${emulator.domain}` },
      },
    });
    const bobs = (await adapter.readTimeline({ kind: 'user', query: 'bob', direction: 'older', limit: 40 })).items;
    const own = bobs.find((e) => e.post?.nativeId === old && !e.repostedBy);
    expect(own).toBeDefined();
    expect(own?.key).toBe(top?.post?.id);
  });

  it('liking through a boost acts on the boosted post, and the entry shows it liked', async () => {
    const { adapter, emulator } = await setup();
    const { id: old } = emulator.postWith('bob', 'Like me through a boost', { at: Date.now() - HOUR });
    emulator.boostAs('alice', old);
    const [top] = (await adapter.readTimeline({ kind: 'home', direction: 'older', limit: 1 })).items;
    await adapter.act(top!.post!.id, 'like');
    expect(emulator.favouritedBy(old)).toContain('colonnade_team');
    const [again] = (await adapter.readTimeline({ kind: 'home', direction: 'older', limit: 1 })).items;
    expect(again?.post?.viewer).toEqual({ liked: true, reposted: false });
  });
});

describe('Mastodon quotes, moderation and custom emoji through the API', () => {
  it('shows an accepted quote with the quoted post inside, and says why others are not shown', async () => {
    const { adapter, emulator } = await setup();
    const { id: quoted } = emulator.postWith('bob', 'The original words');
    emulator.postWith('alice', 'Exactly this', { quoteOf: quoted });
    emulator.postWith('chloe', 'Waiting for Bob', { quoteOf: quoted, quoteState: 'pending' });
    const posts = postsOf(await adapter.readTimeline({ kind: 'home', direction: 'older', limit: 2 }));
    const [pending, accepted] = posts;
    expect(accepted).toMatchObject({
      text: 'Exactly this',
      quote: { nativeId: quoted, text: 'The original words', author: { handle: `bob@${emulator.domain}` } },
    });
    expect(accepted?.quoteUnavailable).toBeUndefined();
    expect(pending?.quote).toBeUndefined();
    expect(pending?.quoteUnavailable).toBe('This post is pending approval from the original author.');
    // Bob deletes his post: the quote says so.
    const bob = createMastodonAdapter(
      { instanceUrl: emulator.url, accessToken: emulator.issueToken('bob') },
      { clock: systemClock, log: new MemoryLogger(), saveCredentials: async () => {} },
    );
    await bob.act(accepted!.quote!.id, 'delete');
    const [, after] = postsOf(await adapter.readTimeline({ kind: 'home', direction: 'older', limit: 2 }));
    expect(after?.quoteUnavailable).toBe('This post was removed by its author.');
  });

  it('honours the viewer’s filters per column: hide leaves the post out of home, warn folds it behind the title', async () => {
    const { adapter, emulator } = await setup();
    emulator.addFilter({ title: 'Finale spoilers', context: ['home'], action: 'hide', keywords: ['finale'] });
    emulator.addFilter({ title: 'Politics', context: ['home', 'account'], action: 'warn', keywords: ['election'] });
    emulator.postWith('alice', 'The finale was wild');
    emulator.postWith('alice', 'Election night thread');
    emulator.postWith('alice', 'Coffee time');
    const home = await adapter.readTimeline({ kind: 'home', direction: 'older', limit: 2 });
    expect(postsOf(home).map((p) => [p.text, p.moderation])).toEqual([
      ['Coffee time', undefined],
      ['Election night thread', [{ scope: 'post', source: 'filter', text: 'Politics' }]],
    ]);
    expect(home.skipped).toBeUndefined();
    // The hide filter is for home only: Alice's own column shows the post.
    const alice = postsOf(await adapter.readTimeline({ kind: 'user', query: 'alice', direction: 'older', limit: 3 }));
    expect(alice.map((p) => p.text)).toContain('The finale was wild');
  });

  it('hides sensitive media until asked, with or without a content warning', async () => {
    const { adapter, emulator } = await setup();
    emulator.postWith('hana', 'Surgery photos', { sensitive: true, images: 2 });
    emulator.postWith('hana', 'Details inside', { spoilerText: 'Medical', images: 1 });
    const [warned, sensitive] = postsOf(await adapter.readTimeline({ kind: 'home', direction: 'older', limit: 2 }));
    expect(sensitive).toMatchObject({
      media: [{ alt: 'image 1' }, { alt: 'image 2' }],
      moderation: [{ scope: 'media', source: 'sensitive', text: 'Sensitive media' }],
    });
    expect(sensitive?.contentWarning).toBeUndefined();
    expect(warned).toMatchObject({ contentWarning: 'Medical', moderation: [{ scope: 'media', source: 'sensitive' }] });
  });

  it('lists custom emoji of the text, the content warning and the display name, keeping :shortcode: in the text', async () => {
    const { adapter, emulator } = await setup();
    emulator.setDisplayName('alice', 'Alice :blobwave:');
    emulator.postWith('alice', 'Launch day :colonnade: :unknown_one:', { spoilerText: ':blobwave: news' });
    const [post] = postsOf(await adapter.readTimeline({ kind: 'home', direction: 'older', limit: 1 }));
    expect(post?.text).toBe('Launch day :colonnade: :unknown_one:');
    expect(post?.emojis?.map((e) => e.shortcode)).toEqual(['blobwave', 'colonnade']);
    expect(post?.emojis?.[0]?.url).toMatch(/blobwave\/original\.gif$/);
    expect(post?.author).toMatchObject({ displayName: 'Alice :blobwave:', emojis: [{ shortcode: 'blobwave' }] });
  });
});

describe('Mastodon notifications say who did what', () => {
  /** The owner's new post, liked by three, boosted by one, and a new follower. */
  async function scenario(apiVersion: number) {
    const s = await setup({ apiVersion });
    const base = Date.now() - 10 * 60_000;
    const { id } = s.emulator.postWith('colonnade_team', 'Our big announcement', { at: base });
    s.emulator.favouriteAs('alice', id, base + 60_000);
    s.emulator.favouriteAs('bob', id, base + 120_000);
    s.emulator.boostAs('dmitri', id, base + 150_000);
    s.emulator.favouriteAs('chloe', id, base + 180_000);
    s.emulator.followAs('hana', 'colonnade_team', base + 240_000);
    return { ...s, id, base };
  }

  it('Mastodon 4.3+: grouped by the server, "Chloé and 2 others liked", most recent first', async () => {
    const { adapter, emulator, id, base } = await scenario(2);
    const page = await adapter.readTimeline({ kind: 'notifications', direction: 'older', limit: 10 });
    const [follow, likes, boost] = page.items;
    expect(follow).toMatchObject({
      key: expect.stringMatching(/^follow-\d+$/),
      post: null,
      notification: { kind: 'follow', count: 1, actors: [{ handle: `hana@${emulator.domain}` }] },
    });
    expect(likes).toMatchObject({
      key: expect.stringMatching(new RegExp(`^favourite-${id}-\\d+$`)),
      at: new Date(base + 180_000).toISOString(),
      post: { nativeId: id, text: 'Our big announcement' },
      notification: { kind: 'like', count: 3 },
    });
    expect(likes?.notification?.actors.map((a) => a.handle.split('@')[0])).toEqual(['chloe', 'bob', 'alice']);
    expect(boost).toMatchObject({
      notification: { kind: 'repost', count: 1, actors: [{ handle: `dmitri@${emulator.domain}` }] },
    });
    expect(emulator.requests.some((r) => r.path === '/api/v2/notifications')).toBe(true);
  });

  it('before 4.3: v1 notifications (no group_key) grouped by Colonnade as Mastodon would, keyed favourite-<status>-<hour>', async () => {
    const { adapter, id, base } = await scenario(1);
    const page = await adapter.readTimeline({ kind: 'notifications', direction: 'older', limit: 10 });
    const likes = page.items.find((e) => e.notification?.kind === 'like');
    expect(likes?.key).toBe(`favourite-${id}-${Math.floor((base + 60_000) / HOUR)}`);
    expect(likes?.post?.nativeId).toBe(id);
    expect(likes?.notification?.count).toBe(3);
    expect(likes?.notification?.actors.map((a) => a.handle.split('@')[0])).toEqual(['chloe', 'bob', 'alice']);
  });

  it('says what else happened in Mastodon’s own word, and keeps a mentions column to mentions', async () => {
    const { adapter, emulator } = await setup();
    const { id } = emulator.postWith('alice', 'Poll closed');
    emulator.notifyOwner('poll', 'alice', id);
    emulator.notifyOwner('follow_request', 'zed', null);
    emulator.postWith('bob', 'Hi @colonnade_team');
    const page = await adapter.readTimeline({ kind: 'notifications', direction: 'older', limit: 3 });
    expect(page.items.map((e) => [e.notification?.kind, e.notification?.type, e.post?.text ?? null])).toEqual([
      ['mention', undefined, 'Hi @colonnade_team'],
      ['other', 'follow_request', null],
      ['other', 'poll', 'Poll closed'],
    ]);
    const mentions = await adapter.readTimeline({ kind: 'mentions', direction: 'older', limit: 20 });
    expect(new Set(mentions.items.map((e) => e.notification?.kind))).toEqual(new Set(['mention', 'reply']));
  });
});

describe('One unreadable Mastodon item never hides the others', () => {
  type Row = Record<string, unknown>;
  const second = (b: unknown): Row => (Array.isArray(b) ? b : (b as { statuses: unknown[] }).statuses)[1] as Row;
  const cases: Array<[ColumnKind, string, (b: unknown) => void]> = [
    ['home', '/timelines/home', (b) => void (second(b).account = null)],
    ['hashtag', '/timelines/tag', (b) => void delete second(b).created_at],
    ['list', '/timelines/list', (b) => void (second(b).media_attachments = [{ id: '1', type: 'hologram', url: 'x' }])],
    ['search', '/api/v2/search', (b) => void (second(b).account = null)],
  ];
  it.each(cases)('%s: shows every readable status, logs and counts the one left out', async (kind, path, mutate) => {
    const { adapter, emulator, log } = await setup();
    await adapter.verify();
    let brokenId = '';
    emulator.corruptNext(path, (body) => {
      brokenId = String(second(body).id);
      mutate(body);
    });
    const query = kind === 'hashtag' ? 'coffee' : kind === 'list' ? '1' : kind === 'search' ? 'roadmap' : undefined;
    const page = await adapter.readTimeline({ kind, query, direction: 'older', limit: 5 });
    expect(page.skipped).toBe(1);
    expect(page.items).toHaveLength(4);
    expect(page.items.some((e) => e.post?.nativeId === brokenId)).toBe(false);
    expect(page.older).not.toBeNull();
    expect(log.lines).toContainEqual(
      expect.objectContaining({ level: 'warn', fields: expect.objectContaining({ id: brokenId, what: kind }) }),
    );
  });

  it('notifications (v1 and grouped): a malformed one is left out, logged and counted', async () => {
    for (const apiVersion of [1, 7]) {
      const { adapter, emulator, log } = await setup({ apiVersion });
      await adapter.verify();
      emulator.corruptNext('/notifications', (body) => {
        if (Array.isArray(body)) delete (body[0] as Record<string, unknown>).account;
        else
          (body as { notification_groups: Array<Record<string, unknown>> }).notification_groups[0]!.sample_account_ids =
            [];
      });
      const page = await adapter.readTimeline({ kind: 'notifications', direction: 'older', limit: 6 });
      expect(page.skipped, `api ${apiVersion}`).toBe(1);
      expect(page.items.length).toBeGreaterThan(3);
      expect(log.lines.some((e) => e.level === 'warn' && e.fields?.what === 'notifications')).toBe(true);
    }
  });
});

describe('Mastodon refusals in words', () => {
  it('a post over the limit: too-long, with the limit and the server’s words', async () => {
    const { adapter } = await setup({ maxCharacters: 50 });
    const err = await refusal(adapter.publish({ text: 'x'.repeat(51), idempotencyKey: 'too-long' }));
    expect(err).toMatchObject({
      code: 'invalid',
      reason: 'too-long',
      params: { max: '50', unit: 'characters' },
      detail: 'Validation failed: Text character limit of 50 exceeded',
    });
  });

  it.each([
    [401, 'The access token is invalid', 'auth-expired', 'session-expired'],
    [403, 'Your login is currently disabled', 'not-allowed', 'account-disabled'],
    [403, 'Your login is missing a confirmed e-mail address', 'not-allowed', 'email-unconfirmed'],
    [403, 'Your login is currently pending approval', 'not-allowed', 'account-pending'],
    [403, 'This action is not allowed', 'not-allowed', 'forbidden'],
    [403, 'This action is outside the authorized scopes', 'not-allowed', 'scope-missing'],
    [403, 'Your account requires two-factor authentication', 'not-allowed', 'mastodon-two-factor'],
    [404, 'Record not found', 'not-found', 'not-found'],
    [410, 'Gone', 'not-found', 'gone'],
    [422, 'Validation failed: In reply to status is invalid', 'invalid', 'validation-failed'],
    [422, 'Cannot attach more than 4 files', 'invalid', 'too-many-images'],
    [422, "Validation failed: Text can't be blank", 'invalid', 'post-empty'],
    [422, 'This method requires an authenticated user', 'auth-expired', 'session-expired'],
    [422, 'Duplicate record', 'invalid', 'duplicate'],
    [429, 'Too many requests', 'rate-limited', 'rate-limited'],
    [503, 'Remote data could not be fetched', 'transient', 'remote-unreachable'],
    [503, 'There was a temporary problem serving your request, please try again', 'transient', 'server-error'],
  ] as const)('%i "%s" → %s (%s), with the server’s words', async (status, error, code, reason) => {
    const { adapter, emulator } = await setup();
    await adapter.verify();
    emulator.failNext({ status, error, pathIncludes: '/accounts/verify_credentials' });
    const err = await refusal(adapter.verify());
    expect(err).toMatchObject({ code, reason, detail: error });
  });

  it('an address nobody answers on: offline, reason unreachable, naming the server', async () => {
    const port = await freePort();
    const err = await refusal(connectMastodonToken(`http://127.0.0.1:${port}`, 'secret-token'));
    expect(err).toMatchObject({ code: 'offline', reason: 'unreachable', params: { server: `127.0.0.1:${port}` } });
    expect(JSON.stringify(err)).not.toContain('secret-token');
  });
});
