// The composer: one post (or thread) for several of the CM's profiles across networks, with a
// version of its own for a network where she wants one, counted as each network counts, with
// links, mentions and hashtags shown as the network will make them, a preview per network, and
// a time: now, at a date and time in a zone, or the next slot of each profile's queue. What she
// writes is handed to main's outbox (`outbox.submit`), which posts it exactly once per profile and
// says how each went (the Outbox view). A reply or a quote goes out on that post's network only.
// Opened on a scheduled post (the Outbox's "Edit…"), it changes that post's text, media, versions
// and thread parts (`outbox.edit`), its profiles and time shown but kept (ComposerEditFacts).
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import './composer.css';
import { isOpenTarget, jobEditable, useOutboxStore } from '../state/outbox';
import { useAppStore } from '../state/store';
import { ComposerEditFacts } from './ComposerEditFacts';
import { useServices } from './context';
import { Dialog } from './Dialog';
import { useDialogAction } from './use-dialog-action';
import { useDraftAutosave } from './use-draft-autosave';
import { ComposerMedia, mediaProblemWords, mediaTargets } from './ComposerMedia';
import { DraftStore } from '../drafts/draft-store';
import { describeError } from './errors';
import { ApiError } from '../api';
import { NETWORK_NAMES, type Account, type NetworkId, type Post } from '../../shared/model';
import type { PostPart, When } from '../../shared/outbox';
import { measureText, textToPublish, type TextMeasure } from '../../shared/text-length';
import { PostPreview } from './PostCard';
import { spokenName } from './post-text';
import { ComposerPart, counterWords, type PartCounter } from './ComposerPart';
import { ComposerWhen, whenInstant } from './ComposerWhen';
import {
  contentOf,
  countersOf,
  emptyPart,
  hashtagSuggestions,
  networksOf,
  previewEntities,
  splitIntoThread,
  type ComposeState,
} from './compose-model';

/** Where the text stands: within the limit, near it (90 %), or over it. */
export type LimitLevel = 'ok' | 'near' | 'over';

/**
 * Networks where a reply starts with the author's handle: on Mastodon only a mention notifies the
 * author and addresses the reply to them (its web client starts replies with "@acct "), and the
 * Sandbox behaves like Mastodon. X (`reply.in_reply_to_tweet_id`) and Bluesky (the `reply` ref)
 * address a reply by its reference alone; a handle there would only take room.
 */
const REPLY_MENTIONS: ReadonlySet<NetworkId> = new Set(['mastodon', 'sandbox']);

/** The text a reply to `post` starts with, written as `profileHandle` ("@ada " or nothing). */
export function replyStart(post: Post, profileHandle: string | undefined): string {
  if (!REPLY_MENTIONS.has(post.network) || post.author.handle === profileHandle) return '';
  return `@${post.author.handle} `;
}

/**
 * `initialText`: the text the composer opens with (a draft); empty by default, "@handle " for a
 * reply where the network wants it (`replyStart`). `replyTo` / `quoteOf`: the post this one answers
 * or quotes (at most one of them), shown above the text; it goes out as one or more of the CM's
 * profiles on its network, `profileId` first (the column's acting profile), else the first of them.
 * `initial`: a whole draft to open (targets, parts, variants, time).
 */
export function ComposeDialog(props: {
  onClose: () => void;
  language: string;
  initialText?: string;
  replyTo?: Post | undefined;
  quoteOf?: Post | undefined;
  profileId?: string | null | undefined;
  initial?: Partial<ComposeState> | undefined;
  /** Called with every change (the drafts' autosave). */
  onChange?(state: ComposeState): void;
  /** The draft this composer writes, sent with the job so the outbox knows where it came from. */
  draftId?: string | undefined;
  /**
   * A scheduled job being edited (the Outbox's "Edit…"), whose content, open targets and time are
   * `initial`: only its parts, versions and media change; saving sends `outbox.edit`; no draft.
   */
  edit?: { jobId: string } | undefined;
  /** Hashtags to suggest (the CM's monitors, her recent posts). */
  knownHashtags?: readonly string[];
}) {
  const { t } = useTranslation();
  const { actions } = useServices();
  const all = useAppStore((s) => s.accounts);
  const context = props.replyTo ?? props.quoteOf;
  const mode = props.replyTo ? 'reply' : props.quoteOf ? 'quote' : 'new';
  // A reply or a quote goes out on the post's network only.
  const accounts = useMemo(() => (context ? all.filter((a) => a.network === context.network) : all), [all, context]);
  const [state, setState] = useState<ComposeState>(() => {
    // The column's acting profile; else a real profile before the practice one (a post to the
    // Sandbox by mistake helps nobody).
    const first =
      accounts.find((a) => a.profile.id === props.profileId) ?? accounts.find((a) => !a.practice) ?? accounts[0];
    const text = props.initialText ?? (props.replyTo ? replyStart(props.replyTo, first?.profile.handle) : '');
    return {
      targets: props.initial?.targets ?? (first ? [first.id] : []),
      parts: props.initial?.parts ?? [{ text, media: [] }],
      variants: props.initial?.variants ?? {},
      when: props.initial?.when ?? { kind: 'now' },
    };
  });
  const update = (change: Partial<ComposeState>) => setState((s) => ({ ...s, ...change }));
  // Every change is saved as a draft (made on the first change), within 100 ms.
  const { db } = useServices();
  const draft = useDraftAutosave(db, props.draftId);
  const changed = useRef(false);
  useEffect(() => {
    if (!changed.current) {
      changed.current = true;
      return;
    }
    props.onChange?.(state);
    // Editing a scheduled post writes no draft: the outbox holds the post, and a draft would be a
    // second copy of it in the Drafts column (sendable again), left behind once saved.
    if (props.edit) return;
    draft.change({
      content: {
        parts: state.parts,
        ...(Object.keys(state.variants).length ? { variants: state.variants } : {}),
        ...(props.replyTo ? { replyTo: props.replyTo.id } : {}),
        ...(props.quoteOf ? { quoteOf: props.quoteOf.id } : {}),
      },
      targets: state.targets,
      when: state.when,
    });
    // Only a change of what she wrote or chose.
  }, [state]);
  // The same array until the choice changes, so memoized sections (the time) skip a keystroke's render.
  const targets = useMemo(
    () => state.targets.map((id) => accounts.find((a) => a.id === id)).filter((a): a is Account => !!a),
    [state.targets, accounts],
  );
  const setWhen = useCallback((when: When) => setState((s) => ({ ...s, when })), []);
  const networks = networksOf(state.targets, accounts);
  const counters = countersOf(state, accounts);
  const { busy, error, setError, run } = useDialogAction(props.language, 'composer', targets[0]?.network);
  // One job id per post being written: submitting again after an uncertain failure makes one job.
  const [jobId, setJobId] = useState(() => crypto.randomUUID());
  const [now] = useState(() => Date.now());
  const [audienceZones, setAudienceZones] = useState<Record<string, string | undefined>>({});
  useEffect(() => {
    // Each target's audience zone is its queue's, when it has one (for the time, not changed in an edit).
    if (props.edit) return;
    let live = true;
    for (const a of targets) {
      if (a.id in audienceZones) continue;
      void actions.outbox
        .queue(a.id)
        .then((q) => live && setAudienceZones((z) => ({ ...z, [a.id]: q?.zone })))
        .catch(() => undefined);
    }
    return () => {
      live = false;
    };
  });

  const variantNetworks = networks.filter((n) => state.variants[n]);
  const sharedCounters = counters.filter((c) => !state.variants[c.network]);
  /** The networks the shared text goes to (every chosen one when each has its own version: still shown). */
  const sharedNetworks = networks.some((n) => !state.variants[n])
    ? networks.filter((n) => !state.variants[n])
    : networks;
  const over = counters.some((c) => c.over);
  // Images, GIFs and videos each target's network would refuse (count, kind, size) hold the post.
  const mediaProblems = networks.flatMap((n) =>
    (state.variants[n] ?? state.parts).flatMap((p) =>
      [
        ...mediaProblemWords(t, p.media, mediaTargets(targets.filter((a) => a.network === n)), props.language).values(),
      ].flat(),
    ),
  );
  const level: LimitLevel = over ? 'over' : counters.some((c) => c.near) ? 'near' : 'ok';

  // A status speaks once when the text crosses into "near" or "over", and when back within.
  const [announcement, setAnnouncement] = useState('');
  const lastLevel = useRef<LimitLevel>(level);
  const firstMeasure = counters[0]?.measures[0];
  const amount = firstMeasure ? counterWords(t, firstMeasure, props.language).unit : '';
  // The worst problem now: the part furthest over its binding limit, of any counter.
  let worst: { label: string; measure: TextMeasure; ratio: number } | null = null;
  for (const c of counters)
    for (const m of c.measures) {
      const ratio = m.binding.length / m.binding.max;
      if ((m.over || m.refused.length > 0) && (!worst || ratio > worst.ratio))
        worst = { label: c.label, measure: m, ratio };
    }
  const overText = worst
    ? t('compose.overLimit', { network: worst.label, amount: counterWords(t, worst.measure, props.language).unit })
    : '';
  useEffect(() => {
    // While over, the status says the current worst problem (not the one it crossed the limit with).
    if (level === 'over' && lastLevel.current === 'over') {
      setAnnouncement(overText);
      return;
    }
    if (level === lastLevel.current) return;
    const was = lastLevel.current;
    lastLevel.current = level;
    setAnnouncement(
      level === 'over'
        ? overText
        : level === 'near'
          ? was === 'ok'
            ? t('compose.nearAnnounce', { amount })
            : t('compose.backWithin', { amount })
          : was === 'over'
            ? t('compose.backWithin', { amount })
            : '',
    );
  }, [level, overText, t, amount]);

  // A reply or a quote has its profile chosen already: the text takes focus, the caret at its end.
  const textBox = useRef<HTMLTextAreaElement | null>(null);
  useEffect(() => {
    const box = textBox.current;
    // A new post too: the text is what she came to write (typing must not land on a checkbox).
    if (!box) return;
    box.focus();
    box.setSelectionRange(box.value.length, box.value.length);
  }, []);

  const [previewsOpen, setPreviewsOpen] = useState(false);
  // Hashtag suggestions for the part being typed in.
  const [caret, setCaret] = useState<{ where: string; at: number } | null>(null);

  const setParts = (network: NetworkId | null, parts: PostPart[]) =>
    network ? update({ variants: { ...state.variants, [network]: parts } }) : update({ parts });
  /** One part's text, set on the state as it is then (a text box hands it over in a transition). */
  const setPartText = (network: NetworkId | null, index: number, text: string) =>
    setState((s) => {
      const parts = network ? s.variants[network] : s.parts;
      if (!parts?.[index] || parts[index].text === text) return s;
      const next = parts.map((p, j) => (j === index ? { ...p, text } : p));
      return network ? { ...s, variants: { ...s.variants, [network]: next } } : { ...s, parts: next };
    });

  /** The counters of one part of the shared text or of a network's version. */
  const partCounters = (network: NetworkId | null, index: number): PartCounter[] =>
    (network ? counters.filter((c) => c.network === network) : sharedCounters).flatMap((c) => {
      const m = c.measures[index];
      return m ? [{ key: c.key, network: c.network, label: c.label, measure: m }] : [];
    });

  /** The strictest chosen target's limit, for splitting the shared text (or one network's). */
  const fitsAll = (network: NetworkId | null) => (text: string) =>
    targets
      .filter((a) => (network ? a.network === network : !state.variants[a.network]))
      .every((a) => {
        const m = measureText(textToPublish(text), a.textRules);
        return !m.over && m.refused.length === 0;
      });

  const partsEditor = (network: NetworkId | null) => {
    const parts = network ? state.variants[network]! : state.parts;
    const base = network ? `compose-${network}` : 'compose';
    const overAny = parts.some((_, i) => partCounters(network, i).some((c) => c.measure.over));
    return (
      <div className="compose-parts">
        {parts.map((part, i) => {
          const where = `${network ?? 'all'}:${i}`;
          const suggestions =
            caret?.where === where ? hashtagSuggestions(part.text, caret.at, props.knownHashtags ?? []) : null;
          return (
            <ComposerPart
              key={i}
              idBase={`${base}-${i}`}
              first={!network && i === 0}
              label={
                parts.length > 1
                  ? t('composer.partLabel', { n: i + 1, count: parts.length })
                  : network
                    ? t('composer.variantText', { network: NETWORK_NAMES[network] })
                    : t('compose.text')
              }
              text={part.text}
              onText={(text) => setPartText(network, i, text)}
              onCaret={(at) => setCaret((c) => (c?.where === where && c.at === at ? c : { where, at }))}
              networks={network ? [network] : sharedNetworks}
              counters={partCounters(network, i)}
              language={props.language}
              {...(!network && i === 0 ? { textBox } : {})}
              actions={
                parts.length > 1 ? (
                  <button
                    type="button"
                    className="link-button"
                    onClick={() =>
                      setParts(
                        network,
                        parts.filter((_, j) => j !== i),
                      )
                    }
                  >
                    {t('composer.removePart', { n: i + 1 })}
                  </button>
                ) : undefined
              }
            >
              <ComposerMedia
                value={part.media}
                onChange={(media) =>
                  setParts(
                    network,
                    parts.map((p, j) => (j === i ? { ...p, media } : p)),
                  )
                }
                accounts={
                  network
                    ? targets.filter((a) => a.network === network)
                    : targets.filter((a) => !state.variants[a.network])
                }
                language={props.language}
                stage={actions.stageMedia}
                onBytes={(_id, blob) => void new DraftStore(db).putMedia(blob).catch(() => undefined)}
              />
              {suggestions && (
                <div className="compose-suggestions" role="group" aria-label={t('composer.suggestions')}>
                  {suggestions.tags.map((tag) => (
                    <button
                      key={tag}
                      type="button"
                      className="chip"
                      onClick={() => {
                        const text = `${part.text.slice(0, suggestions.start)}#${tag} ${part.text.slice(caret!.at)}`;
                        setParts(
                          network,
                          parts.map((p, j) => (j === i ? { ...p, text } : p)),
                        );
                        setCaret(null);
                      }}
                    >
                      #{tag}
                    </button>
                  ))}
                </div>
              )}
            </ComposerPart>
          );
        })}
        <div className="compose-thread-actions">
          <button type="button" onClick={() => setParts(network, [...parts, emptyPart()])}>
            {network ? t('composer.addPartFor', { network: NETWORK_NAMES[network] }) : t('composer.addPart')}
          </button>
          {overAny && (
            <button
              type="button"
              onClick={() => {
                const split = parts.flatMap((p) =>
                  splitIntoThread(p.text, fitsAll(network), props.language).map((text, k) => ({
                    text,
                    media: k === 0 ? p.media : [],
                  })),
                );
                setParts(network, split);
              }}
            >
              {network ? t('composer.splitFor', { network: NETWORK_NAMES[network] }) : t('composer.split')}
            </button>
          )}
        </div>
      </div>
    );
  };

  const toggleTarget = (id: string, on: boolean) =>
    update({ targets: on ? [...state.targets, id] : state.targets.filter((x) => x !== id) });

  const when: When = state.when;
  const scheduledAt = whenInstant(when);
  const submitLabel = props.edit
    ? t(busy ? 'compose.saving' : 'compose.saveChanges')
    : busy
      ? t('compose.posting')
      : when.kind === 'at'
        ? t('composer.schedule')
        : when.kind === 'queue'
          ? t('composer.addToQueue')
          : t(mode === 'new' ? 'compose.post' : `compose.${mode}Send`);

  // The job being edited as the outbox holds it now: its reply or quote, and its targets' networks
  // (a version is kept for each, even for a profile whose account left since).
  const editedJob = useOutboxStore((s) => (props.edit ? s.jobs[props.edit.jobId] : undefined));
  // It started going out (or left the outbox) while open: ComposerEditFacts says so; Save is off.
  const editLocked = !!props.edit && (!editedJob || !jobEditable(editedJob));
  /** Replaces the job's content; a refusal (a part went out meanwhile) is said here, nothing lost. */
  const saveEdit = (jobId: string) =>
    run(async () => {
      const kept = editedJob?.content;
      const jobNetworks = editedJob
        ? [...new Set(editedJob.targets.filter(isOpenTarget).map((x) => x.network))]
        : undefined;
      await actions.outbox.edit(
        jobId,
        contentOf(state, accounts, { replyTo: kept?.replyTo, quoteOf: kept?.quoteOf }, jobNetworks),
      );
      props.onClose();
    });

  const submit = async () => {
    if (context && targets.length === 0)
      return setError(t('compose.noProfile', { network: NETWORK_NAMES[context.network] }));
    if (targets.length === 0) return setError(t('reasons.no-target'));
    const empty = networks.some((n) =>
      (state.variants[n] ?? state.parts).every((p) => !textToPublish(p.text) && p.media.length === 0),
    );
    if (empty) return setError(t('compose.empty'));
    if (over) return setError(overText);
    if (mediaProblems.length) return setError(mediaProblems[0]!);
    if (props.edit) return saveEdit(props.edit.jobId);
    if (when.kind === 'at' && (scheduledAt === null || scheduledAt < Date.now() - 60_000))
      return setError(t('reasons.schedule-in-past'));
    await run(async () => {
      await actions.submitPost({
        id: jobId,
        content: contentOf(state, accounts, { replyTo: props.replyTo?.id, quoteOf: props.quoteOf?.id }),
        profileIds: state.targets,
        when,
        draftId: draft.draftId,
      });
      await draft.sent();
      setJobId(crypto.randomUUID());
      props.onClose();
    }, queueRefusal);
  };

  /** Main's "this profile's queue has no posting times" (`queue-no-slots`), said with the profile's name. */
  const queueRefusal = (err: unknown): boolean => {
    if (!(err instanceof ApiError) || err.error.reason !== 'queue-no-slots') return false;
    const id = err.error.params?.profileId;
    const account = accounts.find((a) => a.id === id || a.profile.id === id);
    if (!account) return false;
    setError(
      t('composer.queueNoSlots', {
        profile: t('outbox.profileOn', { handle: account.profile.handle, network: NETWORK_NAMES[account.network] }),
      }),
    );
    return true;
  };

  return (
    <Dialog
      title={
        props.edit
          ? t('compose.editTitle')
          : context
            ? t(`compose.${mode}Title`, { name: spokenName(context.author) })
            : t('compose.title')
      }
      onClose={props.onClose}
      onSubmit={() => void submit()}
      submitLabel={submitLabel}
      submitDisabled={
        busy ||
        over ||
        editLocked ||
        mediaProblems.length > 0 ||
        (!!context && accounts.length === 0) ||
        targets.length === 0
      }
    >
      {context && (
        <section className="compose-context" aria-labelledby="compose-context-title">
          <h3 id="compose-context-title" className="compose-context-title">
            {t(`compose.${mode}Context`, { handle: context.author.handle })}
          </h3>
          <PostPreview post={context} language={props.language} />
        </section>
      )}
      {props.edit ? (
        <ComposerEditFacts jobId={props.edit.jobId} targets={state.targets} language={props.language} />
      ) : context && accounts.length === 0 ? (
        <p className="form-error">{t('compose.noProfile', { network: NETWORK_NAMES[context.network] })}</p>
      ) : context && accounts.length === 1 ? (
        <p className="compose-as">{t(`compose.${mode}AsOne`, { handle: accounts[0]!.profile.handle })}</p>
      ) : context ? (
        // A reply or a quote speaks with one voice: one profile, changeable.
        <label className="field">
          <span>{t(`compose.${mode}As`)}</span>
          <select value={state.targets[0] ?? ''} onChange={(e) => update({ targets: [e.target.value] })}>
            {accounts.map((a) => (
              <option key={a.id} value={a.id}>
                @{a.profile.handle}
              </option>
            ))}
          </select>
        </label>
      ) : (
        <fieldset className="compose-targets">
          <legend>{t('composer.postAs')}</legend>
          {accounts.map((a) => (
            <label key={a.id} className="checkbox">
              <input
                type="checkbox"
                checked={state.targets.includes(a.id)}
                onChange={(e) => toggleTarget(a.id, e.target.checked)}
              />
              @{a.profile.handle} <span className="compose-target-network">{NETWORK_NAMES[a.network]}</span>
            </label>
          ))}
        </fieldset>
      )}
      {partsEditor(null)}
      {networks.length > 1 && (
        <fieldset className="compose-variants">
          <legend>{t('composer.variants')}</legend>
          {networks.map((n) => (
            <label key={n} className="checkbox">
              <input
                type="checkbox"
                checked={!!state.variants[n]}
                onChange={(e) => {
                  const variants = { ...state.variants };
                  if (e.target.checked) variants[n] = structuredClone(state.parts);
                  else delete variants[n];
                  update({ variants });
                }}
              />
              {t('composer.variantFor', { network: NETWORK_NAMES[n] })}
            </label>
          ))}
        </fieldset>
      )}
      {variantNetworks.map((n) => (
        <section
          key={n}
          className="compose-variant"
          aria-label={t('composer.variantFor', { network: NETWORK_NAMES[n] })}
        >
          <h3 className="compose-variant-title">{t('composer.variantFor', { network: NETWORK_NAMES[n] })}</h3>
          {partsEditor(n)}
        </section>
      ))}
      {!props.edit && (
        <ComposerWhen
          value={when}
          onChange={setWhen}
          targets={targets}
          audienceZones={audienceZones}
          language={props.language}
          now={now}
        />
      )}
      {targets.length > 0 && (state.parts[0]?.text.trim() || networks.some((n) => state.variants[n])) && (
        <details className="compose-previews" onToggle={(e) => setPreviewsOpen(e.currentTarget.open)}>
          <summary>{t('composer.previews')}</summary>
          {/* Rendered only while open: a closed preview costs nothing per keystroke. */}
          {previewsOpen &&
            networks.map((n) => {
              const author = targets.find((a) => a.network === n)!;
              const parts = state.variants[n] ?? state.parts;
              return (
                <section key={n} aria-label={t('composer.previewFor', { network: NETWORK_NAMES[n] })}>
                  <h3 className="compose-variant-title">{NETWORK_NAMES[n]}</h3>
                  {parts.map((p, i) => (
                    <PostPreview key={i} post={previewPost(author, p.text, i)} language={props.language} />
                  ))}
                </section>
              );
            })}
        </details>
      )}
      {draft.status.state === 'failed' && (
        <p className="form-error" role="status">
          {t('composer.draftNotSaved', { reason: describeError(t, draft.status.error, props.language) })}
        </p>
      )}
      <p className="visually-hidden" role="status" data-testid="compose-announce">
        {announcement}
      </p>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </Dialog>
  );
}

/** A post as the network will show it, for the preview. */
function previewPost(account: Account, text: string, i: number): Post {
  return {
    id: `preview:${account.network}:${i}`,
    network: account.network,
    nativeId: `preview-${i}`,
    author: account.profile,
    text: textToPublish(text),
    entities: previewEntities(textToPublish(text), account.network),
    media: [],
    createdAt: new Date().toISOString(),
    url: null,
    metrics: { likes: 0, reposts: 0, replies: 0, quotes: 0, impressions: null },
  };
}
