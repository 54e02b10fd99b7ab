import { describe, expect, it } from 'vitest';
import { parseStatus, toPost } from '../../../../src/main/networks/mastodon/normalize';

const account = (id: string, username: string) => ({
  id,
  username,
  acct: username,
  displayName: username,
  avatar: null,
  url: null,
});

describe('Mastodon statuses as posts', () => {
  it('folds a post behind its content warning, and shows a boost as the original with who boosted it', () => {
    const original = {
      id: '10',
      createdAt: '2026-11-25T08:00:00.000Z',
      content: '<p>Spoilers for the finale</p>',
      account: account('1', 'ada'),
      spoilerText: 'TV spoilers',
      favouritesCount: 3,
    };
    const boost = {
      ...original,
      id: '11',
      content: '',
      spoilerText: '',
      account: account('2', 'bea'),
      reblog: original,
    };
    const post = toPost(parseStatus(boost, 'social.example'), 'social.example');
    expect(post).toMatchObject({
      id: 'mastodon:social.example/10',
      text: 'Spoilers for the finale',
      contentWarning: 'TV spoilers',
      author: { handle: 'ada@social.example' },
      repostedBy: { handle: 'bea@social.example', id: 'mastodon:social.example/2' },
      metrics: { likes: 3 },
    });
    const plain = toPost(parseStatus({ ...original, spoilerText: '' }, 'social.example'), 'social.example');
    expect(plain.contentWarning).toBeUndefined();
    expect(plain.repostedBy).toBeUndefined();
  });
});
