// A post with a large video, as the Outbox sees it going out: the target carries how many bytes
// of its media went (Target.upload), the renderer is told as the share moves by whole percents
// (not at every slice of the upload), then while the network processes the video; once the send
// is over (sent or failed) the progress is gone, and it is never written to the journal.
import { describe, expect, it } from 'vitest';
import type { NetworkAdapter, PublishRequest } from '../../../src/shared/adapter';
import { ColonnadeError } from '../../../src/shared/errors';
import type { Post } from '../../../src/shared/model';
import type { PublishJob } from '../../../src/shared/outbox';
import { Outbox } from '../../../src/main/core/outbox/outbox';
import { FakeClock, MemoryJournals, MemoryLogger } from '../../doubles/ports';

const MB = 1024 * 1024;
const VIDEO = {
  id: 'a'.repeat(64),
  mimeType: 'video/mp4',
  bytes: 200 * MB,
  alt: 'Our launch, in 40 seconds',
  durationSec: 40,
  frameRate: 30,
};

/** An adapter whose publish reports what `steps` says, then waits for `finish` to be called. */
function uploadingAdapter() {
  const seen: PublishRequest[] = [];
  let finish: (outcome: 'sent' | 'refused') => void = () => undefined;
  let reached: () => void = () => undefined;
  const midway = new Promise<void>((resolve) => (reached = resolve));
  const adapter = {
    network: 'bluesky',
    textRules: () => ({ counting: 'graphemes', maxLength: 300, maxImages: 4, maxAltLength: 2000 }),
    async publish(request: PublishRequest): Promise<Post> {
      seen.push(request);
      const total = 200 * MB;
      // 64 KiB slices, as the adapters' bodies are read: 3,200 reports for 200 MB.
      for (let sent = 64 * 1024; sent <= total / 2; sent += 64 * 1024) request.onProgress?.({ sent, total });
      reached();
      const outcome = await new Promise<'sent' | 'refused'>((resolve) => (finish = resolve));
      if (outcome === 'refused') {
        throw new ColonnadeError('invalid', 'Bluesky could not process this video.', {
          reason: 'media-processing-failed',
          params: { network: 'Bluesky' },
        });
      }
      request.onProgress?.({ sent: total, total });
      request.onProgress?.({ sent: total, total, processing: true });
      return { id: 'bluesky:1', url: 'https://bsky.app/profile/brand/post/1' } as Post;
    },
  } as unknown as NetworkAdapter;
  return { adapter, seen, midway, finish: (o: 'sent' | 'refused') => finish(o) };
}

function rig() {
  const clock = new FakeClock(Date.UTC(2027, 2, 1, 8, 0));
  const journals = new MemoryJournals();
  const net = uploadingAdapter();
  const changes: PublishJob[] = [];
  const asked: string[] = [];
  const outbox = new Outbox({
    clock,
    log: new MemoryLogger(),
    journal: journals.open('outbox'),
    adapterFor: () => net.adapter,
    account: () => ({ network: 'bluesky', health: 'connected' }),
    mediaBytes: async (id) => {
      asked.push(id);
      return new Uint8Array(8);
    },
    catchUp: () => ({ postLateUpToMinutes: 60 }),
    schedule: () => null,
    changed: (job) => changes.push(structuredClone(job)),
  });
  outbox.start();
  return { clock, journals, net, changes, outbox, asked };
}

async function submitVideo(r: ReturnType<typeof rig>) {
  const job = await r.outbox.submit({
    id: 'job-video-1',
    content: { parts: [{ text: 'Launch day', media: [VIDEO] }] },
    profileIds: ['bluesky:brand'],
    when: { kind: 'now' },
  });
  await r.clock.advance(0);
  await r.net.midway;
  return job;
}

describe('a post’s upload progress in the outbox', () => {
  it('carries the bytes sent while the video goes, by whole percents, then processing, then nothing', async () => {
    const r = rig();
    const job = await submitVideo(r);
    // The adapter got the video's facts as the composer read them.
    expect(r.net.seen[0]?.media?.[0]).toMatchObject({ mimeType: 'video/mp4', durationSec: 40, frameRate: 30 });
    const target = () => r.outbox.get(job.id)!.targets[0]!;
    expect(target().state).toBe('sending');
    expect(target().upload).toEqual({ sent: 100 * MB, total: 200 * MB });
    const shares = r.changes
      .map((j) => j.targets[0]!.upload)
      .filter((u) => u !== undefined)
      .map((u) => Math.floor((u.sent / u.total) * 100));
    // 1,600 slices reported, 51 changes told (0 % … 50 %), each share once.
    expect(shares).toEqual([...new Set(shares)]);
    expect(shares.at(0)).toBe(0);
    expect(shares.at(-1)).toBe(50);

    r.net.finish('sent');
    await r.clock.advance(0);
    expect(r.changes.some((j) => j.targets[0]!.upload?.processing)).toBe(true);
    expect(target().state).toBe('sent');
    expect(target().upload).toBeUndefined();
    expect([...r.journals.journals.values()].join('')).not.toContain('"upload"');
  });

  it('drops the progress when the network refuses the video, and says why', async () => {
    const r = rig();
    const job = await submitVideo(r);
    r.net.finish('refused');
    await r.clock.advance(0);
    const target = r.outbox.get(job.id)!.targets[0]!;
    expect(target.state).toBe('failed');
    expect(target.upload).toBeUndefined();
    expect(target.error).toMatchObject({ reason: 'media-processing-failed', params: { network: 'Bluesky' } });
  });
});
