// The Mastodon adapter against the emulated instance: every column kind, paging, metrics, actions,
// publishing with idempotency, quotes, text rules and rate limits (catch-up, rate windows,
// deadlines and streaming: live.test.ts).
import { describe, expect, it } from 'vitest';
import type { TimelineRequest } from '../../../../src/shared/adapter';
import { TimelineEntrySchema, type Post, type TimelineEntry } from '../../../../src/shared/model';
import { measureText } from '../../../../src/shared/text-length';
import { failure, postsOf, setup } from './support';

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);

/** Reads a column's entries back to its end, page by page. */
async function readEntries(
  adapter: Awaited<ReturnType<typeof setup>>['adapter'],
  kind: TimelineRequest['kind'],
  query?: string,
): Promise<TimelineEntry[]> {
  const all: TimelineEntry[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 50; pages++) {
    const page = await adapter.readTimeline({ kind, query, cursor, direction: 'older', limit: 40 });
    all.push(...page.items);
    if (!page.older) return all;
    cursor = page.older;
  }
  throw new Error('the column never ended');
}

/** The posts of a whole column. */
async function readAll(
  adapter: Awaited<ReturnType<typeof setup>>['adapter'],
  kind: TimelineRequest['kind'],
  query?: string,
): Promise<Post[]> {
  return (await readEntries(adapter, kind, query)).flatMap((e) => (e.post ? [e.post] : []));
}

/** How Mastodon shows a link: no scheme, cut after 30 characters with an ellipsis. */
const shownLink = (url: string) => {
  const bare = url.replace(/^https?:\/\//, '');
  return bare.length > 30 ? `${bare.slice(0, 30)}…` : bare;
};

/** Two fresh statuses of alice's, as the adapter reads them (the newest first). */
async function twoStatusesOf(
  adapter: Awaited<ReturnType<typeof setup>>['adapter'],
  emulator: Awaited<ReturnType<typeof setup>>['emulator'],
): Promise<{ kept: Post; doomed: Post }> {
  emulator.postAs('alice', 'Still here tomorrow');
  emulator.postAs('alice', 'Deleted in a minute');
  const [doomed, kept] = postsOf(
    await adapter.readTimeline({ kind: 'user', query: 'alice', direction: 'older', limit: 2 }),
  );
  if (!kept || !doomed) throw new Error('no statuses');
  return { kept, doomed };
}

/** `username` deletes one of their statuses through the API, as their own app would. */
async function deleteAs(emulator: Awaited<ReturnType<typeof setup>>['emulator'], username: string, id: string) {
  const res = await fetch(`${emulator.url}/api/v1/statuses/${id}`, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${emulator.issueToken(username)}` },
  });
  expect(res.status).toBe(200);
}

describe('Mastodon columns', () => {
  it('pages back through more than 100 home posts, newest first, without repeats', async () => {
    const { adapter } = await setup();
    const entries = await readEntries(adapter, 'home');
    expect(entries.length).toBeGreaterThan(100);
    for (const entry of entries) TimelineEntrySchema.parse(entry);
    // Every entry once: a boost is keyed by the boost's own id, a post by its id.
    expect(new Set(entries.map((e) => e.key)).size).toBe(entries.length);
    // Newest entry first, by the time each entered the timeline.
    for (let i = 1; i < entries.length; i++) expect(entries[i - 1]!.at >= entries[i]!.at).toBe(true);
    // A boost shows the boosted status with who boosted it.
    const boosted = entries.filter((e) => e.repostedBy);
    expect(boosted.length).toBeGreaterThan(0);
    for (const e of boosted) expect(e.repostedBy!.id).not.toBe(e.post!.author.id);
  });

  it('pages strictly by Link headers: no status appears on two consecutive pages', async () => {
    const { adapter } = await setup();
    const first = await adapter.readTimeline({ kind: 'home', direction: 'older', limit: 20 });
    const second = await adapter.readTimeline({ kind: 'home', cursor: first.older, direction: 'older', limit: 20 });
    const firstIds = new Set(postsOf(first).map((p) => p.nativeId));
    expect(second.items.length).toBeGreaterThan(0);
    // Pages go back in time: every status of page two is older than page one's oldest.
    const oldestFirst = [...firstIds].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1))[0] ?? '0';
    for (const post of postsOf(second)) {
      if (firstIds.has(post.nativeId)) continue; // a boost of a newer status may repeat it
      expect(BigInt(post.nativeId) < BigInt(oldestFirst)).toBe(true);
    }
  });

  it('asks for what is newer than the top of a column and gets exactly the new statuses', async () => {
    const { adapter, emulator } = await setup();
    const first = await adapter.readTimeline({ kind: 'home', direction: 'older', limit: 20 });
    const quiet = await adapter.readTimeline({ kind: 'home', cursor: first.newer, direction: 'newer', limit: 20 });
    expect(quiet.items).toEqual([]);
    expect(quiet.newer).toBe(first.newer);
    emulator.postAs('alice', 'Fresh from the press #colonnade');
    emulator.postAs('bob', 'And another one');
    const fresh = await adapter.readTimeline({ kind: 'home', cursor: first.newer, direction: 'newer', limit: 20 });
    expect(postsOf(fresh).map((p) => p.text)).toEqual(['And another one', 'Fresh from the press #colonnade']);
    const after = await adapter.readTimeline({ kind: 'home', cursor: fresh.newer, direction: 'newer', limit: 20 });
    expect(after.items).toEqual([]);
  });

  it('shows mentions of the account, from its notifications', async () => {
    const { adapter } = await setup();
    const me = await adapter.verify();
    const mentions = await readAll(adapter, 'mentions');
    expect(mentions.length).toBeGreaterThan(10);
    for (const post of mentions) {
      expect(post.entities).toContainEqual(expect.objectContaining({ kind: 'mention', value: me.handle }));
    }
  });

  it('shows every notification with who did what: likes and boosts of her posts, mentions, follows', async () => {
    const { adapter } = await setup();
    const me = await adapter.verify();
    const entries = await readEntries(adapter, 'notifications');
    const kinds = new Set(entries.map((e) => e.notification?.kind));
    // Seeded replies to her posts read as replies, other mentions as mentions.
    expect([...kinds].sort()).toEqual(['follow', 'like', 'mention', 'reply', 'repost']);
    for (const e of entries) {
      TimelineEntrySchema.parse(e);
      const n = e.notification!;
      expect(n.actors.length).toBeGreaterThan(0);
      if (n.kind === 'like' || n.kind === 'repost') expect(e.post?.author.id).toBe(me.id);
      if (n.kind === 'mention' || n.kind === 'reply')
        expect(e.post?.entities).toContainEqual(expect.objectContaining({ kind: 'mention', value: me.handle }));
      if (n.kind === 'reply') expect(e.post?.replyTo).toBeDefined();
      if (n.kind === 'follow') expect(e.post).toBeNull();
    }
  });

  it('shows a hashtag column whose every post carries the tag', async () => {
    const { adapter } = await setup();
    const posts = await readAll(adapter, 'hashtag', '#coffee');
    expect(posts.length).toBeGreaterThan(10);
    for (const post of posts) {
      expect(post.entities).toContainEqual(expect.objectContaining({ kind: 'hashtag', value: 'coffee' }));
      const tag = post.entities.find((e) => e.kind === 'hashtag' && e.value === 'coffee');
      expect(post.text.slice(tag?.start, tag?.end).toLowerCase()).toBe('#coffee');
    }
  });

  it('searches statuses by keywords, paging back without repeats', async () => {
    const { adapter } = await setup();
    const posts = await readAll(adapter, 'search', 'roadmap');
    expect(posts.length).toBeGreaterThan(5);
    expect(new Set(posts.map((p) => p.id)).size).toBe(posts.length);
    for (const post of posts) expect(post.text.toLowerCase()).toContain('roadmap');
  });

  it('shows a user column by handle and says when the user does not exist', async () => {
    const { adapter } = await setup();
    const posts = await readAll(adapter, 'user', '@alice');
    expect(posts.length).toBeGreaterThan(5);
    const own = posts.filter((p) => p.author.handle.startsWith('alice@'));
    // Alice's column also holds what she boosted, shown as the boosted statuses.
    expect(own.length).toBeGreaterThan(posts.length / 2);
    const remote = await adapter.readTimeline({
      kind: 'user',
      query: 'ines@other.example',
      direction: 'older',
      limit: 5,
    });
    expect(postsOf(remote).some((p) => p.author.handle === 'ines@other.example')).toBe(true);
    const missing = await failure(
      adapter.readTimeline({ kind: 'user', query: 'nobody', direction: 'older', limit: 5 }),
    );
    expect(missing.code).toBe('not-found');
    expect(missing.message).toContain('@nobody');
  });

  it('offers the account lists and shows a list column of its members', async () => {
    const { adapter } = await setup();
    const lists = await adapter.lists();
    expect(lists).toEqual([
      { id: '1', name: 'Partners', kind: 'list' },
      { id: '2', name: 'Press', kind: 'list' },
    ]);
    const posts = await readAll(adapter, 'list', '2');
    expect(posts.length).toBeGreaterThan(5);
    // Members' own statuses, and what they boosted (shown as the boosted status).
    const byMembers = posts.filter((p) =>
      ['chloe', 'dmitri', 'press_desk'].includes(p.author.handle.split('@')[0] ?? ''),
    );
    expect(byMembers.length).toBeGreaterThan(posts.length / 2);
    expect(
      (await failure(adapter.readTimeline({ kind: 'list', query: '99', direction: 'older', limit: 5 }))).code,
    ).toBe('not-found');
  });

  it('asks who the viewer is once, however many columns start together and however often they poll', async () => {
    const { adapter, emulator } = await setup();
    const verifies = () => emulator.requests.filter((r) => r.path === '/api/v1/accounts/verify_credentials').length;
    const kinds = ['home', 'notifications', 'mentions'] as const;
    await Promise.all(kinds.map((kind) => adapter.readTimeline({ kind, direction: 'older', limit: 5 })));
    expect(verifies()).toBe(1);
    await adapter.readTimeline({ kind: 'home', direction: 'newer', limit: 5 });
    expect(verifies()).toBe(1);
  });

  it('a token without read:accounts: asks once, then reads every column without asking again', async () => {
    const { adapter, emulator } = await setup();
    const verifies = () => emulator.requests.filter((r) => r.path === '/api/v1/accounts/verify_credentials').length;
    emulator.failNext({
      status: 403,
      pathIncludes: '/accounts/verify_credentials',
      error: 'This action is outside the authorized scopes',
      times: 10,
    });
    const kinds = ['home', 'notifications', 'mentions'] as const;
    const pages = await Promise.all(kinds.map((kind) => adapter.readTimeline({ kind, direction: 'older', limit: 5 })));
    for (const page of pages) expect(page.items.length).toBeGreaterThan(0);
    expect(verifies()).toBe(1);
    for (let poll = 0; poll < 3; poll++) await adapter.readTimeline({ kind: 'home', direction: 'newer', limit: 5 });
    expect(verifies()).toBe(1);
  });

  it('a verify that fails for now (503) is asked again at the next read', async () => {
    const { adapter, emulator } = await setup();
    const verifies = () => emulator.requests.filter((r) => r.path === '/api/v1/accounts/verify_credentials').length;
    emulator.failNext({ status: 503, pathIncludes: '/accounts/verify_credentials', error: 'Service Unavailable' });
    expect((await failure(adapter.readTimeline({ kind: 'home', direction: 'older', limit: 5 }))).code).toBe(
      'transient',
    );
    await adapter.readTimeline({ kind: 'home', direction: 'older', limit: 5 });
    expect(verifies()).toBe(2);
  });

  it('turns status HTML into text with link, hashtag and mention spans', async () => {
    const { adapter, emulator } = await setup();
    emulator.postAs(
      'alice',
      'Hi @colonnade_team & @ines@other.example: read https://example.com/blog/release-notes-for-the-autumn-update #Coffee',
    );
    const [post] = postsOf(await adapter.readTimeline({ kind: 'home', direction: 'older', limit: 1 }));
    expect(post?.text).toBe('Hi @colonnade_team & @ines: read example.com/blog/release-notes… #Coffee');
    const spans = post?.entities.map((e) => [e.kind, post.text.slice(e.start, e.end), e.value]);
    expect(spans).toEqual([
      ['mention', '@colonnade_team', `colonnade_team@${emulator.domain}`],
      ['mention', '@ines', 'ines@other.example'],
      ['link', 'example.com/blog/release-notes…', 'https://example.com/blog/release-notes-for-the-autumn-update'],
      ['hashtag', '#Coffee', 'coffee'],
    ]);
  });
});

describe('Mastodon metrics and actions', () => {
  it('refreshes likes, boosts and replies; quotes 0 and impressions unknown', async () => {
    const { adapter } = await setup();
    const items = postsOf(await adapter.readTimeline({ kind: 'home', direction: 'older', limit: 10 }));
    const ids = [...new Set(items.map((p) => p.id))];
    const { metrics, gone } = await adapter.refreshMetrics([...ids, 'mastodon:999', 'bluesky:at://x']);
    expect(gone).toEqual([]);
    expect([...metrics.keys()].sort()).toEqual([...ids].sort());
    for (const post of items) {
      expect(metrics.get(post.id)).toEqual({ ...post.metrics, quotes: 0, impressions: null });
    }
  });

  it('says which statuses are gone once their author deleted them (Mastodon 4.3+: one batch request)', async () => {
    const { adapter, emulator } = await setup();
    const { kept, doomed } = await twoStatusesOf(adapter, emulator);
    expect(await adapter.refreshMetrics([kept.id, doomed.id])).toMatchObject({ gone: [] });
    await deleteAs(emulator, 'alice', doomed.nativeId);
    const asked = emulator.requests.length;
    const { metrics, gone } = await adapter.refreshMetrics([kept.id, doomed.id]);
    expect(gone).toEqual([doomed.id]);
    expect([...metrics.keys()]).toEqual([kept.id]);
    // Left out of GET /api/v1/statuses?id[]= by Mastodon 4.3+: that is its answer, nothing more asked.
    expect(emulator.requests.slice(asked).map((r) => r.path)).toEqual(['/api/v1/statuses']);
  });

  it('before Mastodon 4.3, asks each left-out status itself: a 404 is gone, an answer is not', async () => {
    const { adapter, emulator } = await setup({ instanceApi: 'pleroma' });
    const { kept, doomed } = await twoStatusesOf(adapter, emulator);
    await deleteAs(emulator, 'alice', doomed.nativeId);
    // A Pleroma-family server reads `ids[]`, not `id[]`: its batch answer may leave everything out.
    emulator.corruptNext('/api/v1/statuses', (body) => void (body as unknown[]).splice(0));
    const asked = emulator.requests.length;
    const lenient = await adapter.refreshMetrics([kept.id, doomed.id]);
    expect(lenient.gone).toEqual([doomed.id]);
    expect([...lenient.metrics.keys()]).toEqual([kept.id]);
    expect(emulator.requests.slice(asked).map((r) => r.path)).toEqual([
      '/api/v1/statuses',
      `/api/v1/statuses/${kept.nativeId}`,
      `/api/v1/statuses/${doomed.nativeId}`,
    ]);
    // A server without the batch route (404) is asked status by status.
    emulator.failNext({ status: 404, pathIncludes: '/api/v1/statuses', error: 'Record not found' });
    const oneByOne = await adapter.refreshMetrics([kept.id, doomed.id]);
    expect(oneByOne.gone).toEqual([doomed.id]);
    expect([...oneByOne.metrics.keys()]).toEqual([kept.id]);
  });

  it('before Mastodon 4.3 (no batch route: 404), asks status by status without trying the batch again', async () => {
    const { adapter, emulator } = await setup({ apiVersion: 1 });
    const { kept, doomed } = await twoStatusesOf(adapter, emulator);
    await deleteAs(emulator, 'alice', doomed.nativeId);
    const paths = async () => {
      const asked = emulator.requests.length;
      const { metrics, gone } = await adapter.refreshMetrics([kept.id, doomed.id]);
      expect(gone).toEqual([doomed.id]);
      expect([...metrics.keys()]).toEqual([kept.id]);
      return emulator.requests.slice(asked).map((r) => r.path);
    };
    const one = [`/api/v1/statuses/${kept.nativeId}`, `/api/v1/statuses/${doomed.nativeId}`];
    expect(await paths()).toEqual(['/api/v1/statuses', ...one]);
    // Every later poll: two requests, not three.
    expect(await paths()).toEqual(one);
    expect(await paths()).toEqual(one);
  });

  it('likes, boosts, undoes both and the counts follow', async () => {
    const { adapter, emulator } = await setup();
    const [post] = postsOf(
      await adapter.readTimeline({ kind: 'hashtag', query: 'opensource', direction: 'older', limit: 1 }),
    );
    if (!post) throw new Error('no post');
    await adapter.act(post.id, 'like');
    await adapter.act(post.id, 'repost');
    expect(emulator.favouritedBy(post.nativeId)).toContain('colonnade_team');
    expect(emulator.boostedBy(post.nativeId)).toContain('colonnade_team');
    const after = (await adapter.refreshMetrics([post.id])).metrics.get(post.id);
    expect(after).toMatchObject({ likes: post.metrics.likes + 1, reposts: post.metrics.reposts + 1 });
    const [seen] = postsOf(
      await adapter.readTimeline({ kind: 'hashtag', query: 'opensource', direction: 'older', limit: 1 }),
    );
    expect(seen?.viewer).toEqual({ liked: true, reposted: true });
    await adapter.act(post.id, 'unlike');
    await adapter.act(post.id, 'unrepost');
    expect(emulator.favouritedBy(post.nativeId)).not.toContain('colonnade_team');
    expect(emulator.boostedBy(post.nativeId)).not.toContain('colonnade_team');
    expect((await adapter.refreshMetrics([post.id])).metrics.get(post.id)).toEqual(post.metrics);
  });

  it('deletes its own post and cannot delete someone else’s', async () => {
    const { adapter, emulator } = await setup();
    const post = await adapter.publish({ text: 'Soon gone', idempotencyKey: 'delete-me' });
    await adapter.act(post.id, 'delete');
    expect(emulator.statusExists(post.nativeId)).toBe(false);
    const [other] = postsOf(await adapter.readTimeline({ kind: 'user', query: 'alice', direction: 'older', limit: 1 }));
    expect((await failure(adapter.act(other?.id ?? '', 'delete'))).code).toBe('not-found');
    expect((await failure(adapter.act('x:1', 'like'))).code).toBe('invalid');
  });
});

describe('Mastodon publishing', () => {
  it('publishes an image with its alt text', async () => {
    const { adapter, emulator } = await setup();
    const post = await adapter.publish({
      text: 'Our new logo #colonnade',
      media: [{ data: PNG, mimeType: 'image/png', alt: 'A blue column on white' }],
      idempotencyKey: 'logo-1',
    });
    expect(post.text).toBe('Our new logo #colonnade');
    expect(post.media).toEqual([expect.objectContaining({ kind: 'image', alt: 'A blue column on white' })]);
    const [stored] = emulator.statusesBy('colonnade_team');
    expect(stored?.id).toBe(post.nativeId);
    expect(stored?.mediaIds).toHaveLength(1);
    expect(emulator.mediaDescription(stored?.mediaIds[0] ?? '')).toBe('A blue column on white');
  });

  it('sends the same Idempotency-Key on a retry and the instance keeps one status', async () => {
    const { adapter, emulator } = await setup();
    const before = emulator.statusesBy('colonnade_team').length;
    const request = { text: 'Posted once, whatever happens', idempotencyKey: 'retry-key-1' };
    const first = await adapter.publish(request);
    const second = await adapter.publish(request);
    expect(second.id).toBe(first.id);
    expect(emulator.statusesBy('colonnade_team').length).toBe(before + 1);
    const keys = emulator.requests.filter((r) => r.method === 'POST' && r.path === '/api/v1/statuses');
    expect(keys.map((r) => r.idempotencyKey)).toEqual(['retry-key-1', 'retry-key-1']);
  });

  it('replies to a post', async () => {
    const { adapter, emulator } = await setup();
    const [target] = postsOf(await adapter.readTimeline({ kind: 'mentions', direction: 'older', limit: 1 }));
    if (!target) throw new Error('no mention');
    const reply = await adapter.publish({ text: 'Thanks!', replyTo: target.id, idempotencyKey: 'reply-1' });
    expect(reply.replyTo).toBe(target.id);
    expect(emulator.statusesBy('colonnade_team')[0]?.inReplyToId).toBe(target.nativeId);
    const metrics = (await adapter.refreshMetrics([target.id])).metrics.get(target.id);
    expect(metrics?.replies).toBe(target.metrics.replies + 1);
  });

  it('quotes with quoted_status_id on Mastodon 4.5+, and with a link before', async () => {
    const modern = await setup({ apiVersion: 7 });
    const [quoted] = postsOf(
      await modern.adapter.readTimeline({ kind: 'user', query: 'bob', direction: 'older', limit: 1 }),
    );
    if (!quoted) throw new Error('no post');
    const quote = await modern.adapter.publish({ text: 'Worth reading', quoteOf: quoted.id, idempotencyKey: 'q1' });
    expect(quote.text).toBe('Worth reading');
    expect(modern.emulator.statusesBy('colonnade_team')[0]?.quotedStatusId).toBe(quoted.nativeId);

    const older = await setup({ apiVersion: 6 });
    const [quoted2] = postsOf(
      await older.adapter.readTimeline({ kind: 'user', query: 'bob', direction: 'older', limit: 1 }),
    );
    if (!quoted2) throw new Error('no post');
    const linked = await older.adapter.publish({ text: 'Worth reading', quoteOf: quoted2.id, idempotencyKey: 'q2' });
    expect(linked.text).toBe(`Worth reading\n\n${shownLink(quoted2.url ?? '')}`);
    expect(linked.entities).toContainEqual(expect.objectContaining({ kind: 'link', value: quoted2.url }));
  });

  it('reads its text rules from the instance, once', async () => {
    const { adapter, emulator } = await setup({ maxCharacters: 640, maxMediaAttachments: 6, descriptionLimit: 1000 });
    await adapter.verify();
    expect(adapter.textRules()).toEqual({
      counting: 'characters',
      maxLength: 640,
      urlLength: 23,
      maxImages: 6,
      maxAltLength: 1000,
    });
    await adapter.readTimeline({ kind: 'home', direction: 'older', limit: 5 });
    await adapter.publish({ text: 'x'.repeat(600), idempotencyKey: 'long-ok' });
    expect(emulator.requests.filter((r) => r.path === '/api/v2/instance')).toHaveLength(1);
  });

  it('counts a link as the instance’s characters_reserved_per_url (30 here), not 23', async () => {
    const { adapter } = await setup({ urlLength: 30 });
    expect(adapter.textRules().urlLength).toBe(23); // Mastodon's default until the instance is read
    expect((await adapter.loadTextRules()).urlLength).toBe(30);
    const rules = adapter.textRules();
    expect(rules.urlLength).toBe(30);
    expect(measureText('https://example.com/a/long/path/that/is/longer/than/thirty', rules).binding.length).toBe(30);
    expect(measureText('see https://example.com', rules).binding.length).toBe(34);
  });

  it('refuses too many images or too long a description before uploading anything', async () => {
    const { adapter, emulator } = await setup({ maxMediaAttachments: 2, descriptionLimit: 10 });
    const image = { data: PNG, mimeType: 'image/png', alt: 'ok' };
    expect(
      (await failure(adapter.publish({ text: 'x', media: [image, image, image], idempotencyKey: 'a' }))).code,
    ).toBe('invalid');
    const longAlt = { ...image, alt: 'far too long a description' };
    expect((await failure(adapter.publish({ text: 'x', media: [longAlt], idempotencyKey: 'b' }))).code).toBe('invalid');
    expect(emulator.requests.filter((r) => r.path === '/api/v2/media')).toHaveLength(0);
  });
});

describe('Mastodon rate limits', () => {
  it('reports the rate-limit headers; the pace of one column is 30 s (the engine shares the windows)', async () => {
    const { adapter, emulator } = await setup();
    expect(adapter.rateLimit()).toBeNull();
    await adapter.verify();
    expect(adapter.rateLimit()).toMatchObject({ limit: 300, remaining: 298 });
    emulator.setRateLimit(20, 5 * 60_000);
    await adapter.readTimeline({ kind: 'home', direction: 'older', limit: 5 });
    expect(adapter.rateLimit()).toMatchObject({ limit: 20, remaining: 19 });
    expect(adapter.pollIntervalMs('home')).toBe(30_000);
  });
});
