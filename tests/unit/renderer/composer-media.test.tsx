// @vitest-environment jsdom
// The composer's media as a community manager meets them: what each selected network would refuse,
// in English and in French, adding a file (resized when needed, staged with progress), alt text
// counted against the strictest network, moving and removing with the keyboard's buttons.
import { act, useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ComposerMedia } from '../../../src/renderer/components/ComposerMedia';
import type { AppServices } from '../../../src/renderer/components/context';
import type { FitOutcome } from '../../../src/renderer/media/resize';
import type { StageMedia } from '../../../src/renderer/media/stage';
import type { GifVideo, VideoFacts } from '../../../src/renderer/media/video';
import { MEDIA_STAGE_MAX_BYTES } from '../../../src/shared/media-staging';
import {
  BLUESKY_MEDIA_RULES,
  mastodonMediaRules,
  X_MEDIA_RULES,
  type MediaRules,
} from '../../../src/shared/media-rules';
import type { Account, NetworkId } from '../../../src/shared/model';
import type { MediaRef } from '../../../src/shared/outbox';
import type { Language } from '../../../src/shared/settings';
import { byRole, click, render, settle, textOf, type, type Rendered } from './dom';

function account(network: NetworkId, mediaRules: MediaRules, server: string | null = null): Account {
  return {
    id: `${network}-1`,
    network,
    profile: {
      id: `${network}:1`,
      network,
      handle: 'brand',
      displayName: 'Brand',
      avatarUrl: null,
    } as Account['profile'],
    health: { state: 'connected' },
    practice: false,
    columnKinds: [],
    server,
    textRules: { counting: 'characters', maxLength: 500, maxImages: 4, maxAltLength: 1000 },
    mediaRules,
  };
}

const bluesky = account('bluesky', BLUESKY_MEDIA_RULES);
const x = account('x', X_MEDIA_RULES);
const mastodon = account('mastodon', mastodonMediaRules(), 'https://mastodon.example');

const ref = (name: string, bytes: number, mimeType = 'image/jpeg', id = name.charCodeAt(0).toString(16)): MediaRef => ({
  id: id.padStart(64, '0'),
  mimeType,
  bytes,
  alt: '',
  width: 1200,
  height: 800,
  name,
});

let shown: Rendered | null = null;
afterEach(() => {
  shown?.unmount();
  shown = null;
});

async function show(
  options: {
    value?: MediaRef[];
    accounts?: Account[];
    language?: Language;
    stage?: StageMedia;
    fit?: (file: Blob) => Promise<FitOutcome>;
    onBytes?: (id: string, blob: Blob) => void;
    probeVideo?: (file: Blob) => Promise<VideoFacts | null>;
    makeGifVideo?: (gif: Blob) => Promise<GifVideo>;
  } = {},
) {
  const changes: MediaRef[][] = [];
  const language = options.language ?? 'en';
  function Harness() {
    const [value, setValue] = useState<MediaRef[]>(options.value ?? []);
    return (
      <ComposerMedia
        value={value}
        onChange={(next) => {
          changes.push(next);
          setValue(next);
        }}
        accounts={options.accounts ?? [bluesky]}
        language={language}
        stage={options.stage ?? (async () => ({ id: 'f'.repeat(64), bytes: 1 }))}
        {...(options.fit ? { fit: options.fit } : {})}
        {...(options.onBytes ? { onBytes: options.onBytes } : {})}
        {...(options.probeVideo ? { probeVideo: options.probeVideo } : {})}
        {...(options.makeGifVideo ? { makeGifVideo: options.makeGifVideo } : {})}
      />
    );
  }
  shown = await render(<Harness />, {} as AppServices, language);
  return { container: shown.container, changes };
}

const problemsOf = (container: HTMLElement) =>
  [...container.querySelectorAll('.composer-media-problems li')].map((li) => textOf(li));

describe('what each network would refuse, in words', () => {
  it('says an image is too large for Bluesky, with both sizes in the units people read', async () => {
    const { container } = await show({ value: [ref('beach.jpg', 2_500_000)], accounts: [bluesky, x] });
    expect(problemsOf(container)).toEqual(['Too large for Bluesky: 2.38 MB, at most 1.91 MB']);
  });

  it('says it in French, with a narrow no-break space before the colon', async () => {
    const { container } = await show({ value: [ref('plage.jpg', 2_500_000)], accounts: [bluesky], language: 'fr' });
    expect(problemsOf(container)).toEqual(['Trop lourd pour Bluesky\u202f: 2,38\u202fMo, au plus 1,91\u202fMo']);
  });

  it('says a GIF goes alone on X and Bluesky, and that Bluesky needs it as a video', async () => {
    const value = [ref('photo.jpg', 1000), ref('dance.gif', 1000, 'image/gif')];
    const { container } = await show({ value, accounts: [x, bluesky] });
    expect(problemsOf(container)).toEqual([
      'X takes a GIF alone: remove the other media from this post.',
      'Bluesky takes a GIF alone: remove the other media from this post.',
      'Bluesky plays GIFs as videos, and this GIF was not made into one: add it again in the composer.',
    ]);
    shown?.unmount();
    shown = null;
    const fr = await show({ value, accounts: [x, bluesky], language: 'fr' });
    expect(problemsOf(fr.container)).toEqual([
      'X prend un GIF seul\u202f: retirez les autres médias de cette publication.',
      'Bluesky prend un GIF seul\u202f: retirez les autres médias de cette publication.',
      'Bluesky lit les GIF comme des vidéos, et ce GIF n’a pas été converti\u202f: ajoutez-le de nouveau dans l’éditeur.',
    ]);
  });

  it('says a video is too long for X and its frame rate too high, with durations in words', async () => {
    const clip = { ...ref('talk.mp4', 50_000_000, 'video/mp4'), durationSec: 1500, frameRate: 120 };
    const { container } = await show({ value: [clip], accounts: [x, mastodon] });
    expect(problemsOf(container)).toEqual([
      'Frame rate too high for X: 120 frames per second, at most 60',
      'Too long for X: 25 min, at most 20 min',
    ]);
    expect(textOf(container.querySelector('.composer-media-size'))).toBe('47.68 MB · 1200 × 800 · 25 min');
  });

  it('names the Mastodon instance, and says too many media for the post as a whole', async () => {
    const value = ['a', 'b', 'c', 'd', 'e'].map((n) => ref(`${n}.jpg`, 1000));
    const { container } = await show({ value, accounts: [mastodon] });
    expect(problemsOf(container)).toEqual(['Too many media for Mastodon (mastodon.example): 5, at most 4']);
  });
});

describe('alt text', () => {
  it('counts against the strictest selected network and flags what is over', async () => {
    const { container, changes } = await show({
      value: [ref('chart.png', 1000, 'image/png')],
      accounts: [x, mastodon],
    });
    const alt = byRole(container, 'textbox', 'Alt text for chart.png');
    expect(textOf(container.querySelector('.composer-media-count'))).toBe('0 / 1,000');
    await type(alt, 'é'.repeat(1001));
    expect(changes.at(-1)?.[0]?.alt).toHaveLength(1001);
    expect(alt.getAttribute('aria-invalid')).toBe('true');
    expect(problemsOf(container)).toEqual(['Alt text too long for X: 1,001 characters, at most 1,000']);
  });
});

describe('adding a file', () => {
  it('resizes it to fit, stages it with progress, and adds it with its size and the bytes for drafts', async () => {
    let release!: () => void;
    const progressSeen: number[] = [];
    const resized = new Blob([new Uint8Array(1_500_000)], { type: 'image/jpeg' });
    const stage: StageMedia = async (blob, onProgress) => {
      onProgress(0.5);
      progressSeen.push(0.5);
      await new Promise<void>((r) => (release = r));
      onProgress(1);
      return { id: 'a'.repeat(64), bytes: blob.size };
    };
    const fit = vi.fn(async (): Promise<FitOutcome> => ({
      ok: true,
      image: {
        blob: resized,
        mimeType: 'image/jpeg',
        width: 3515,
        height: 2343,
        resizedFrom: { width: 6000, height: 4000, bytes: 8 * 1024 * 1024 },
        locationRemoved: false,
      },
    }));
    const onBytes = vi.fn();
    const { container, changes } = await show({ stage, fit, onBytes });
    const input = container.querySelector<HTMLInputElement>('input[type="file"]')!;
    const file = new File([new Uint8Array(10)], 'summit.jpg', { type: 'image/jpeg' });
    await act(async () => {
      Object.defineProperty(input, 'files', { value: [file], configurable: true });
      input.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await settle();
    const progress = container.querySelector('progress')!;
    expect(progress.getAttribute('aria-label')).toBe('Preparing summit.jpg');
    expect(progress.getAttribute('value')).toBe('0.5');
    expect(textOf(container.querySelector('.composer-media-pending'))).toContain('Uploading: 50%');

    await act(async () => release());
    await settle();
    expect(container.querySelector('progress')).toBeNull();
    expect(changes.at(-1)).toEqual([
      {
        id: 'a'.repeat(64),
        mimeType: 'image/jpeg',
        bytes: 1_500_000,
        alt: '',
        width: 3515,
        height: 2343,
        name: 'summit.jpg',
      },
    ]);
    expect(onBytes).toHaveBeenCalledWith('a'.repeat(64), resized);
    expect(textOf(container.querySelector('.composer-media-note'))).toBe(
      'Resized from 6000 × 4000, 8 MB to 3515 × 2343, 1.43 MB to fit Bluesky.',
    );
  });

  it('says in words why an image cannot be added', async () => {
    const fit = async (): Promise<FitOutcome> => ({ ok: false, why: 'cannot-fit' });
    const { container, changes } = await show({ fit, language: 'fr' });
    const input = container.querySelector<HTMLInputElement>('input[type="file"]')!;
    await act(async () => {
      Object.defineProperty(input, 'files', {
        value: [new File([new Uint8Array(10)], 'bruit.png', { type: 'image/png' })],
        configurable: true,
      });
      input.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await settle();
    expect(textOf(byRole(container, 'alert'))).toBe(
      'bruit.png n’a pas pu être ajouté\u202f: impossible de le rendre assez léger pour Bluesky.',
    );
    expect(changes).toEqual([]);
  });
});

/** Picks `files` with the composer's file input. */
async function pick(container: HTMLElement, files: File[]) {
  const input = container.querySelector<HTMLInputElement>('input[type="file"]')!;
  await act(async () => {
    Object.defineProperty(input, 'files', { value: files, configurable: true });
    input.dispatchEvent(new Event('change', { bubbles: true }));
  });
  await settle();
}

describe('videos and GIFs', () => {
  it('reads a video’s length, pixels and frame rate, stages it, and shows its length', async () => {
    const probeVideo = vi.fn(async (): Promise<VideoFacts> => ({
      durationSec: 12.5,
      width: 1280,
      height: 720,
      frameRate: 30,
    }));
    const stage: StageMedia = async (blob) => ({ id: 'c'.repeat(64), bytes: blob.size });
    const { container, changes } = await show({ accounts: [x, bluesky], stage, probeVideo });
    await pick(container, [new File([new Uint8Array(2000)], 'launch.mp4', { type: 'video/mp4' })]);
    expect(changes.at(-1)).toEqual([
      {
        id: 'c'.repeat(64),
        mimeType: 'video/mp4',
        bytes: 2000,
        alt: '',
        width: 1280,
        height: 720,
        durationSec: 12.5,
        frameRate: 30,
        name: 'launch.mp4',
      },
    ]);
    expect(textOf(container.querySelector('.composer-media-size'))).toBe('1.95 kB · 1280 × 720 · 12.5 sec');
    expect(problemsOf(container)).toEqual([]);
  });

  it('says a video that cannot be read, and adds nothing', async () => {
    const { container, changes } = await show({ probeVideo: async () => null });
    await pick(container, [new File([new Uint8Array(20)], 'broken.mp4', { type: 'video/mp4' })]);
    expect(textOf(byRole(container, 'alert'))).toBe('broken.mp4 could not be added: this video cannot be read.');
    expect(changes).toEqual([]);
  });

  it('makes a GIF into a looping MP4 for Bluesky, stages both, and keeps both for drafts', async () => {
    const mp4 = new Blob([new Uint8Array(300)], { type: 'video/mp4' });
    const makeGifVideo = vi.fn(async (): Promise<GifVideo> => ({
      blob: mp4,
      width: 32,
      height: 32,
      durationSec: 1.2,
      frames: 12,
    }));
    const staged: Blob[] = [];
    const stage: StageMedia = async (blob) => {
      staged.push(blob);
      return { id: (blob === mp4 ? 'd' : 'e').repeat(64), bytes: blob.size };
    };
    const onBytes = vi.fn();
    const { container, changes } = await show({ accounts: [x, bluesky], stage, makeGifVideo, onBytes });
    const gif = new File([new Uint8Array(100)], 'dance.gif', { type: 'image/gif' });
    await pick(container, [gif]);
    expect(makeGifVideo).toHaveBeenCalledWith(gif);
    expect(staged).toEqual([mp4, gif]);
    expect(changes.at(-1)?.[0]).toMatchObject({
      id: 'e'.repeat(64),
      mimeType: 'image/gif',
      durationSec: 1.2,
      asVideo: { id: 'd'.repeat(64), bytes: 300 },
    });
    expect(onBytes).toHaveBeenCalledWith('d'.repeat(64), mp4);
    expect(onBytes).toHaveBeenCalledWith('e'.repeat(64), gif);
    expect([...container.querySelectorAll('.composer-media-note')].map((n) => textOf(n))).toContain(
      'Sent to Bluesky as a looping video.',
    );
    expect(problemsOf(container)).toEqual([]);
  });

  it('does not convert a GIF for networks that play GIFs themselves', async () => {
    const makeGifVideo = vi.fn(async (): Promise<GifVideo> => {
      throw new Error('not wanted');
    });
    const { container, changes } = await show({ accounts: [x, mastodon], makeGifVideo });
    await pick(container, [new File([new Uint8Array(100)], 'dance.gif', { type: 'image/gif' })]);
    expect(makeGifVideo).not.toHaveBeenCalled();
    expect(changes.at(-1)?.[0]?.asVideo).toBeUndefined();
  });

  it('refuses a file over what Colonnade sends before staging any of it', async () => {
    const stage = vi.fn<StageMedia>();
    const { container, changes } = await show({ accounts: [x], stage });
    const big = new File([new Uint8Array(10)], 'film.mp4', { type: 'video/mp4' });
    Object.defineProperty(big, 'size', { value: MEDIA_STAGE_MAX_BYTES + 1 });
    await pick(container, [big]);
    expect(textOf(byRole(container, 'alert'))).toBe(
      'film.mp4 could not be added: Too large for Colonnade: 512 MB, it sends files of at most 512 MB.',
    );
    expect(stage).not.toHaveBeenCalled();
    expect(changes).toEqual([]);
  });
});

describe('order and removal', () => {
  it('moves a medium with its buttons, says where it went, and removes one', async () => {
    const value = [ref('first.jpg', 1000), ref('second.jpg', 1000)];
    const { container, changes } = await show({ value, accounts: [x] });
    await click(byRole(container, 'button', 'Move second.jpg earlier'));
    expect(changes.at(-1)?.map((m) => m.name)).toEqual(['second.jpg', 'first.jpg']);
    expect(textOf(container.querySelector('[role="status"]'))).toBe('second.jpg is now 1 of 2.');
    expect((byRole(container, 'button', 'Move second.jpg earlier') as HTMLButtonElement).disabled).toBe(true);
    await click(byRole(container, 'button', 'Remove first.jpg'));
    expect(changes.at(-1)?.map((m) => m.name)).toEqual(['second.jpg']);
    expect(textOf(container.querySelector('[role="status"]'))).toBe('first.jpg removed.');
  });

  it('names the buttons in French', async () => {
    const { container } = await show({ value: [ref('a.jpg', 1000), ref('b.jpg', 1000)], language: 'fr' });
    expect(byRole(container, 'button', 'Reculer a.jpg')).toBeTruthy();
    expect(byRole(container, 'button', 'Retirer b.jpg')).toBeTruthy();
    expect(byRole(container, 'textbox', 'Texte alternatif de a.jpg')).toBeTruthy();
  });
});
