import { describe, expect, it } from 'vitest';
import { AlertService, inQuietHours, type AlertFired } from '../../../src/main/core/alerts';
import type { DesktopNotification } from '../../../src/main/core/ports';
import { entryOf, type AlertRule, type Column, type Post } from '../../../src/shared/model';
import { FakeClock } from '../../doubles/ports';

let n = 0;
const post = (text: string, extra: Partial<Post> = {}): Post => ({
  id: `mastodon:${++n}`,
  network: 'mastodon',
  nativeId: String(n),
  author: {
    id: 'mastodon:9',
    network: 'mastodon',
    handle: 'gina@photos.example',
    displayName: 'Gina',
    avatarUrl: null,
    url: null,
  },
  text,
  entities: [],
  media: [],
  createdAt: '2026-11-25T08:00:00.000Z',
  url: null,
  metrics: { likes: 0, reposts: 0, replies: 0, quotes: 0, impressions: null },
  ...extra,
});

const rule = (extra: Partial<AlertRule> = {}): AlertRule => ({
  enabled: true,
  when: 'every',
  accounts: [],
  minEngagement: 0,
  burstPosts: 10,
  burstMinutes: 10,
  sound: false,
  quietHours: null,
  ...extra,
});

function rig(language: 'en' | 'fr' = 'en', minutes = 12 * 60) {
  const clock = new FakeClock();
  const shown: DesktopNotification[] = [];
  const fired: AlertFired[] = [];
  const opened: Array<[string, string | null]> = [];
  const badges: number[] = [];
  const alerts = new AlertService({
    clock,
    notifier: { notify: (x) => shown.push(x), badge: (c) => badges.push(c) },
    language: () => language,
    titleOf: (c) => `#${c.query ?? ''}`,
    localMinutes: () => minutes,
    fired: (a) => fired.push(a),
    open: (c, p) => opened.push([c, p]),
  });
  return { clock, alerts, shown, fired, opened, badges };
}

const column = (alerts: AlertRule): Column => ({
  id: 'c1',
  kind: 'hashtag',
  profileId: 'mastodon:cm',
  query: 'IFPower',
  width: 340,
  alerts,
});

describe('alert rules', () => {
  it('fires once for one matching post; clicking shows it in its column', () => {
    const r = rig();
    const c = column(rule());
    const p = post('Launch day #IFPower');
    r.alerts.arrived(c, [entryOf(p)]);
    r.alerts.arrived(c, [entryOf(p)]); // the same post again (a catch-up, a stream and a poll)
    expect(r.shown).toHaveLength(1);
    expect(r.shown[0]).toMatchObject({ title: '#IFPower: new post', body: 'Gina: Launch day #IFPower', sound: false });
    r.shown[0]!.onClick!();
    expect(r.opened).toEqual([['c1', p.id]]);
    expect(r.badges.at(-1)).toBe(1);
    r.alerts.markSeen();
    expect(r.badges.at(-1)).toBe(0);
  });

  it('what the column hides never alerts: its filters, the global mutes, a monitor’s exclusions', () => {
    const r = rig();
    const muted = ['nsfw'];
    const alerts = new AlertService({
      clock: r.clock,
      notifier: { notify: (x) => r.shown.push(x), badge: () => undefined },
      language: () => 'en',
      titleOf: () => 'Monitor',
      localMinutes: () => 12 * 60,
      fired: () => undefined,
      open: () => undefined,
      muted: () => muted,
    });
    const monitor: Column = {
      ...column(rule()),
      kind: 'monitor',
      query: undefined,
      monitor: { hashtags: ['IFPower'], keywords: [], exclude: ['giveaway'], profileIds: ['mastodon:cm'] },
      options: { filters: { excludeReplies: true } } as Column['options'],
    };
    alerts.arrived(monitor, [entryOf(post('Win a #Giveaway #IFPower'))]);
    alerts.arrived(monitor, [entryOf(post('nsfw #IFPower'))]);
    alerts.arrived(monitor, [entryOf(post('@a yes #IFPower', { replyTo: 'mastodon:1' }))]);
    expect(r.shown).toHaveLength(0);
    alerts.arrived(monitor, [entryOf(post('giveaways explained #IFPower'))]); // not the whole word
    expect(r.shown).toHaveLength(1);
  });

  it('a disabled rule, or a column without one, never fires', () => {
    const r = rig();
    r.alerts.arrived(column(rule({ enabled: false })), [entryOf(post('a'))]);
    r.alerts.arrived({ ...column(rule()), alerts: undefined }, [entryOf(post('b'))]);
    expect(r.shown).toHaveLength(0);
  });

  it('many new posts at once make one summary, not a flood', () => {
    const r = rig('fr');
    r.alerts.arrived(
      column(rule()),
      Array.from({ length: 12 }, (_, i) => entryOf(post(`n°${i}`))),
    );
    expect(r.shown).toHaveLength(1);
    expect(r.shown[0]!.title).toBe('#IFPower\u202f: 12 nouveaux messages');
  });

  it('only posts from listed accounts (with or without their server)', () => {
    const r = rig();
    const c = column(rule({ when: 'accounts', accounts: ['@gina'] }));
    r.alerts.arrived(c, [entryOf(post('from gina'))]);
    r.alerts.arrived(c, [
      entryOf(post('from someone', { author: { ...post('').author, id: 'mastodon:2', handle: 'someone' } })),
    ]);
    expect(r.shown.map((s) => s.body)).toEqual(['Gina: from gina']);
  });

  it('above an engagement threshold: fires when the counts pass it, once', () => {
    const r = rig();
    const c = column(rule({ when: 'engagement', minEngagement: 50 }));
    const p = post('rising');
    r.alerts.arrived(c, [entryOf(p)]);
    expect(r.shown).toHaveLength(0);
    const counts = (likes: number) =>
      new Map([[p.id, { likes, reposts: 5, replies: 0, quotes: 0, impressions: null }]]);
    r.alerts.counted([c], counts(20), () => p);
    expect(r.shown).toHaveLength(0);
    r.alerts.counted([c], counts(60), () => p);
    r.alerts.counted([c], counts(90), () => p);
    expect(r.shown).toHaveLength(1);
  });

  it('a post that arrives already past the threshold (a slow poll) alerts once, not again when its counts are refreshed', () => {
    const r = rig();
    const c = column(rule({ when: 'engagement', minEngagement: 3 }));
    const p = {
      ...post('liked before we read it'),
      metrics: { likes: 5, reposts: 0, replies: 0, quotes: 0, impressions: null },
    };
    r.alerts.arrived(c, [entryOf(p)]);
    expect(r.shown).toHaveLength(1);
    r.alerts.counted([c], new Map([[p.id, { ...p.metrics, likes: 6 }]]), () => p);
    expect(r.shown).toHaveLength(1);
  });

  it('on a burst of N posts within M minutes, once per burst', async () => {
    const r = rig();
    const c = column(rule({ when: 'burst', burstPosts: 5, burstMinutes: 10 }));
    for (let i = 0; i < 4; i++) {
      r.alerts.arrived(c, [entryOf(post(`p${i}`))]);
      await r.clock.advance(60_000);
    }
    expect(r.shown).toHaveLength(0);
    r.alerts.arrived(c, [entryOf(post('p4'))]);
    expect(r.shown.map((s) => s.title)).toEqual(['#IFPower: 5 posts within 10 min']);
    r.alerts.arrived(c, [entryOf(post('p5'))]);
    expect(r.shown).toHaveLength(1);
    // Slow trickle later: no burst.
    await r.clock.advance(60 * 60_000);
    r.alerts.arrived(c, [entryOf(post('later'))]);
    expect(r.shown).toHaveLength(1);
  });

  it('never shows a content-warned or folded post’s text', () => {
    const r = rig();
    const c = column(rule());
    r.alerts.arrived(c, [entryOf(post('the spoiler itself', { contentWarning: 'Finale spoilers' }))]);
    r.alerts.arrived(c, [
      entryOf(post('hidden words', { moderation: [{ scope: 'post', source: 'filter', text: 'politics' }] })),
    ]);
    expect(r.shown.map((s) => s.body)).toEqual([
      'Gina posted with a content warning: Finale spoilers',
      'Gina posted (hidden by your moderation settings)',
    ]);
    expect(r.shown.some((s) => s.body.includes('spoiler itself') || s.body.includes('hidden words'))).toBe(false);
  });

  it('quiet hours hold the desktop notification back; the page and the badge still count it', () => {
    const r = rig('en', 23 * 60);
    r.alerts.arrived(column(rule({ quietHours: { from: '22:00', to: '07:00' } })), [entryOf(post('late'))]);
    expect(r.shown).toHaveLength(0);
    expect(r.fired).toHaveLength(1);
    expect(r.badges.at(-1)).toBe(1);
  });

  it('quiet hours across midnight and within a day', () => {
    const night = { quietHours: { from: '22:00', to: '07:00' } };
    expect(inQuietHours(night, 22 * 60)).toBe(true);
    expect(inQuietHours(night, 3 * 60)).toBe(true);
    expect(inQuietHours(night, 7 * 60)).toBe(false);
    expect(inQuietHours(night, 12 * 60)).toBe(false);
    const lunch = { quietHours: { from: '12:00', to: '13:30' } };
    expect(inQuietHours(lunch, 12 * 60 + 45)).toBe(true);
    expect(inQuietHours(lunch, 14 * 60)).toBe(false);
    expect(inQuietHours({ quietHours: null }, 0)).toBe(false);
  });
});
