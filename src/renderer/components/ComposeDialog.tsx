// Post now, as one profile, with the network's own length count: a new post, or a reply to or a
// quote of a post, shown read-only above the text, as one of the CM's profiles on that post's
// network. (Drafts, several profiles at once, images, the outbox and scheduling come with the
// composer proper.)
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAppStore } from '../state/store';
import { useServices } from './context';
import { Dialog } from './Dialog';
import { useDialogAction } from './use-dialog-action';
import { ProfileSelect } from './ProfileSelect';
import { measureText, textToPublish } from '../../shared/text-length';
import { NETWORK_NAMES, type NetworkId, type Post } from '../../shared/model';
import { PostPreview } from './PostCard';
import { spokenName } from './post-text';

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
 * or quotes (at most one of them), shown above the text; the post goes out as one of the CM's
 * profiles on its network, `profileId` first (the column's acting profile), else the first of them.
 */
export function ComposeDialog(props: {
  onClose: () => void;
  language: string;
  initialText?: string;
  replyTo?: Post | undefined;
  quoteOf?: Post | undefined;
  profileId?: string | null | undefined;
}) {
  const { t } = useTranslation();
  const { actions } = useServices();
  const all = useAppStore((s) => s.accounts);
  const context = props.replyTo ?? props.quoteOf;
  const mode = props.replyTo ? 'reply' : props.quoteOf ? 'quote' : 'new';
  // A reply or a quote goes out on the post's network only.
  const accounts = useMemo(() => (context ? all.filter((a) => a.network === context.network) : all), [all, context]);
  const [profileId, setProfileId] = useState(
    () => accounts.find((a) => a.profile.id === props.profileId)?.profile.id ?? accounts[0]?.profile.id ?? '',
  );
  const account = accounts.find((a) => a.profile.id === profileId);
  const [text, setText] = useState(
    () => props.initialText ?? (props.replyTo ? replyStart(props.replyTo, account?.profile.handle) : ''),
  );
  // The composer retries nothing by itself: its failures say so (no "Retrying…").
  const { busy, error, setError, run } = useDialogAction(props.language, 'composer', account?.network);
  // One key per post being written: a retry after an uncertain failure cannot post twice.
  const [idempotencyKey, setKey] = useState(() => crypto.randomUUID());
  // Counted as the network counts; the counter shows the limit that binds (Bluesky: bytes when
  // emoji fill the 3,000 bytes before the 300 graphemes), turns red at 90 %, and Post is off past it.
  // Measured as sent: the text without its outer blanks (`textToPublish`, a leading byte order
  // mark with them), which is what `submit` publishes.
  const sent = textToPublish(text);
  const measure = useMemo(() => (account ? measureText(sent, account.textRules) : null), [account, sent]);
  const over = measure?.over ?? false;
  // A character the network refuses whatever the length (X: a byte order mark inside the text):
  // named, with where it is, and Post is off, though the count is within the limit.
  const refused = measure?.refused[0];
  const refusedText = refused
    ? t('reasons.invalid-character', { code: refused.code, character: refused.key, position: refused.position })
    : '';
  const numbers = new Intl.NumberFormat(props.language);
  const binding = measure?.binding;
  const countParams = { length: numbers.format(binding?.length ?? 0), max: numbers.format(binding?.max ?? 0) };
  const countText = !binding
    ? ''
    : binding.unit === 'bytes'
      ? t('compose.countBytes', countParams)
      : (measure?.limits.length ?? 0) > 1
        ? t('compose.countCharacters', countParams)
        : t('compose.count', countParams);

  // Past the limit, the words say why Post is off ("Too long for Bluesky: 3,025 / 3,000 bytes"),
  // beside the counter and tied to the text box. The counter itself is not a live region (it
  // would speak at every key); a separate status speaks once when the text crosses into "near"
  // or "over", and when it is back within the limit.
  const unitCount = !binding
    ? ''
    : binding.unit === 'bytes'
      ? t('compose.countBytes', countParams)
      : t('compose.countCharacters', countParams);
  const overText =
    over && account ? t('compose.overLimit', { network: NETWORK_NAMES[account.network], amount: unitCount }) : '';
  const level: LimitLevel = over ? 'over' : measure?.near ? 'near' : 'ok';
  const [announcement, setAnnouncement] = useState('');
  const lastLevel = useRef<LimitLevel>(level);
  useEffect(() => {
    if (level === lastLevel.current) return;
    const was = lastLevel.current;
    lastLevel.current = level;
    setAnnouncement(
      level === 'over'
        ? overText
        : level === 'near'
          ? was === 'ok'
            ? t('compose.nearAnnounce', { amount: unitCount })
            : t('compose.backWithin', { amount: unitCount })
          : was === 'over'
            ? t('compose.backWithin', { amount: unitCount })
            : '',
    );
    // Only a change of level speaks: the words of that moment, not every count after it.
  }, [level, overText, t, unitCount]);
  // A reply or a quote has its profile chosen already: the text takes focus, the caret after the
  // handle a reply starts with. (This runs after Dialog's `showModal`, which focuses the first
  // control: a child's effects run before its parent's.)
  const textBox = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    const box = textBox.current;
    if (!context || !box) return;
    box.focus();
    box.setSelectionRange(box.value.length, box.value.length);
    // Only on opening.
  }, []);
  const describedBy = ['compose-count', over ? 'compose-over' : null, refused ? 'compose-refused' : null]
    .filter(Boolean)
    .join(' ');

  const submit = async () => {
    if (context && !account) return setError(t('compose.noProfile', { network: NETWORK_NAMES[context.network] }));
    if (!sent) return setError(t('compose.empty'));
    if (refused) return setError(refusedText);
    if (over && binding) {
      return setError(
        t(binding.unit === 'bytes' ? 'compose.tooLongBytes' : 'compose.tooLong', { max: countParams.max }),
      );
    }
    await run(async () => {
      await actions.publish(profileId, sent, idempotencyKey, {
        replyTo: props.replyTo?.id,
        quoteOf: props.quoteOf?.id,
      });
      setText('');
      setKey(crypto.randomUUID());
      props.onClose();
    });
  };

  return (
    <Dialog
      title={context ? t(`compose.${mode}Title`, { name: spokenName(context.author) }) : t('compose.title')}
      onClose={props.onClose}
      onSubmit={() => void submit()}
      submitLabel={busy ? t('compose.posting') : t(mode === 'new' ? 'compose.post' : `compose.${mode}Send`)}
      submitDisabled={busy || over || !!refused || (!!context && !account)}
    >
      {context && (
        <section className="compose-context" aria-labelledby="compose-context-title">
          <h3 id="compose-context-title" className="compose-context-title">
            {t(`compose.${mode}Context`, { handle: context.author.handle })}
          </h3>
          <PostPreview post={context} language={props.language} />
        </section>
      )}
      {!context ? (
        <ProfileSelect accounts={accounts} value={profileId} onChange={setProfileId} />
      ) : accounts.length > 1 ? (
        <label className="field">
          <span>{t(`compose.${mode}As`)}</span>
          <select value={profileId} onChange={(e) => setProfileId(e.target.value)}>
            {accounts.map((a) => (
              <option key={a.profile.id} value={a.profile.id}>
                @{a.profile.handle}
              </option>
            ))}
          </select>
        </label>
      ) : account ? (
        <p className="compose-as">{t(`compose.${mode}AsOne`, { handle: account.profile.handle })}</p>
      ) : (
        <p className="form-error">{t('compose.noProfile', { network: NETWORK_NAMES[context.network] })}</p>
      )}
      <label className="field">
        <span>{t('compose.text')}</span>
        <textarea
          ref={textBox}
          rows={5}
          dir="auto"
          value={text}
          onChange={(e) => setText(e.target.value)}
          aria-describedby={describedBy}
          aria-invalid={over || !!refused}
        />
      </label>
      <div className="counter-row">
        {over && (
          <p id="compose-over" className="counter-why">
            {overText}
          </p>
        )}
        <p
          id="compose-count"
          className={`counter${over || refused ? ' error' : measure?.near ? ' near' : ''}`}
          title={measure?.near ? t('compose.nearLimit') : undefined}
        >
          {countText}
        </p>
      </div>
      <p className="visually-hidden" role="status" data-testid="compose-announce">
        {announcement}
      </p>
      {refused && !error && (
        <p id="compose-refused" className="form-error" role="alert">
          {refusedText}
        </p>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </Dialog>
  );
}
