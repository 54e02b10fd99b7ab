// Realistic timeline entries in bulk for the benchmarks, made by the Sandbox world itself
// (src/main/networks/sandbox/world.ts, loaded through tsx): authors with names and avatars, text
// with hashtags, links and mentions, about one post in five with images, reposts, quotes, polls,
// content warnings, custom emoji, right-to-left text. Each is a TimelineEntry (src/shared/model.ts).
//
// One change from the Sandbox: its avatars are inline SVG data URIs (5.6 KB each, repeated in
// every post), which a real network never stores per post. Here each avatar becomes a short
// address on `avatarOrigin` (as X, Bluesky and Mastodon give a CDN address), and the benchmark
// serves those paths from `avatars` (bench/lib/static-server.mjs).
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { register } from 'tsx/esm/api';
import { ROOT } from './support.mjs';

/**
 * Loads the Sandbox world's code (seed `seed`, its history ending at `nowMs`).
 *
 * @returns `columnEntries(column, count)`: `count` entries for column number `column` (0-based),
 *   newest first, from slots of the world no other column number uses, so every column holds its
 *   own posts (a repost may show a post another column holds: stored once, as in the app); and
 *   `avatars`: a Map from each avatar's path on `avatarOrigin` (`/avatars/<handle>`) to its SVG
 *   text, filled as entries are made.
 */
export async function sandboxEntries({ avatarOrigin, seed = 42, nowMs = Date.now() }) {
  const tsx = register({ namespace: 'bench-sandbox-posts' });
  let SandboxWorld;
  try {
    const url = pathToFileURL(path.join(ROOT, 'src/main/networks/sandbox/world.ts')).href;
    ({ SandboxWorld } = await tsx.import(url, import.meta.url));
  } finally {
    await tsx.unregister();
  }
  const avatars = new Map();
  const rewrite = (profile) => {
    if (!profile?.avatarUrl?.startsWith('data:')) return profile;
    const where = `/avatars/${encodeURIComponent(profile.handle)}`;
    if (!avatars.has(where)) {
      const comma = profile.avatarUrl.indexOf(',');
      avatars.set(where, decodeURIComponent(profile.avatarUrl.slice(comma + 1)));
    }
    return { ...profile, avatarUrl: `${avatarOrigin}${where}` };
  };
  const rewritePost = (post) =>
    post && {
      ...post,
      author: rewrite(post.author),
      ...(post.quote ? { quote: { ...post.quote, author: rewrite(post.quote.author) } } : {}),
    };

  return {
    avatars,
    columnEntries(column, count) {
      // A world per column: its draft cache (one per slot met) is dropped with it.
      const world = new SandboxWorld({ seed, anchorMs: nowMs });
      const newest = -1 - column * count;
      const out = new Array(count);
      for (let i = 0; i < count; i++) {
        const entry = world.entry(newest - i, nowMs);
        out[i] = {
          ...entry,
          post: rewritePost(entry.post),
          ...(entry.repostedBy ? { repostedBy: rewrite(entry.repostedBy) } : {}),
        };
      }
      return out;
    },
  };
}
