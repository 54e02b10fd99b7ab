// Status HTML as Mastodon and other servers send it → text and entity spans.
import { describe, expect, it } from 'vitest';
import { htmlToPlainText } from '../../../../src/main/networks/mastodon';

const none = { tags: [], mentions: [] };
const spans = (html: string, refs: Parameters<typeof htmlToPlainText>[1] = none) => {
  const { text, entities } = htmlToPlainText(html, refs);
  return { text, spans: entities.map((e) => [e.kind, text.slice(e.start, e.end), e.value]) };
};

describe('Mastodon HTML to text', () => {
  it('turns paragraphs into blank lines and <br> into newlines, decoding entities', () => {
    expect(spans('<p>Fish &amp; chips &lt;3</p><p>line one<br />line two<br>three</p>').text).toBe(
      'Fish & chips <3\n\nline one\nline two\nthree',
    );
  });

  it('keeps links as shown, with the full URL as the entity value', () => {
    const html =
      '<p>See <a href="https://example.com/a/very/long/path/that/goes/on" rel="nofollow noopener" target="_blank"><span class="invisible">https://</span><span class="ellipsis">example.com/a/very/long/path/t</span><span class="invisible">hat/goes/on</span></a> now</p>';
    expect(spans(html)).toEqual({
      text: 'See example.com/a/very/long/path/t… now',
      spans: [['link', 'example.com/a/very/long/path/t…', 'https://example.com/a/very/long/path/that/goes/on']],
    });
  });

  it('names mentioned accounts by their acct, even when the text shows only @user', () => {
    const html =
      '<p><span class="h-card"><a href="https://other.example/@ines" class="u-url mention">@<span>ines</span></a></span> and <span class="h-card"><a href="https://home.example/@bob" class="u-url mention">@<span>bob</span></a></span></p>';
    const refs = {
      tags: [],
      mentions: [
        { acct: 'ines@other.example', url: 'https://other.example/@ines', username: 'ines' },
        { acct: 'bob', url: 'https://home.example/@bob', username: 'bob' },
      ],
    };
    expect(spans(html, refs).spans).toEqual([
      ['mention', '@ines', 'ines@other.example'],
      ['mention', '@bob', 'bob'],
    ]);
  });

  it('marks hashtags with the tag name Mastodon gives, whatever the case shown', () => {
    const html =
      '<p>Go <a href="https://home.example/tags/coffee" class="mention hashtag" rel="tag">#<span>Coffee</span></a></p>';
    expect(
      spans(html, { tags: [{ name: 'coffee', url: 'https://home.example/tags/coffee' }], mentions: [] }).spans,
    ).toEqual([['hashtag', '#Coffee', 'coffee']]);
  });

  it('counts offsets in UTF-16 units, as the renderer slices strings', () => {
    const html =
      '<p>🎉 café <a href="https://h.example/tags/fête" class="mention hashtag" rel="tag">#<span>fête</span></a></p>';
    const { text, entities } = htmlToPlainText(html, none);
    expect(text).toBe('🎉 café #fête');
    expect(entities).toEqual([{ kind: 'hashtag', start: 8, end: 13, value: 'fête' }]);
  });

  it('survives markup from other servers: lists, quotes, scripts and unclosed tags', () => {
    const html =
      '<blockquote><p>quoted</p></blockquote><ul><li>one</li><li>two</li></ul><script>alert(1)</script><p><b>bold <i>and open';
    expect(htmlToPlainText(html, none).text).toBe('quoted\n\none\ntwo\n\nbold and open');
  });
});
