import { describe, expect, it } from 'vitest';
import { toPosts } from '../../../../src/main/networks/x/normalize';

describe('X normalization', () => {
  it('decodes the &, < and > X escapes, keeping entity offsets on the text a person reads', () => {
    // As X sends it: escaped text, offsets counted in code points of the unescaped text.
    const [post] = toPosts(
      [
        {
          id: '1',
          text: 'Fish &amp; chips &lt;3 🐟 #food @ada',
          author_id: '7',
          created_at: '2026-11-25T08:00:00.000Z',
          entities: {
            hashtags: [{ start: 18, end: 23, tag: 'food' }],
            mentions: [{ start: 24, end: 28, username: 'ada' }],
          },
        },
      ],
      { users: [{ id: '7', name: 'Ada', username: 'ada' }] },
      0,
    );
    expect(post!.text).toBe('Fish & chips <3 🐟 #food @ada');
    const slice = (e: { start: number; end: number }) => post!.text.slice(e.start, e.end);
    expect(post!.entities.map(slice)).toEqual(['#food', '@ada']);
  });
});
