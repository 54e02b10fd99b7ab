// Post now, as one profile, with the network's own length count. (Drafts, several profiles at
// once, images, the outbox and scheduling come with the composer proper.)
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAppStore } from '../state/store';
import { useServices } from './context';
import { Dialog } from './Dialog';
import { useDialogAction } from './use-dialog-action';
import { ProfileSelect } from './ProfileSelect';
import { measureText } from '../../shared/text-length';

export function ComposeDialog(props: { onClose: () => void; language: string }) {
  const { t } = useTranslation();
  const { actions } = useServices();
  const accounts = useAppStore((s) => s.accounts);
  const [profileId, setProfileId] = useState(accounts[0]?.profile.id ?? '');
  const account = accounts.find((a) => a.profile.id === profileId);
  const [text, setText] = useState('');
  // The composer retries nothing by itself: its failures say so (no "Retrying…").
  const { busy, error, setError, run } = useDialogAction(props.language, 'composer', account?.network);
  // One key per post being written: a retry after an uncertain failure cannot post twice.
  const [idempotencyKey, setKey] = useState(() => crypto.randomUUID());
  // Counted as the network counts; the counter shows the limit that binds (Bluesky: bytes when
  // emoji fill the 3,000 bytes before the 300 graphemes), turns red at 90 %, and Post is off past it.
  const measure = useMemo(() => (account ? measureText(text, account.textRules) : null), [account, text]);
  const over = measure?.over ?? false;
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

  const submit = async () => {
    if (!text.trim()) return setError(t('compose.empty'));
    if (over && binding) {
      return setError(
        t(binding.unit === 'bytes' ? 'compose.tooLongBytes' : 'compose.tooLong', { max: countParams.max }),
      );
    }
    await run(async () => {
      await actions.publish(profileId, text.trim(), idempotencyKey);
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
      submitDisabled={busy || over}
    >
      <ProfileSelect accounts={accounts} value={profileId} onChange={setProfileId} />
      <label className="field">
        <span>{t('compose.text')}</span>
        <textarea
          rows={5}
          dir="auto"
          value={text}
          onChange={(e) => setText(e.target.value)}
          aria-describedby="compose-count"
        />
      </label>
      <p
        id="compose-count"
        className={`counter${over ? ' error' : measure?.near ? ' near' : ''}`}
        aria-live="polite"
        title={measure?.near ? t('compose.nearLimit') : undefined}
      >
        {countText}
      </p>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </Dialog>
  );
}
