// Post now, as one profile, with the network's own length count. (Drafts, several profiles at
// once, images, the outbox and scheduling come with the composer proper.)
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAppStore } from '../state/store';
import { useServices } from './context';
import { Dialog } from './Dialog';
import { useDialogAction } from './use-dialog-action';
import { ProfileSelect } from './ProfileSelect';
import { measureText, textToPublish } from '../../shared/text-length';
import { NETWORK_NAMES } from '../../shared/model';

/** Where the text stands: within the limit, near it (90 %), or over it. */
export type LimitLevel = 'ok' | 'near' | 'over';

/** `initialText`: the text the composer opens with (a draft, a reply's start); empty by default. */
export function ComposeDialog(props: { onClose: () => void; language: string; initialText?: string }) {
  const { t } = useTranslation();
  const { actions } = useServices();
  const accounts = useAppStore((s) => s.accounts);
  const [profileId, setProfileId] = useState(accounts[0]?.profile.id ?? '');
  const account = accounts.find((a) => a.profile.id === profileId);
  const [text, setText] = useState(props.initialText ?? '');
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
  const describedBy = ['compose-count', over ? 'compose-over' : null, refused ? 'compose-refused' : null]
    .filter(Boolean)
    .join(' ');

  const submit = async () => {
    if (!sent) return setError(t('compose.empty'));
    if (refused) return setError(refusedText);
    if (over && binding) {
      return setError(
        t(binding.unit === 'bytes' ? 'compose.tooLongBytes' : 'compose.tooLong', { max: countParams.max }),
      );
    }
    await run(async () => {
      await actions.publish(profileId, sent, idempotencyKey);
      setText('');
      setKey(crypto.randomUUID());
      props.onClose();
    });
  };

  return (
    <Dialog
      title={t('compose.title')}
      onClose={props.onClose}
      onSubmit={() => void submit()}
      submitLabel={busy ? t('compose.posting') : t('compose.post')}
      submitDisabled={busy || over || !!refused}
    >
      <ProfileSelect accounts={accounts} value={profileId} onChange={setProfileId} />
      <label className="field">
        <span>{t('compose.text')}</span>
        <textarea
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
