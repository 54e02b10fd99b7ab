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

  it('shows a link as Mastodon does: scheme and "www." hidden, short links whole, the href as the value', () => {
    const short =
      '<p><a href="https://www.example.org/a" rel="nofollow noopener" target="_blank"><span class="invisible">https://www.</span><span class="">example.org/a</span><span class="invisible"></span></a>.</p>';
    expect(spans(short)).toEqual({
      text: 'example.org/a.',
      spans: [['link', 'example.org/a', 'https://www.example.org/a']],
    });
  });

  it('keeps a link from a server without Mastodon’s spans as it is written', () => {
    const html = '<p>Read <a href="https://pleroma.example/notice/1">https://pleroma.example/notice/1</a></p>';
    expect(spans(html).spans).toEqual([
      ['link', 'https://pleroma.example/notice/1', 'https://pleroma.example/notice/1'],
    ]);
  });

  it('hides the "RE:" quote fallback only when the quote itself is shown', () => {
    const html =
      '<p class="quote-inline">RE: <a href="https://social.example/@cyd/5"><span class="invisible">https://</span><span class="">social.example/@cyd/5</span><span class="invisible"></span></a></p><p>So true</p>';
    expect(htmlToPlainText(html, { ...none, hideQuoteFallback: true })).toEqual({ text: 'So true', entities: [] });
    expect(htmlToPlainText(html, none).text).toBe('RE: social.example/@cyd/5\n\nSo true');
    const akkoma =
      '<p>So true<span class="quote-inline"><br/><br/>RE: <a href="https://akkoma.example/objects/1">https://akkoma.example/objects/1</a></span></p>';
    expect(htmlToPlainText(akkoma, { ...none, hideQuoteFallback: true }).text).toBe('So true');
  });

  it('keeps custom emoji as :shortcode: for the renderer to replace', () => {
    expect(htmlToPlainText('<p>Launch :blobcat: day</p>', none).text).toBe('Launch :blobcat: day');
  });
});
