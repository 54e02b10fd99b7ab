// The emulator itself: it must refuse what the Mastodon API description forbids (or the adapter
// tests prove nothing), and stream the way Mastodon documents.
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { SPEC_PATCHES } from '../../../emulators/mastodon';
import { startEmulator } from './support';

const sockets: WebSocket[] = [];
afterEach(() => {
  for (const s of sockets.splice(0)) s.terminate();
});

describe('Mastodon emulator', () => {
  it('rejects and records a request the description forbids', async () => {
    const emulator = await startEmulator();
    const token = emulator.issueToken();
    const response = await fetch(`${emulator.url}/api/v1/timelines/home?limit=many`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(400);
    const unknown = await fetch(`${emulator.url}/api/v1/timelines/everything`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(unknown.status).toBe(404);
    const badBody = await fetch(`${emulator.url}/api/v1/statuses`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ status: 42 }),
    });
    expect(badBody.status).toBe(400);
    expect(emulator.violations).toEqual([
      expect.objectContaining({
        method: 'GET',
        path: '/api/v1/timelines/home',
        message: expect.stringContaining('limit'),
      }),
      expect.objectContaining({ method: 'GET', path: '/api/v1/timelines/everything' }),
      expect.objectContaining({ method: 'POST', path: '/api/v1/statuses', message: expect.stringContaining('status') }),
    ]);
    expect(emulator.statusesBy('colonnade_team').some((s) => s.text === '42')).toBe(false);
    emulator.violations.length = 0; // seen and expected: the shared check after each test stays strict
  });

  it('says which parts of the description it corrects, each with a reason', () => {
    expect(SPEC_PATCHES.length).toBeGreaterThan(0);
    for (const patch of SPEC_PATCHES) expect(patch.why.length).toBeGreaterThan(20);
  });

  it('streams a hashtag subscribed in the query string, payload as a JSON string', async () => {
    const emulator = await startEmulator();
    const token = emulator.issueToken();
    const socket = new WebSocket(
      `${emulator.streamingUrl}/api/v1/streaming?stream=hashtag&tag=fediverse&access_token=${token}`,
    );
    sockets.push(socket);
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    const message = new Promise<string>((resolve) => socket.once('message', (data) => resolve(String(data))));
    await emulator.waitForHashtagSubscriber('fediverse');
    emulator.postAs('hana', 'Hello #Fediverse');
    const event = JSON.parse(await message) as { stream: string[]; event: string; payload: string };
    expect(event.stream).toEqual(['hashtag', 'fediverse']);
    expect(event.event).toBe('update');
    expect(typeof event.payload).toBe('string');
    expect(JSON.parse(event.payload)).toMatchObject({ account: { username: 'hana' }, tags: [{ name: 'fediverse' }] });
  });

  it('refuses a streaming connection without a valid token', async () => {
    const emulator = await startEmulator();
    const socket = new WebSocket(`${emulator.streamingUrl}/api/v1/streaming?stream=user&access_token=nope`);
    sockets.push(socket);
    const status = await new Promise<number>((resolve) => {
      socket.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      socket.once('error', () => resolve(-1));
    });
    expect(status).toBe(401);
  });

  it('pages with Link headers as Mastodon does', async () => {
    const emulator = await startEmulator();
    const token = emulator.issueToken();
    const get = (path: string) => fetch(`${emulator.url}${path}`, { headers: { Authorization: `Bearer ${token}` } });
    const first = await get('/api/v1/notifications?types[]=mention&limit=5');
    const link = first.headers.get('link') ?? '';
    const items = (await first.json()) as Array<{ id: string; type: string }>;
    expect(items.every((n) => n.type === 'mention')).toBe(true);
    expect(link).toContain(`max_id=${items[4]?.id}>; rel="next"`);
    expect(link).toContain(`min_id=${items[0]?.id}>; rel="prev"`);
    expect(link).toContain('types%5B%5D=mention');
    expect(first.headers.get('x-ratelimit-reset')).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('answers since_id with the newest items above it, and refuses more than 20 ids per status batch', async () => {
    const emulator = await startEmulator();
    const token = emulator.issueToken();
    const get = (path: string) => fetch(`${emulator.url}${path}`, { headers: { Authorization: `Bearer ${token}` } });
    const top = (await (await get('/api/v1/timelines/home?limit=3')).json()) as Array<{ id: string }>;
    for (let i = 0; i < 5; i++) emulator.postAs('alice', `New ${i}`);
    const since = (await (await get(`/api/v1/timelines/home?limit=3&since_id=${top[0]!.id}`)).json()) as Array<{
      content: string;
    }>;
    // The newest three of the five, newest first (min_id would give the oldest three).
    expect(since.map((s) => s.content)).toEqual(['<p>New 4</p>', '<p>New 3</p>', '<p>New 2</p>']);
    const ids = top.map((s) => `id[]=${s.id}`);
    expect((await get(`/api/v1/statuses?${ids.join('&')}`)).status).toBe(200);
    const many = Array.from({ length: 21 }, (_, i) => `id[]=${BigInt(top[0]!.id) - BigInt(i)}`).join('&');
    expect((await get(`/api/v1/statuses?${many}`)).status).toBe(422);
  });
});
