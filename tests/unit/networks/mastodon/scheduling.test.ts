// Mastodon's own scheduled statuses, end to end against the emulated instance: the adapter hands a
// post to the instance (POST /api/v1/statuses with `scheduled_at`), moves and cancels it
// (/api/v1/scheduled_statuses), and learns what became of it once the instance published it by
// itself; Mastodon's limits and minimum lead come back as reasons the UI words. Also publishing
// after a send whose outcome was lost longer ago than Mastodon keeps an Idempotency-Key.
// The emulator and the adapter share one hand-moved clock: moving it is the instance's time passing.
import { describe, expect, it } from 'vitest';
import {
  createMastodonAdapter,
  type MastodonAdapter,
  type MastodonCredentials,
} from '../../../../src/main/networks/mastodon';
import type { PublishRequest } from '../../../../src/shared/adapter';
import { toAppError } from '../../../../src/shared/errors';
import { PostSchema } from '../../../../src/shared/model';
import { OWNER_USERNAME, SCHEDULED_RULES, type MastodonEmulator } from '../../../emulators/mastodon';
import { FakeClock, MemoryLogger } from '../../../doubles/ports';
import { createI18n } from '../../../../src/renderer/i18n';
import { describeError } from '../../../../src/renderer/components/errors';
import { refusal, startEmulator } from './support';

const MINUTE = 60_000;
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);

interface Scene {
  clock: FakeClock;
  emulator: MastodonEmulator;
  adapter: MastodonAdapter;
  scheduling: NonNullable<MastodonAdapter['serverScheduling']>;
}

async function scene(): Promise<Scene> {
  const clock = new FakeClock();
  const emulator = await startEmulator({ now: () => clock.now() });
  const credentials: MastodonCredentials = { instanceUrl: emulator.url, accessToken: emulator.issueToken() };
  const adapter = createMastodonAdapter(credentials, {
    clock,
    log: new MemoryLogger(),
    saveCredentials: async () => undefined,
  });
  const scheduling = adapter.serverScheduling;
  if (!scheduling) throw new Error('the Mastodon adapter has no server scheduling');
  return { clock, emulator, adapter, scheduling };
}

/** The owner's statuses on the instance with this text. */
const postsSaying = (emulator: MastodonEmulator, text: string) =>
  emulator.statusesBy(OWNER_USERNAME).filter((s) => s.text === text);

const creates = (emulator: MastodonEmulator) =>
  emulator.requests.filter((r) => r.method === 'POST' && r.path === '/api/v1/statuses');

describe('Mastodon scheduled statuses', () => {
  it('a post scheduled 10 minutes ahead waits on the instance and goes out at its time by itself', async () => {
    const { clock, emulator, scheduling } = await scene();
    expect(scheduling.minimumLeadMs).toBe(5 * MINUTE);
    const text =
      'Launch day for @alice and @ines@other.example: https://example.com/blog/release-notes-for-the-autumn-update #colonnade';
    const request: PublishRequest = { text, idempotencyKey: 'launch-1' };
    const at = clock.now() + 10 * MINUTE;

    const scheduled = await scheduling.schedule(request, at);
    expect(scheduled.at).toBe(new Date(at).toISOString());
    expect(emulator.scheduledOf()).toEqual([{ id: scheduled.id, scheduledAt: at, text, mediaIds: [] }]);
    expect(await scheduling.status(scheduled.id, request, at)).toEqual({ state: 'scheduled', at: scheduled.at });
    expect(postsSaying(emulator, text)).toEqual([]);

    // Colonnade is closed; the instance's time passes its hour.
    clock.time += 11 * MINUTE;
    expect(postsSaying(emulator, text)).toHaveLength(1);
    expect(emulator.scheduledOf()).toEqual([]);

    const outcome = await scheduling.status(scheduled.id, request, at);
    if (outcome.state !== 'published') throw new Error(`expected published, got ${outcome.state}`);
    PostSchema.parse(outcome.post);
    expect(outcome.post.nativeId).toBe(postsSaying(emulator, text)[0]!.id);
    expect(outcome.post.createdAt).toBe(new Date(at).toISOString());
    expect(outcome.post.author.handle).toContain(OWNER_USERNAME);
  });

  it('an image goes with the scheduled post and becomes the published post’s image', async () => {
    const { clock, emulator, scheduling } = await scene();
    const request: PublishRequest = {
      text: 'Our new logo',
      media: [{ data: PNG, mimeType: 'image/png', alt: 'The Colonnade logo' }],
      idempotencyKey: 'logo-later',
    };
    const at = clock.now() + 30 * MINUTE;
    const scheduled = await scheduling.schedule(request, at);
    const [waiting] = emulator.scheduledOf();
    expect(waiting?.mediaIds).toHaveLength(1);
    const mediaId = waiting!.mediaIds[0]!;
    expect(emulator.mediaDescription(mediaId)).toBe('The Colonnade logo');

    clock.time += 31 * MINUTE;
    const [published] = postsSaying(emulator, 'Our new logo');
    expect(published?.mediaIds).toEqual([mediaId]);
    const outcome = await scheduling.status(scheduled.id, request, at);
    expect(outcome.state === 'published' && outcome.post.media.map((m) => m.alt)).toEqual(['The Colonnade logo']);
  });

  it('moves a scheduled post to another time: it waits for the new time, then goes out', async () => {
    const { clock, emulator, scheduling } = await scene();
    const request: PublishRequest = { text: 'Moved to the afternoon', idempotencyKey: 'moved-1' };
    const first = clock.now() + 10 * MINUTE;
    const later = clock.now() + 40 * MINUTE;
    const scheduled = await scheduling.schedule(request, first);

    const moved = await scheduling.reschedule(scheduled.id, later);
    expect(moved).toEqual({ id: scheduled.id, at: new Date(later).toISOString() });
    expect(emulator.scheduledOf().map((s) => s.scheduledAt)).toEqual([later]);

    clock.time += 15 * MINUTE; // past the first time: nothing goes out
    expect(postsSaying(emulator, request.text)).toEqual([]);
    expect(await scheduling.status(scheduled.id, request, later)).toEqual({ state: 'scheduled', at: moved.at });

    clock.time += 26 * MINUTE;
    expect(postsSaying(emulator, request.text)).toHaveLength(1);
    expect((await scheduling.status(scheduled.id, request, later)).state).toBe('published');
  });

  it('cancels a scheduled post: it never goes out, is gone, and cancelling again is no error', async () => {
    const { clock, emulator, scheduling } = await scene();
    const request: PublishRequest = { text: 'Never mind', idempotencyKey: 'cancel-1' };
    const at = clock.now() + 20 * MINUTE;
    const scheduled = await scheduling.schedule(request, at);

    await scheduling.cancel(scheduled.id);
    expect(emulator.scheduledOf()).toEqual([]);
    await scheduling.cancel(scheduled.id);
    expect(await scheduling.status(scheduled.id, request, at)).toEqual({ state: 'gone' });
    expect((await refusal(scheduling.reschedule(scheduled.id, at + MINUTE))).code).toBe('not-found');

    clock.time += 30 * MINUTE;
    expect(postsSaying(emulator, request.text)).toEqual([]);
    expect(await scheduling.status(scheduled.id, request, at)).toEqual({ state: 'gone' });
  });

  it('a scheduled reply whose target was deleted is dropped by the instance: gone, once it had time', async () => {
    const { clock, emulator, scheduling } = await scene();
    const target = emulator.postAs('alice', 'Ask me anything');
    const request: PublishRequest = {
      text: 'Here is my question',
      replyTo: `mastodon:${emulator.domain}/${target.id}`,
      idempotencyKey: 'reply-later',
    };
    const at = clock.now() + 10 * MINUTE;
    const scheduled = await scheduling.schedule(request, at);
    const res = await fetch(`${emulator.url}/api/v1/statuses/${target.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${emulator.issueToken('alice')}` },
    });
    expect(res.status).toBe(200);

    clock.time += 10 * MINUTE + 30_000; // just after its time: maybe still being published
    expect((await refusal(scheduling.status(scheduled.id, request, at))).code).toBe('transient');
    clock.time += 2 * MINUTE;
    expect(await scheduling.status(scheduled.id, request, at)).toEqual({ state: 'gone' });
    expect(postsSaying(emulator, request.text)).toEqual([]);
  });

  it('refuses less than 5 minutes ahead in words, before sending, and by the instance’s own clock', async () => {
    const { clock, emulator, scheduling } = await scene();
    const request: PublishRequest = { text: 'Too soon', idempotencyKey: 'soon-1' };

    const local = await refusal(scheduling.schedule(request, clock.now() + 5 * MINUTE));
    expect(local).toMatchObject({
      code: 'invalid',
      reason: 'server-schedule-too-soon',
      params: { server: emulator.domain, minutes: '5' },
    });
    expect(creates(emulator)).toEqual([]); // a past time would have been posted at once

    // The instance's clock runs two minutes ahead: 6 minutes by ours is 4 by its own.
    emulator.advanceTime(2 * MINUTE);
    const remote = await refusal(scheduling.schedule(request, clock.now() + 6 * MINUTE));
    expect(remote).toMatchObject({ code: 'invalid', reason: 'server-schedule-too-soon', params: { minutes: '5' } });
    expect(remote.detail).toBe('Validation failed: Scheduled at date must be in the future');
    expect(emulator.scheduledOf()).toEqual([]);

    const scheduled = await scheduling.schedule(request, clock.now() + 60 * MINUTE);
    const moved = await refusal(scheduling.reschedule(scheduled.id, clock.now() + 3 * MINUTE));
    expect(moved.reason).toBe('server-schedule-too-soon');
    expect(postsSaying(emulator, request.text)).toEqual([]);
  });

  it(`refuses a ${SCHEDULED_RULES.dailyLimit + 1}th post on one UTC day, with the limit and the day in the reason`, async () => {
    const { clock, emulator, scheduling } = await scene();
    expect(SCHEDULED_RULES.dailyLimit).toBe(25); // app/models/scheduled_status.rb DAILY_LIMIT, not 50
    const tomorrow = Date.UTC(2026, 10, 26, 9, 0);
    for (let i = 0; i < 24; i++) emulator.scheduleAs(OWNER_USERNAME, `Filler ${i}`, tomorrow + i * MINUTE);
    await scheduling.schedule({ text: 'The 25th of the day', idempotencyKey: 'day-25' }, tomorrow + 3 * 60 * MINUTE);

    const refused = await refusal(
      scheduling.schedule({ text: 'One too many', idempotencyKey: 'day-26' }, Date.UTC(2026, 10, 26, 23, 30)),
    );
    expect(refused).toMatchObject({
      code: 'invalid',
      reason: 'server-schedule-limit',
      params: { limit: '25', context: 'day', server: emulator.domain },
    });
    expect(refused.detail).toBe('Validation failed: You have exceeded the limit of 25 scheduled posts for today');
    // The next UTC day is another count.
    await scheduling.schedule({ text: 'One too many', idempotencyKey: 'day-26' }, Date.UTC(2026, 10, 27, 0, 30));
    expect(emulator.scheduledOf()).toHaveLength(26);
    expect(clock.now()).toBeLessThan(tomorrow);
  });

  it(`refuses more than ${SCHEDULED_RULES.totalLimit} waiting, moving one included (Mastodon counts it too)`, async () => {
    const { clock, emulator, scheduling } = await scene();
    expect(SCHEDULED_RULES.totalLimit).toBe(300);
    const start = Date.UTC(2026, 11, 1, 8, 0);
    for (let i = 0; i < 300; i++) {
      emulator.scheduleAs(OWNER_USERNAME, `Planned ${i}`, start + Math.floor(i / 20) * 24 * 60 * MINUTE + i * MINUTE);
    }
    const refused = await refusal(
      scheduling.schedule({ text: 'Number 301', idempotencyKey: 'total-301' }, clock.now() + 60 * MINUTE),
    );
    expect(refused).toMatchObject({ code: 'invalid', reason: 'server-schedule-limit', params: { limit: '300' } });
    expect(refused.params?.context).toBeUndefined();
    expect(refused.detail).toBe('Validation failed: You have exceeded the limit of 300 scheduled posts');

    const [first] = emulator.scheduledOf();
    const moved = await refusal(scheduling.reschedule(first!.id, clock.now() + 2 * 60 * MINUTE));
    expect(moved.reason).toBe('server-schedule-limit');

    await scheduling.cancel(first!.id);
    await scheduling.schedule({ text: 'Number 301', idempotencyKey: 'total-301' }, clock.now() + 60 * MINUTE);
    expect(emulator.scheduledOf()).toHaveLength(300);
  });

  it('says the limits and the minimum lead in English and French, the day limit in its own words', async () => {
    const { clock, emulator, scheduling } = await scene();
    const tomorrow = Date.UTC(2026, 10, 26, 9, 0);
    for (let i = 0; i < 25; i++) emulator.scheduleAs(OWNER_USERNAME, `Filler ${i}`, tomorrow + i * MINUTE);
    const day = await refusal(scheduling.schedule({ text: 'More', idempotencyKey: 'more' }, tomorrow + 60 * MINUTE));
    const soon = await refusal(scheduling.schedule({ text: 'Soon', idempotencyKey: 'soon' }, clock.now() + MINUTE));
    const words = (language: 'en' | 'fr', error: typeof day) => {
      const i18n = createI18n(language);
      return describeError(i18n.t.bind(i18n), toAppError(error), language, 'composer', 'mastodon');
    };
    expect(words('en', day)).toContain(
      `${emulator.domain} already holds 25 scheduled posts for this account on that day (UTC)`,
    );
    expect(words('fr', day)).toContain(
      `${emulator.domain} a déjà 25 publications programmées pour ce compte ce jour-là (UTC)`,
    );
    expect(words('en', soon)).toBe(`${emulator.domain} schedules a post only more than 5 minutes ahead.`);
    expect(words('fr', soon)).toBe(`${emulator.domain} ne programme une publication que plus de 5 minutes à l’avance.`);
  });

  it('a retry with the same Idempotency-Key answers the same scheduled post, one on the instance', async () => {
    const { clock, emulator, scheduling } = await scene();
    const request: PublishRequest = { text: 'Sent twice, scheduled once', idempotencyKey: 'twice-1' };
    const at = clock.now() + 2 * 60 * MINUTE;
    const first = await scheduling.schedule(request, at);
    clock.time += 10 * MINUTE;
    const second = await scheduling.schedule(request, at);

    expect(second).toEqual(first);
    expect(emulator.scheduledOf()).toHaveLength(1);
    expect(creates(emulator).map((r) => r.idempotencyKey)).toEqual(['twice-1', 'twice-1']);
    // Mastodon answered the repeat 404 (see the emulator test below); the adapter found it in the list.
    expect(emulator.requests.some((r) => r.method === 'GET' && r.path === '/api/v1/scheduled_statuses')).toBe(true);

    clock.time += 2 * 60 * MINUTE;
    expect(postsSaying(emulator, request.text)).toHaveLength(1);
  });

  it('after the key’s hour, an uncertain schedule is found among the scheduled posts instead of sent again', async () => {
    const { clock, emulator, scheduling } = await scene();
    const request: PublishRequest = { text: 'Scheduled before the crash', idempotencyKey: 'crash-1' };
    const at = clock.now() + 3 * 60 * MINUTE;
    const began = clock.now();
    const first = await scheduling.schedule(request, at);

    clock.time += 61 * MINUTE; // the app was down; Mastodon forgot the key
    const again = await scheduling.schedule({ ...request, uncertainSince: began }, at);
    expect(again).toEqual(first);
    expect(creates(emulator)).toHaveLength(1);
    expect(emulator.scheduledOf()).toHaveLength(1);
  });
});

describe('Mastodon publishing after an uncertain send', () => {
  it('older than the key’s hour: finds the earlier post instead of posting twice', async () => {
    const { clock, emulator, adapter } = await scene();
    const text = 'Doors open at 9:00 https://example.com/blog/release-notes-for-the-autumn-update';
    const request: PublishRequest = { text, idempotencyKey: 'doors-1' };
    const began = clock.now();
    const posted = await adapter.publish(request); // its answer was lost: the app does not know

    clock.time += 61 * MINUTE;
    const found = await adapter.publish({ ...request, uncertainSince: began });
    expect(found.id).toBe(posted.id);
    expect(postsSaying(emulator, text)).toHaveLength(1);
    expect(creates(emulator)).toHaveLength(1);

    // Without looking, the forgotten key would have let a second copy through.
    await adapter.publish(request);
    expect(postsSaying(emulator, text)).toHaveLength(2);
  });

  it('older than the key’s hour and not there: posts it (once)', async () => {
    const { clock, emulator, adapter } = await scene();
    const request: PublishRequest = { text: 'Never made it out', idempotencyKey: 'lost-1' };
    const began = clock.now();
    clock.time += 90 * MINUTE;
    const post = await adapter.publish({ ...request, uncertainSince: began });
    expect(postsSaying(emulator, request.text).map((s) => s.id)).toEqual([post.nativeId]);
  });

  it('within the key’s hour: the key alone answers the earlier post, without looking', async () => {
    const { clock, emulator, adapter } = await scene();
    const request: PublishRequest = { text: 'Within the hour', idempotencyKey: 'hour-1' };
    const began = clock.now();
    const posted = await adapter.publish(request);
    clock.time += 30 * MINUTE;
    const again = await adapter.publish({ ...request, uncertainSince: began });
    expect(again.id).toBe(posted.id);
    expect(postsSaying(emulator, request.text)).toHaveLength(1);
    expect(emulator.requests.some((r) => /\/api\/v1\/accounts\/\d+\/statuses/.test(r.path))).toBe(false);
  });
});

describe('the emulated instance’s scheduled statuses', () => {
  const call = async (emulator: MastodonEmulator, token: string, method: string, path: string, body?: object) => {
    const res = await fetch(`${emulator.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body ? { 'content-type': 'application/json' } : {}),
        ...(method === 'POST' && path === '/api/v1/statuses' ? { 'idempotency-key': 'raw-key' } : {}),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, link: res.headers.get('link'), body: (await res.json()) as Record<string, unknown> };
  };

  it('answers a repeated scheduling key 404, as Mastodon looks the key up among statuses', async () => {
    const emulator = await startEmulator();
    const token = emulator.issueToken();
    const body = { status: 'Raw schedule', scheduled_at: new Date(emulator.now() + 60 * MINUTE).toISOString() };
    const first = await call(emulator, token, 'POST', '/api/v1/statuses', body);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ params: { text: 'Raw schedule', visibility: null, scheduled_at: null } });
    const repeat = await call(emulator, token, 'POST', '/api/v1/statuses', body);
    expect(repeat).toMatchObject({ status: 404, body: { error: 'Record not found' } });
    expect(emulator.scheduledOf()).toHaveLength(1);
    // A time already past is posted at once (scheduled_in_the_past?).
    const past = await call(emulator, token, 'POST', '/api/v1/statuses', {
      status: 'Right now',
      scheduled_at: new Date(emulator.now() - MINUTE).toISOString(),
    });
    expect(past.status).toBe(404); // same key: still the scheduled one's, no status of that id
    emulator.advanceTime(61 * MINUTE); // the key expired; the scheduled one went out
    expect(emulator.statusesBy(OWNER_USERNAME).filter((s) => s.text === 'Raw schedule')).toHaveLength(1);
    const now = await call(emulator, token, 'POST', '/api/v1/statuses', {
      status: 'Right now',
      scheduled_at: new Date(emulator.now() - MINUTE).toISOString(),
    });
    expect(now.body).toMatchObject({ content: '<p>Right now</p>' });
  });

  it('pages the list like Mastodon: 40 at most, `next` only after a full page', async () => {
    const emulator = await startEmulator();
    const token = emulator.issueToken();
    for (let i = 0; i < 45; i++) emulator.scheduleAs(OWNER_USERNAME, `Queued ${i}`, emulator.now() + (i + 10) * MINUTE);
    const first = await call(emulator, token, 'GET', '/api/v1/scheduled_statuses?limit=80');
    const items = first.body as unknown as Array<{ id: string }>;
    expect(items).toHaveLength(40);
    expect(first.link).toContain('rel="next"');
    const next = /<([^>]+)>; rel="next"/.exec(first.link ?? '')?.[1];
    const second = await call(emulator, token, 'GET', new URL(next!).pathname + new URL(next!).search);
    expect(second.body as unknown as unknown[]).toHaveLength(5);
    expect(second.link).not.toContain('rel="next"');
    expect(second.link).toContain('rel="prev"');
    const one = await call(emulator, token, 'GET', `/api/v1/scheduled_statuses/${items[0]!.id}`);
    expect(one.body).toMatchObject({ id: items[0]!.id, params: { text: 'Queued 44' } });
    const other = await call(
      emulator,
      emulator.issueToken('alice'),
      'GET',
      `/api/v1/scheduled_statuses/${items[0]!.id}`,
    );
    expect(other.status).toBe(404);
    const removed = await call(emulator, token, 'DELETE', `/api/v1/scheduled_statuses/${items[0]!.id}`);
    expect(removed).toMatchObject({ status: 200, body: {} });
    expect(emulator.publishDue()).toBe(0);
  });
});
