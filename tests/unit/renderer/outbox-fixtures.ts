// Publish jobs as main lists them, for the Outbox view's tests: a week of March 2027 seen from
// Paris (UTC+2 since the 28th) with an audience in New York (UTC−4 since the 14th).
import type { Account } from '../../../src/shared/model';
import type { AppError } from '../../../src/shared/errors';
import type { PublishJob, Target } from '../../../src/shared/outbox';
import { dueAt } from '../../../src/shared/schedule/zoned-time';
import { accountOn } from './test-app';

/** Monday 29 March 2027, 08:00 in Paris. */
export const NOW = Date.parse('2027-03-29T06:00:00.000Z');
export const PARIS = 'Europe/Paris';
export const NEW_YORK = 'America/New_York';

export const accounts: Account[] = [
  accountOn('x', 'brand'),
  accountOn('bluesky', 'brand.bsky.social'),
  accountOn('mastodon', 'brand', { server: 'https://mastodon.social' }),
];
export const [X, BLUESKY, MASTODON] = accounts.map((a) => a.profile.id) as [string, string, string];

let keyNumber = 0;
const key = () => `key-${String(++keyNumber).padStart(8, '0')}`;

/** A target on `profileId`'s network in `state`, with `parts` parts (none sent), and `extra`. */
export function target(profileId: string, state: Target['state'], extra: Partial<Target> = {}, parts = 1): Target {
  const network = profileId.split(':')[0] as Target['network'];
  return {
    profileId,
    network,
    due: null,
    state,
    parts: Array.from({ length: parts }, () => ({ key: key() })),
    attempt: null,
    attempts: 0,
    updatedAt: '2027-03-28T10:00:00.000Z',
    ...extra,
  };
}

/** A job `id` with `text`, due at `local` in `zone` (null: now), for `targets` (their due set to it). */
export function job(
  id: string,
  text: string,
  targets: Target[],
  local: string | null = null,
  zone = NEW_YORK,
): PublishJob {
  const due = local ? dueAt(local, zone) : null;
  return {
    id,
    createdAt: '2027-03-28T09:00:00.000Z',
    content: { parts: [{ text, media: [] }] },
    when: local ? { kind: 'at', local, zone } : { kind: 'now' },
    targets: targets.map((t) => ({ ...t, due: t.due ?? due })),
  };
}

export const refusedPart: AppError = {
  code: 'invalid',
  message: 'Duplicate post',
  reason: 'duplicate-post',
  params: { part: '2', parts: '3' },
};

/** One job per state a target can be in, each on its own. */
export function everyState(): PublishJob[] {
  return [
    job('job-scheduled-x', 'Launch day', [target(X, 'scheduled')], '2027-03-29T03:00'),
    job(
      'job-on-server',
      'Launch on Mastodon',
      [target(MASTODON, 'on-server', { serverId: '123' })],
      '2027-03-29T03:00',
    ),
    job('job-offline', 'Offline one', [target(X, 'waiting', { waitingFor: 'offline' })], '2027-03-29T01:00'),
    job(
      'job-reconnect',
      'Reconnect one',
      [target(BLUESKY, 'waiting', { waitingFor: 'needs-reconnect' })],
      '2027-03-29T01:00',
    ),
    job(
      'job-rate',
      'Rate limited one',
      [
        target(X, 'waiting', {
          waitingFor: 'rate-limited',
          error: { code: 'rate-limited', message: 'Too many', resetAt: '2027-03-29T12:05:00.000Z' },
        }),
      ],
      '2027-03-29T01:00',
    ),
    job('job-held', 'Missed one', [target(X, 'held', { waitingFor: 'missed-while-closed' })], '2027-03-28T20:00'),
    job('job-sent', 'Sent one', [
      target(MASTODON, 'sent', {
        parts: [
          {
            key: key(),
            postId: 'mastodon:9',
            url: 'https://mastodon.social/@brand/9',
            sentAt: '2027-03-28T07:00:00.000Z',
          },
        ],
      }),
    ]),
    job('job-thread', 'A thread that broke', [
      target(BLUESKY, 'failed', {
        error: refusedPart,
        parts: [
          {
            key: key(),
            postId: 'bluesky:1',
            url: 'https://bsky.app/profile/brand.bsky.social/post/1',
            sentAt: '2027-03-28T07:00:00.000Z',
          },
          { key: key() },
          { key: key() },
        ],
      }),
    ]),
    job('job-cancelled', 'Cancelled one', [target(X, 'cancelled')]),
  ];
}
