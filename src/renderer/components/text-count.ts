// A post's length as its network counts it: X weights characters (twitter-text: most scripts
// count 1, CJK and emoji 2, every link 23), Bluesky counts graphemes, Mastodon characters with
// every link counted as 23.
import twitterText from 'twitter-text';
import type { Account } from '../../shared/model';

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const URL_PATTERN = /https?:\/\/\S+/g;

export function countText(text: string, rules: Account['textRules']): number {
  switch (rules.counting) {
    case 'weighted':
      return twitterText.parseTweet(text).weightedLength;
    case 'graphemes':
      return [...graphemes.segment(text)].length;
    case 'characters':
      return [...text.replace(URL_PATTERN, 'x'.repeat(23))].length;
  }
}
