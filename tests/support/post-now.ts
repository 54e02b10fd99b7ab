// Posting now through the whole core as the renderer does it: a job for the outbox
// (`outbox.submit`, when now), then, once the outbox sent it, the post read back from its network.
// For tests that run the core (createCore) against the Sandbox, emulators or real servers.
import type { Core } from '../../src/main/core/app-core';
import type { Result } from '../../src/shared/errors';
import type { Post, ThreadView } from '../../src/shared/model';
import { jobFinished, type PublishJob } from '../../src/shared/outbox';

let made = 0;

/**
 * Submits `text` (one part, no media) to go out now as `profileId`, under the job id `id` (a new
 * one by default; the same id again answers the job made the first time, as the outbox does).
 * A refusal is answered as main gave it (nothing was made). Otherwise the answer waits until the
 * job is finished (every target sent or failed) and is that job. The outbox's timer runs on the
 * core's clock: pass the ports' FakeClock as `clock` (advanced by 0 to fire it); none for a real one.
 */
export async function postNow(
  core: Core,
  request: { profileId: string; text: string; id?: string },
  clock?: { advance(ms: number): Promise<void> },
): Promise<Result<PublishJob>> {
  const id = request.id ?? `post-now-${++made}`;
  let finished: (job: PublishJob) => void = () => {};
  const done = new Promise<PublishJob>((resolve) => (finished = resolve));
  const unsubscribe = core.subscribe((channel, payload) => {
    const job = payload as PublishJob;
    if (channel === 'outbox.changed' && job.id === id && jobFinished(job)) finished(structuredClone(job));
  });
  try {
    const submitted = await core.dispatch('outbox.submit', {
      id,
      content: { parts: [{ text: request.text, media: [] }] },
      profileIds: [request.profileId],
      when: { kind: 'now' },
    });
    if (!submitted.ok) return submitted;
    const job = submitted.value as PublishJob;
    if (jobFinished(job)) return { ok: true, value: job };
    await clock?.advance(0);
    return { ok: true, value: await done };
  } finally {
    unsubscribe();
  }
}

/**
 * The post a job made on its first target's network (its first part), read back with
 * `post.thread`. Throws, saying why, when the job was refused or that target was not sent.
 */
export async function sentPost(core: Core, result: Result<PublishJob>): Promise<Post> {
  if (!result.ok) throw new Error(`The post was refused: ${result.error.code} ${result.error.message}`);
  const target = result.value.targets[0]!;
  const postId = target.parts[0]?.postId;
  if (target.state !== 'sent' || !postId)
    throw new Error(`The post was not sent: ${target.state} ${target.error?.message ?? ''}`);
  const thread = await core.dispatch('post.thread', { profileId: target.profileId, postId });
  if (!thread.ok) throw new Error(`post.thread failed: ${thread.error.code} ${thread.error.message}`);
  return (thread.value as ThreadView).post;
}
