import { entryOf, type Post, type Profile, type TimelineEntry } from '../../../src/shared/model';

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

/** A plain entry: post n met at the time it was posted. */
export function sampleEntry(n: number, createdAt: string): TimelineEntry {
  return entryOf(samplePost(n, createdAt));
}

export function sampleProfile(handle: string, displayName = handle): Profile {
  return { id: `sandbox:${handle}`, network: 'sandbox', handle, displayName, avatarUrl: null, url: null };
}
