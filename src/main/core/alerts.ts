// Alert rules: a column (a monitor, a hashtag, mentions…) may notify the desktop on every new
// post, only on posts from listed accounts, only above an engagement threshold, or on a burst of
// posts. Quiet hours hold notifications back (the tray badge still counts). A content-warned or
// folded post's text never appears in a notification. Each post alerts once per column.
import { columnFilters } from '../../shared/filters';
import type { AlertRule, Column, Metrics, Post, TimelineEntry } from '../../shared/model';
import type { Language } from '../../shared/settings';
// Only the alerts' words (a named import: the bundle keeps that section, not the UI's whole text).
import { alerts as enAlerts } from '../../shared/i18n/en.json';
import { alerts as frAlerts } from '../../shared/i18n/fr.json';
import type { Clock, Notifier } from './ports';

/** Post ids remembered per column so a post alerts once (the newest kept). */
const REMEMBER = 2_000;
/** More new posts than this in one delivery make one summary notification instead of one each. */
const SUMMARY_OVER = 3;
const BODY_MAX = 200;

export interface AlertFired {
  columnId: string;
  postId: string | null;
  title: string;
  body: string;
  at: string;
  unseen: number;
}

export interface AlertsDeps {
  clock: Clock;
  notifier: Notifier;
  language(): Language;
  /** The column's title as the deck shows it ("#IFPower", "Mentions · @brand"). */
  titleOf(column: Column): string;
  /** Minutes since local midnight now (quiet hours are local time). */
  localMinutes(): number;
  fired(alert: AlertFired): void;
  /** The global mute patterns (settings): what a column hides never alerts. */
  muted?(): readonly string[];
  /** The CM clicked a notification: show this post in this column. */
  open(columnId: string, postId: string | null): void;
}

type Words = typeof enAlerts;
const WORDS: Record<Language, Words> = { en: enAlerts, fr: frAlerts };

const fill = (template: string, params: Record<string, string | number>) =>
  template.replace(/\{\{(\w+)\}\}/g, (_, k: string) => String(params[k] ?? ''));

/** Is `minutes` (since local midnight) inside quiet hours "22:00"–"07:00" (which may wrap midnight)? */
export function inQuietHours(rule: Pick<AlertRule, 'quietHours'>, minutes: number): boolean {
  const q = rule.quietHours;
  if (!q) return false;
  const toMin = (hm: string) => Number(hm.slice(0, 2)) * 60 + Number(hm.slice(3, 5));
  const from = toMin(q.from);
  const to = toMin(q.to);
  if (from === to) return false;
  return from < to ? minutes >= from && minutes < to : minutes >= from || minutes < to;
}

/** Likes + reposts + replies + quotes. */
export const engagementOf = (m: Metrics) => m.likes + m.reposts + m.replies + m.quotes;

/** Does this post pass the rule's filter (for `every`, `accounts`, `engagement`)? */
export function passes(rule: AlertRule, post: Post): boolean {
  switch (rule.when) {
    case 'every':
    case 'burst':
      return true;
    case 'accounts': {
      const handle = post.author.handle.replace(/^@/, '').toLowerCase();
      const short = handle.split('@')[0];
      return rule.accounts.some((a) => {
        const want = a.replace(/^@/, '').toLowerCase();
        return want === handle || (!want.includes('@') && want === short);
      });
    }
    case 'engagement':
      return engagementOf(post.metrics) >= rule.minEngagement;
  }
}

/** The words a notification shows of a post: never the text behind a content warning or a fold. */
export function bodyOf(post: Post, words: Words): string {
  const who = post.author.displayName || post.author.handle;
  if (post.contentWarning) return fill(words.contentWarning, { who, warning: post.contentWarning });
  if (post.moderation?.some((m) => m.scope === 'post')) return fill(words.folded, { who });
  const text = post.text.replace(/\s+/g, ' ').trim();
  const cut = text.length > BODY_MAX ? `${text.slice(0, BODY_MAX - 1)}…` : text;
  return `${who}: ${cut || words.noText}`;
}

export class AlertService {
  private readonly seen = new Map<string, Set<string>>();
  private readonly bursts = new Map<string, { times: number[]; lastFiredAt: number }>();
  private unseen = 0;

  constructor(private readonly deps: AlertsDeps) {}

  /** New entries reached a column. */
  arrived(column: Column, entries: readonly TimelineEntry[]): void {
    const rule = column.alerts;
    if (!rule?.enabled) return;
    // What the column hides (its filters, the global mutes, a monitor's exclusions) never alerts;
    // every post met is remembered, for an engagement rule once its counts pass a minimum.
    const filters = columnFilters(column, this.deps.muted?.() ?? []);
    const fresh = this.fresh(column.id, entries).filter((post) => filters.keep({ post }));
    if (!fresh.length) return;
    if (rule.when === 'burst') return this.burst(column, rule, fresh);
    const hits = fresh.filter((p) => passes(rule, p));
    // A post that arrives already past an engagement threshold has alerted: its next counts must not again.
    for (const p of hits) this.remember(column.id, rule.when === 'engagement' ? `fired:${p.id}` : p.id);
    this.fire(column, rule, hits);
  }

  /** Fresh counts: posts now above an engagement threshold alert (once). */
  counted(
    columns: readonly Column[],
    metrics: ReadonlyMap<string, Metrics>,
    postOf: (id: string) => Post | undefined,
  ): void {
    for (const column of columns) {
      const rule = column.alerts;
      if (!rule?.enabled || rule.when !== 'engagement') continue;
      const seen = this.seen.get(column.id);
      const filters = columnFilters(column, this.deps.muted?.() ?? []);
      const hits: Post[] = [];
      for (const [id, m] of metrics) {
        if (seen?.has(`fired:${id}`) || engagementOf(m) < rule.minEngagement) continue;
        const post = postOf(id);
        // Shown in the column now, counts included (a minimum of likes may have hidden it so far).
        if (post && seen?.has(id) && filters.keep({ post: { ...post, metrics: m } }))
          hits.push({ ...post, metrics: m });
      }
      for (const p of hits) this.remember(column.id, `fired:${p.id}`);
      this.fire(column, rule, hits);
    }
  }

  /** The CM saw the alerts: the badge clears. */
  markSeen(): void {
    this.unseen = 0;
    this.deps.notifier.badge(0);
  }

  private fresh(columnId: string, entries: readonly TimelineEntry[]): Post[] {
    const seen = this.seen.get(columnId) ?? new Set<string>();
    this.seen.set(columnId, seen);
    const posts: Post[] = [];
    for (const e of entries) {
      if (!e.post || e.gap || e.notification) continue;
      if (seen.has(e.post.id) || posts.some((p) => p.id === e.post!.id)) continue;
      posts.push(e.post);
    }
    // Remembered as met (engagement rules fire later, once, when their counts pass the threshold).
    for (const p of posts) this.remember(columnId, p.id);
    return posts;
  }

  private remember(columnId: string, key: string): void {
    const seen = this.seen.get(columnId) ?? new Set<string>();
    seen.add(key);
    while (seen.size > REMEMBER) seen.delete(seen.values().next().value!);
    this.seen.set(columnId, seen);
  }

  private burst(column: Column, rule: AlertRule, posts: Post[]): void {
    const now = this.deps.clock.now();
    const window = rule.burstMinutes * 60_000;
    const b = this.bursts.get(column.id) ?? { times: [], lastFiredAt: 0 };
    b.times = [...b.times.filter((t) => t > now - window), ...posts.map(() => now)];
    this.bursts.set(column.id, b);
    if (b.times.length < rule.burstPosts || now - b.lastFiredAt < window) return;
    b.lastFiredAt = now;
    const words = WORDS[this.deps.language()];
    this.notify(column, rule, {
      title: fill(words.burst, {
        column: this.deps.titleOf(column),
        count: b.times.length,
        minutes: rule.burstMinutes,
      }),
      body: bodyOf(posts[posts.length - 1]!, words),
      postId: posts[0]!.id,
    });
  }

  private fire(column: Column, rule: AlertRule, posts: Post[]): void {
    if (!posts.length) return;
    const words = WORDS[this.deps.language()];
    const title = this.deps.titleOf(column);
    if (posts.length > SUMMARY_OVER) {
      this.notify(column, rule, {
        title: fill(words.many, { column: title, count: posts.length }),
        body: bodyOf(posts[0]!, words),
        postId: posts[0]!.id,
        count: posts.length,
      });
      return;
    }
    for (const p of posts)
      this.notify(column, rule, { title: fill(words.one, { column: title }), body: bodyOf(p, words), postId: p.id });
  }

  private notify(
    column: Column,
    rule: AlertRule,
    n: { title: string; body: string; postId: string | null; count?: number },
  ): void {
    this.unseen += n.count ?? 1;
    this.deps.notifier.badge(this.unseen);
    const at = new Date(this.deps.clock.now()).toISOString();
    this.deps.fired({ columnId: column.id, postId: n.postId, title: n.title, body: n.body, at, unseen: this.unseen });
    if (inQuietHours(rule, this.deps.localMinutes())) return;
    this.deps.notifier.notify({
      title: n.title,
      body: n.body,
      sound: rule.sound,
      onClick: () => this.deps.open(column.id, n.postId),
    });
  }
}
