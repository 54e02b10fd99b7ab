import type { Post } from '../../../src/shared/model';

export function samplePost(n: number, createdAt: string): Post {
  return {
    id: `sandbox:test-${n}`,
    network: 'sandbox',
    nativeId: `test-${n}`,
    author: { id: 'sandbox:ada', network: 'sandbox', handle: 'ada', displayName: 'Ada', avatarUrl: null, url: null },
    text: `Post ${n} #IFPower`,
    entities: [{ kind: 'hashtag', start: 7 + String(n).length, end: 15 + String(n).length, value: 'IFPower' }],
    media: [],
    createdAt,
    url: null,
    metrics: { likes: n, reposts: 0, replies: 0, quotes: 0, impressions: null },
  };
}
