// An archive store double for the import tests: keeps posts by id and observations by post,
// instant and source, and answers what was new as the real store (archive-store.ts) does.
import type { FollowerCount, MetricSnapshot, OwnPost } from '../../../../../src/shared/analytics';
import type { ArchiveBatch, ArchiveSink, IngestResult } from '../../../../../src/renderer/analytics/import/types';

export class MemorySink implements ArchiveSink {
  readonly posts = new Map<string, OwnPost>();
  readonly snapshots = new Map<string, MetricSnapshot>();
  readonly followers: FollowerCount[] = [];
  readonly batches: ArchiveBatch[] = [];
  /** Called before each batch is stored (a test can make it fail or wait). */
  before: ((batch: ArchiveBatch) => Promise<void> | void) | null = null;

  async ingest(batch: ArchiveBatch): Promise<IngestResult> {
    await this.before?.(batch);
    this.batches.push(batch);
    let newPosts = 0;
    let duplicatePosts = 0;
    for (const post of batch.posts) {
      if (this.posts.has(post.id)) duplicatePosts += 1;
      else newPosts += 1;
      this.posts.set(post.id, post);
    }
    for (const s of batch.snapshots) this.snapshots.set(`${s.postId}|${s.at}|${s.source}`, s);
    this.followers.push(...batch.followers);
    return { newPosts, duplicatePosts };
  }
}
