// X polls read into `post.poll` (read-only): `expansions=attachments.poll_ids` with
// `poll.fields=duration_minutes,end_datetime,voting_status,options` brings `includes.polls`
// (spec `Poll`, `PollOptions`: position, label, votes). X gives votes per option and no number of
// voters; its polls take one choice each.
import { describe, expect, it } from 'vitest';
import { indexIncludes, pollOf, toEntries, XTweetSchema } from '../../../../src/main/networks/x/normalize';
import { PostSchema } from '../../../../src/shared/model';
import type { XEmulator } from '../../../emulators/x';
import { rig, type Rig, useEmulator } from './harness';

const ADA = '1500000000000000010'; // followed by the signed-in user
const MINUTE = 60_000;

describe('X polls from the emulator', () => {
  let emu: XEmulator;
  let r: Rig;
  useEmulator({ homePosts: 10 }, (e) => {
    emu = e;
    r = rig(e);
  });

  const home = async () => (await r.adapter.readTimeline({ kind: 'home', direction: 'older', limit: 20 })).items;

  it('an open poll: options in order with their votes, no voter count, one choice, its end', async () => {
    const created = Date.now() - 10 * MINUTE;
    const t = emu.control.addTweet({
      authorId: ADA,
      text: 'Which flavour next week?',
      createdAt: created,
      poll: { options: ['Pistachio', 'Lemon', 'Black sesame'], durationMinutes: 1440, votes: [12, 30, 7] },
    });
    const post = (await home()).find((e) => e.key === `x:${t.id}`)?.post;
    expect(post).toBeDefined();
    PostSchema.parse(post);
    expect(post?.poll).toEqual({
      options: [
        { title: 'Pistachio', votes: 12 },
        { title: 'Lemon', votes: 30 },
        { title: 'Black sesame', votes: 7 },
      ],
      voters: null,
      multiple: false,
      endsAt: new Date(created + 1440 * MINUTE).toISOString(),
      closed: false,
    });
  });

  it('a poll whose time is over reads as closed, with its final votes', async () => {
    const t = emu.control.addTweet({
      authorId: ADA,
      text: 'Best day for the market?',
      createdAt: Date.now() - 2 * 24 * 60 * MINUTE,
      poll: { options: ['Saturday', 'Sunday'], durationMinutes: 60, votes: [40, 2] },
    });
    const post = (await home()).find((e) => e.key === `x:${t.id}`)?.post;
    expect(post?.poll).toMatchObject({ closed: true, options: [{ votes: 40 }, { votes: 2 }] });
  });

  it('a retweeted poll shows on the original, in the retweet’s entry', async () => {
    const orig = emu.control.addTweet({
      authorId: '1500000000000000016',
      text: 'Gallery hours: vote!',
      createdAt: Date.now() - 30 * MINUTE,
      poll: { options: ['Late', 'Early'], durationMinutes: 720 },
    });
    const rt = emu.control.retweet(ADA, orig.id);
    const entry = (await home()).find((e) => e.key === `x:${rt.id}`);
    expect(entry?.post?.id).toBe(`x:${orig.id}`);
    expect(entry?.post?.poll?.options.map((o) => o.title)).toEqual(['Late', 'Early']);
  });

  it('a post without a poll has none', async () => {
    const t = emu.control.addTweet({ authorId: ADA, text: 'No poll here' });
    const post = (await home()).find((e) => e.key === `x:${t.id}`)?.post;
    expect(post).toBeDefined();
    expect(post?.poll).toBeUndefined();
  });
});

describe('X polls as X may send them', () => {
  const tweet = (extra: Record<string, unknown> = {}) => ({
    id: '1860000000000100000',
    text: 'Vote!',
    author_id: '1',
    created_at: '2030-01-01T10:00:00.000Z',
    attachments: { poll_ids: ['99'] },
    ...extra,
  });
  const users = [{ id: '1', username: 'ada_makes', name: 'Ada' }];

  it('options out of order are put in their positions; without voting_status, closed by its end', () => {
    const inc = indexIncludes({
      users,
      polls: [
        {
          id: '99',
          duration_minutes: 30,
          options: [
            { position: 2, label: 'B', votes: 1 },
            { position: 1, label: 'A', votes: 5 },
          ],
        },
      ],
    });
    const t = XTweetSchema.parse(tweet());
    const before = pollOf(t, inc, Date.parse('2030-01-01T10:10:00Z'));
    expect(before).toMatchObject({
      options: [
        { title: 'A', votes: 5 },
        { title: 'B', votes: 1 },
      ],
      endsAt: '2030-01-01T10:30:00.000Z',
      closed: false,
    });
    expect(pollOf(t, inc, Date.parse('2030-01-01T11:00:00Z'))?.closed).toBe(true);
  });

  it('a poll X did not include, or cannot be read, leaves the post shown without it', () => {
    const noPoll = indexIncludes({ users });
    const read1 = toEntries([tweet()], noPoll, { me: '0' });
    expect(read1.skipped).toEqual([]);
    expect(read1.entries[0]?.post?.poll).toBeUndefined();
    const broken = indexIncludes({ users, polls: [{ id: '99', options: 'yes or no' }] });
    const read2 = toEntries([tweet({ attachments: { poll_ids: 'not a list' } })], broken, { me: '0' });
    expect(read2.skipped).toEqual([]);
    expect(read2.entries[0]?.post?.text).toBe('Vote!');
    expect(read2.entries[0]?.post?.poll).toBeUndefined();
  });
});
