// Post now, as one profile, with the network's own length count. (Drafts, several profiles at
// once, images, the outbox and scheduling come with the composer proper.)
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAppStore } from '../state/store';
import { useServices } from './context';
import { Dialog } from './Dialog';
import { useDialogAction } from './use-dialog-action';
import { ProfileSelect } from './ProfileSelect';
import { countText } from './text-count';

export function ComposeDialog(props: { onClose: () => void; language: string }) {
  const { t } = useTranslation();
  const { actions } = useServices();
  const accounts = useAppStore((s) => s.accounts);
  const [profileId, setProfileId] = useState(accounts[0]?.profile.id ?? '');
  const account = accounts.find((a) => a.profile.id === profileId);
  const [text, setText] = useState('');
  const { busy, error, setError, run } = useDialogAction(props.language);
  // One key per post being written: a retry after an uncertain failure cannot post twice.
  const [idempotencyKey, setKey] = useState(() => crypto.randomUUID());
  const length = useMemo(() => (account ? countText(text, account.textRules) : 0), [account, text]);
  const max = account?.textRules.maxLength ?? 0;
  const over = length > max;

  const submit = async () => {
    if (!text.trim()) return setError(t('compose.empty'));
    if (over) return setError(t('compose.tooLong', { max }));
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
        <textarea rows={5} value={text} onChange={(e) => setText(e.target.value)} aria-describedby="compose-count" />
      </label>
      <p id="compose-count" className={`counter${over ? ' error' : ''}`} aria-live="polite">
        {t('compose.count', { length, max })}
      </p>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </Dialog>
  );
}
