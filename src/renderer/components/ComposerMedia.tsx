// The media of one post in the composer: pick files (button or drop), each shown with its
// thumbnail, its alt text (counted against the strictest selected network's limit), buttons to
// move and remove it, and, per selected network, what that network would refuse, in words. An
// image too heavy (or too large, or of a type a network does not take) for the selected networks
// is resized or recompressed in the browser until it suits the strictest; a video is read for its
// length, pixels and frame rate (media/video.ts) and suits or is refused in words; a GIF is made
// into a looping MP4 too where a selected network plays GIFs only as videos (Bluesky). Each medium
// is staged in main (`stage`) with progress, and its bytes handed to `onBytes` (drafts keep them by
// id); a file over what Colonnade sends (MEDIA_STAGE_MAX_BYTES) is refused before staging.
import { useEffect, useId, useMemo, useRef, useState, type DragEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { ApiError } from '../api';
import { serverHost } from './compose-model';
import {
  altLength,
  checkMedia,
  mediaKind,
  type MediaFacts,
  type MediaProblem,
  type MediaRules,
} from '../../shared/media-rules';
import { MEDIA_STAGE_MAX_BYTES } from '../../shared/media-staging';
import { NETWORK_NAMES, type Account } from '../../shared/model';
import type { MediaRef } from '../../shared/outbox';
import { imageFitTarget } from '../media/fit';
import { fitImage, imageDimensions, type FitOutcome } from '../media/resize';
import type { StageMedia } from '../media/stage';
import { gifToMp4, readVideoFacts, type GifVideo, type VideoFacts } from '../media/video';
import { formatBytes, formatDuration, problemWords } from '../media/words';
import './composer-media.css';

export interface ComposerMediaProps {
  value: MediaRef[];
  onChange(next: MediaRef[]): void;
  /** The selected target profiles: each one's `mediaRules` is checked. */
  accounts: Account[];
  /** The UI language, for numbers and sizes. */
  language: string;
  /** Hands a medium to main (src/renderer/media/stage.ts `makeStageMedia(api)`). */
  stage: StageMedia;
  /** The bytes staged under `id` (their SHA-256), for the drafts' own copy. */
  onBytes?(id: string, blob: Blob): void;
  /** Makes an image fit (default: resize.ts `fitImage`; jsdom tests have no canvas). */
  fit?: (
    file: Blob,
    target: NonNullable<ReturnType<typeof imageFitTarget>>,
    onResizing?: () => void,
  ) => Promise<FitOutcome>;
  /** Reads a video's length, pixels and frame rate (default: video.ts `readVideoFacts`). */
  probeVideo?: (file: Blob) => Promise<VideoFacts | null>;
  /** Makes a GIF into a looping MP4 (default: video.ts `gifToMp4`; jsdom has no WebCodecs). */
  makeGifVideo?: (gif: Blob) => Promise<GifVideo>;
}

/** One selected network (or Mastodon instance) whose media rules apply. */
interface MediaTarget {
  key: string;
  label: string;
  rules: MediaRules;
}

/** The networks among `accounts` with media rules, once each (Mastodon: once per instance). */
export function mediaTargets(accounts: readonly Account[]): MediaTarget[] {
  const out = new Map<string, MediaTarget>();
  for (const a of accounts) {
    if (!a.mediaRules) continue;
    const host = a.network === 'mastodon' && a.server ? serverHost(a.server) : '';
    const key = `${a.network}:${host}`;
    if (!out.has(key)) {
      out.set(key, {
        key,
        label: host ? `${NETWORK_NAMES[a.network]} (${host})` : NETWORK_NAMES[a.network],
        rules: a.mediaRules,
      });
    }
  }
  return [...out.values()];
}

/**
 * Every problem of `media` on each of `targets`, in words, by medium (its index) or for the post
 * (`null`); the same words said once. The composer can use it to hold a post back.
 */
export function mediaProblemWords(
  t: TFunction,
  media: readonly MediaRef[],
  targets: readonly MediaTarget[],
  language: string,
): Map<number | null, string[]> {
  const out = new Map<number | null, string[]>();
  const say = (index: number | null, words: string) => {
    const list = out.get(index) ?? [];
    if (!list.includes(words)) list.push(words);
    out.set(index, list);
  };
  for (const target of targets) {
    for (const problem of checkMedia(mediaFacts(media, target.rules), target.rules)) {
      say(problem.index, problemWords(t, problem, target.label, language));
    }
    if (!target.rules.gifAsVideo) continue;
    media.forEach((m, i) => {
      if (mediaKind(m.mimeType) === 'gif' && !m.asVideo) say(i, t('reasons.media-gif-needs-video'));
    });
  }
  return out;
}

/**
 * What `checkMedia` checks of each medium on a network with `rules`: a GIF that goes as its MP4
 * there (`gifAsVideo`) weighs what its MP4 weighs.
 */
function mediaFacts(media: readonly MediaRef[], rules: MediaRules): MediaFacts[] {
  return media.map((m) => ({
    mimeType: m.mimeType,
    bytes: rules.gifAsVideo && m.asVideo ? m.asVideo.bytes : m.bytes,
    width: m.width,
    height: m.height,
    durationSec: m.durationSec,
    frameRate: m.frameRate,
    alt: m.alt,
  }));
}

/** Problems an image loses by being resized or converted. */
const FIXABLE: ReadonlySet<MediaProblem['reason']> = new Set([
  'media-too-large',
  'media-too-many-pixels',
  'media-type-refused',
]);

interface Pending {
  key: string;
  name: string;
  phase: 'reading' | 'resizing' | 'converting' | 'uploading';
  progress: number;
}

interface Note {
  resizedFrom?: { width: number; height: number; bytes: number } | undefined;
  locationRemoved: boolean;
}

let nextKey = 1;

export function ComposerMedia(props: ComposerMediaProps) {
  const { t } = useTranslation();
  const { language, stage, onBytes } = props;
  const fit = props.fit ?? fitImage;
  const probeVideo = props.probeVideo ?? readVideoFacts;
  const makeGifVideo = props.makeGifVideo ?? gifToMp4;
  const baseId = useId();
  const input = useRef<HTMLInputElement>(null);
  const latest = useRef(props.value);
  latest.current = props.value;
  const onChange = (next: MediaRef[]) => {
    latest.current = next;
    props.onChange(next);
  };
  const [pending, setPending] = useState<Pending[]>([]);
  const [failures, setFailures] = useState<Array<{ key: string; words: string }>>([]);
  const [announcement, setAnnouncement] = useState('');
  const [dragging, setDragging] = useState(false);
  // The bytes of media added here (thumbnails, "make it fit" from the original), by id.
  const originals = useRef(new Map<string, { original: Blob; staged: Blob; url: string | null }>());
  const [notes, setNotes] = useState<Record<string, Note>>({});

  const targets = useMemo(() => mediaTargets(props.accounts), [props.accounts]);
  const problems = useMemo(
    () => mediaProblemWords(t, props.value, targets, language),
    [t, props.value, targets, language],
  );
  const networksWords = (list: readonly MediaTarget[]) =>
    new Intl.ListFormat(language, { type: 'conjunction' }).format(list.map((x) => x.label));
  const altLimit = useMemo(() => {
    const withAlt = targets.filter((x) => x.rules.maxAltLength > 0);
    if (withAlt.length === 0) return null;
    return withAlt.reduce((a, b) => (b.rules.maxAltLength < a.rules.maxAltLength ? b : a)).rules;
  }, [targets]);

  useEffect(
    () => () => {
      for (const o of originals.current.values()) if (o.url) URL.revokeObjectURL(o.url);
    },
    [],
  );

  const update = (key: string, change: Partial<Pending>) =>
    setPending((list) => list.map((p) => (p.key === key ? { ...p, ...change } : p)));

  /**
   * Resizes (when needed), reads (a video) or converts (a GIF for a network that plays GIFs as
   * videos) and stages `file`; answers its MediaRef, or null when refused (said in `failures`).
   */
  const prepare = async (
    file: Blob,
    name: string,
  ): Promise<{ ref: MediaRef; staged: Blob; video?: Blob | undefined; note: Note } | null> => {
    const key = `m${nextKey++}`;
    setPending((list) => [...list, { key, name, phase: 'reading', progress: 0 }]);
    const fail = (why: string) => {
      setFailures((list) => [...list, { key, words: t('media.failed', { name, why }) }]);
      return null;
    };
    try {
      if (file.size === 0) return fail(t('reasons.media-empty'));
      // Main stages at most this much: said before any byte is sent.
      if (file.size > MEDIA_STAGE_MAX_BYTES) {
        return fail(
          t('reasons.media-over-colonnade-limit', {
            size: formatBytes(file.size, language),
            max: formatBytes(MEDIA_STAGE_MAX_BYTES, language),
          }),
        );
      }
      let blob = file;
      let facts: Pick<MediaRef, 'durationSec' | 'frameRate'> = {};
      let video: GifVideo | null = null;
      let mimeType = file.type || 'application/octet-stream';
      let size: { width: number; height: number } | null = null;
      let note: Note = { locationRemoved: false };
      const kind = mediaKind(mimeType);
      // A PDF, a document…: refused at once, like an image that cannot be read (no alt text asked for it).
      if (!kind) return fail(t('reasons.media-unknown-kind', { type: mimeType }));
      const fitTarget = kind === 'image' ? imageFitTarget(targets.map((x) => x.rules)) : null;
      if (fitTarget) {
        const outcome = await fit(file, fitTarget, () => update(key, { phase: 'resizing' }));
        if (!outcome.ok) {
          return fail(
            outcome.why === 'unreadable'
              ? t('media.unreadable')
              : t('media.cannotFit', { networks: networksWords(targets.filter((x) => x.rules.image?.sendable)) }),
          );
        }
        blob = outcome.image.blob;
        mimeType = outcome.image.mimeType;
        size = { width: outcome.image.width, height: outcome.image.height };
        note = { resizedFrom: outcome.image.resizedFrom, locationRemoved: outcome.image.locationRemoved };
      } else if (kind === 'image' || kind === 'gif') {
        size = await imageDimensions(file);
      } else {
        const read = await probeVideo(file);
        if (!read) return fail(t('media.unreadableVideo'));
        if (read.width && read.height) size = { width: read.width, height: read.height };
        facts = {
          durationSec: read.durationSec,
          ...(read.frameRate ? { frameRate: read.frameRate } : {}),
        };
      }
      const asVideo = kind === 'gif' ? targets.filter((x) => x.rules.gifAsVideo) : [];
      if (asVideo.length) {
        update(key, { phase: 'converting' });
        try {
          video = await makeGifVideo(file);
        } catch {
          return fail(t('media.cannotConvert', { networks: networksWords(asVideo) }));
        }
        facts = { durationSec: video.durationSec };
      }
      update(key, { phase: 'uploading', progress: 0 });
      // The GIF's MP4 first (a tenth of the bar for it would say little; the bar is per file).
      const stagedVideo = video ? await stage(video.blob, (progress) => update(key, { progress })) : null;
      const staged = await stage(blob, (progress) => update(key, { progress }));
      const ref: MediaRef = {
        id: staged.id,
        mimeType,
        bytes: staged.bytes,
        alt: '',
        ...(size ? { width: size.width, height: size.height } : {}),
        ...facts,
        ...(stagedVideo ? { asVideo: { id: stagedVideo.id, bytes: stagedVideo.bytes } } : {}),
        ...(name ? { name: name.slice(0, 300) } : {}),
      };
      return { ref, staged: blob, video: video?.blob, note };
    } catch (err) {
      const reason = err instanceof ApiError ? err.error.reason : undefined;
      return fail(
        reason
          ? t(`reasons.${reason}`, err instanceof ApiError ? (err.error.params ?? {}) : {})
          : t('media.stageFailed'),
      );
    } finally {
      setPending((list) => list.filter((p) => p.key !== key));
    }
  };

  const keep = (original: Blob, prepared: { ref: MediaRef; staged: Blob; video?: Blob | undefined; note: Note }) => {
    const { ref, staged, video, note } = prepared;
    const url = typeof URL.createObjectURL === 'function' ? URL.createObjectURL(staged) : null;
    const old = originals.current.get(ref.id);
    if (old?.url) URL.revokeObjectURL(old.url);
    originals.current.set(ref.id, { original, staged, url });
    setNotes((n) => ({ ...n, [ref.id]: note }));
    onBytes?.(ref.id, staged);
    if (video && ref.asVideo) onBytes?.(ref.asVideo.id, video);
  };

  const add = async (files: readonly File[]) => {
    setFailures([]);
    for (const file of files) {
      const prepared = await prepare(file, file.name);
      if (!prepared) continue;
      keep(file, prepared);
      if (latest.current.some((m) => m.id === prepared.ref.id)) continue; // the same file twice
      onChange([...latest.current, prepared.ref]);
    }
  };

  /** Prepares again, from its original, a medium that no longer suits the selected networks. */
  const refit = async (index: number) => {
    const medium = latest.current[index];
    const original = medium && originals.current.get(medium.id)?.original;
    if (!medium || !original) return;
    const prepared = await prepare(original, medium.name ?? '');
    if (!prepared) return;
    keep(original, prepared);
    const next = latest.current.map((m) => (m.id === medium.id ? { ...prepared.ref, alt: m.alt } : m));
    onChange(next);
  };

  const nameOf = (m: MediaRef) => m.name || t('media.dimensions', { width: m.width ?? '?', height: m.height ?? '?' });

  const move = (index: number, by: -1 | 1) => {
    const to = index + by;
    const list = [...latest.current];
    const item = list[index];
    if (!item || to < 0 || to >= list.length) return;
    list.splice(index, 1);
    list.splice(to, 0, item);
    onChange(list);
    setAnnouncement(t('media.moved', { name: nameOf(item), position: to + 1, count: list.length }));
    // Keep the focus on the moved item's button (the other one where this one is now disabled).
    const which = (by < 0 && to > 0) || (by > 0 && to === list.length - 1) ? 'earlier' : 'later';
    requestAnimationFrame(() => document.getElementById(`${baseId}-${which}-${item.id}`)?.focus());
  };

  const remove = (index: number) => {
    const item = latest.current[index];
    if (!item) return;
    onChange(latest.current.filter((_, i) => i !== index));
    setAnnouncement(t('media.removed', { name: nameOf(item) }));
  };

  const setAlt = (index: number, alt: string) =>
    onChange(latest.current.map((m, i) => (i === index ? { ...m, alt } : m)));

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    const files = [...(e.dataTransfer?.files ?? [])];
    if (files.length) void add(files);
  };

  const fixable = (index: number) =>
    originals.current.has(props.value[index]?.id ?? '') &&
    ((mediaKind(props.value[index]?.mimeType ?? '') === 'gif' &&
      !props.value[index]?.asVideo &&
      targets.some((x) => x.rules.gifAsVideo)) ||
      (mediaKind(props.value[index]?.mimeType ?? '') === 'image' &&
        targets.some((x) =>
          checkMedia(
            [
              {
                mimeType: props.value[index]!.mimeType,
                bytes: props.value[index]!.bytes,
                width: props.value[index]!.width,
                height: props.value[index]!.height,
              },
            ],
            x.rules,
          ).some((p) => FIXABLE.has(p.reason)),
        )));

  const postProblems = problems.get(null) ?? [];
  const headingId = `${baseId}-title`;

  return (
    <section
      className={`composer-media${dragging ? ' dragging' : ''}`}
      aria-labelledby={headingId}
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
    >
      <h3 id={headingId} className="composer-media-title">
        {t('media.title')}
      </h3>
      <div className="composer-media-pick">
        <button type="button" onClick={() => input.current?.click()}>
          {t('media.add')}
        </button>
        <span className="composer-media-drop">{t('media.drop')}</span>
        <input
          ref={input}
          type="file"
          multiple
          accept="image/*,video/*"
          hidden
          aria-label={t('media.add')}
          onChange={(e) => {
            const files = [...(e.currentTarget.files ?? [])];
            e.currentTarget.value = '';
            if (files.length) void add(files);
          }}
        />
      </div>

      {props.value.length > 0 && (
        <ol className="composer-media-list" aria-label={t('media.list')}>
          {props.value.map((m, i) => {
            const name = nameOf(m);
            const altId = `${baseId}-alt-${m.id}`;
            const countId = `${altId}-count`;
            const problemsId = `${baseId}-problems-${m.id}`;
            const words = problems.get(i) ?? [];
            const note = notes[m.id];
            const url = originals.current.get(m.id)?.url;
            const altCount = altLimit ? altLength(m.alt, altLimit) : null;
            return (
              <li key={m.id} className="composer-media-item">
                <div className="composer-media-thumb">
                  {url && mediaKind(m.mimeType) !== 'video' ? <img src={url} alt="" /> : null}
                  {url && mediaKind(m.mimeType) === 'video' ? <video src={url} muted aria-hidden="true" /> : null}
                </div>
                <div className="composer-media-body">
                  <p className="composer-media-name">
                    <span>{name}</span>{' '}
                    <span className="composer-media-size">
                      {formatBytes(m.bytes, language)}
                      {m.width && m.height ? ` · ${t('media.dimensions', { width: m.width, height: m.height })}` : ''}
                      {m.durationSec !== undefined && mediaKind(m.mimeType) === 'video'
                        ? ` · ${formatDuration(m.durationSec, language)}`
                        : ''}
                    </span>
                  </p>
                  {note?.resizedFrom && (
                    <p className="composer-media-note">
                      {t('media.resized', {
                        from: `${t('media.dimensions', note.resizedFrom)}, ${formatBytes(note.resizedFrom.bytes, language)}`,
                        to: `${t('media.dimensions', { width: m.width, height: m.height })}, ${formatBytes(m.bytes, language)}`,
                        networks: networksWords(targets),
                      })}
                    </p>
                  )}
                  {note?.locationRemoved && <p className="composer-media-note">{t('media.locationRemoved')}</p>}
                  {m.asVideo && targets.some((x) => x.rules.gifAsVideo) && (
                    <p className="composer-media-note">
                      {t('media.gifAsVideo', { networks: networksWords(targets.filter((x) => x.rules.gifAsVideo)) })}
                    </p>
                  )}
                  <label htmlFor={altId} className="field-label">
                    {t('media.altLabel', { name })}
                  </label>
                  <textarea
                    id={altId}
                    value={m.alt}
                    rows={2}
                    placeholder={t('media.altHint')}
                    aria-describedby={[countId, words.length ? problemsId : ''].filter(Boolean).join(' ')}
                    aria-invalid={altLimit && altCount !== null && altCount > altLimit.maxAltLength ? true : undefined}
                    onChange={(e) => setAlt(i, e.currentTarget.value)}
                  />
                  {altLimit && altCount !== null && (
                    <p
                      id={countId}
                      className={`composer-media-count${altCount > altLimit.maxAltLength ? ' over' : ''}`}
                    >
                      {t('media.altCount', {
                        length: new Intl.NumberFormat(language).format(altCount),
                        max: new Intl.NumberFormat(language).format(altLimit.maxAltLength),
                      })}
                    </p>
                  )}
                  {words.length > 0 && (
                    <ul id={problemsId} className="composer-media-problems">
                      {words.map((w) => (
                        <li key={w}>{w}</li>
                      ))}
                    </ul>
                  )}
                  <div className="composer-media-actions">
                    <button
                      type="button"
                      id={`${baseId}-earlier-${m.id}`}
                      aria-label={t('media.earlier', { name })}
                      disabled={i === 0}
                      onClick={() => move(i, -1)}
                    >
                      ↑
                    </button>
                    <button
                      type="button"
                      id={`${baseId}-later-${m.id}`}
                      aria-label={t('media.later', { name })}
                      disabled={i === props.value.length - 1}
                      onClick={() => move(i, 1)}
                    >
                      ↓
                    </button>
                    {fixable(i) && (
                      <button type="button" onClick={() => void refit(i)}>
                        {t('media.fit', { name })}
                      </button>
                    )}
                    <button type="button" aria-label={t('media.remove', { name })} onClick={() => remove(i)}>
                      ×
                    </button>
                  </div>
                </div>
              </li>
            );
          })}
        </ol>
      )}

      {pending.length > 0 && (
        <ul className="composer-media-pending">
          {pending.map((p) => (
            <li key={p.key}>
              <span>{t('media.preparing', { name: p.name })}</span>{' '}
              <span>
                {p.phase === 'reading'
                  ? t('media.reading')
                  : p.phase === 'resizing'
                    ? t('media.resizing')
                    : p.phase === 'converting'
                      ? t('media.converting', {
                          networks: networksWords(targets.filter((x) => x.rules.gifAsVideo)),
                        })
                      : t('media.uploading', {
                          percent: new Intl.NumberFormat(language, { style: 'percent' }).format(p.progress),
                        })}
              </span>
              <progress
                max={1}
                aria-label={t('media.preparing', { name: p.name })}
                {...(p.phase === 'uploading' ? { value: p.progress } : {})}
              />
            </li>
          ))}
        </ul>
      )}

      {postProblems.length > 0 && (
        <ul className="composer-media-problems" aria-label={t('media.postProblems')}>
          {postProblems.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}

      {failures.length > 0 && (
        <div role="alert" className="composer-media-failures">
          {failures.map((f) => (
            <p key={f.key} className="form-error">
              {f.words}
            </p>
          ))}
        </div>
      )}

      <p role="status" className="visually-hidden">
        {announcement}
      </p>
    </section>
  );
}
