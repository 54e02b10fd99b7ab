// The profile a column reads as, or a post goes out as.
import { useTranslation } from 'react-i18next';
import type { Account } from '../../shared/model';

export function ProfileSelect(props: { accounts: Account[]; value: string; onChange(profileId: string): void }) {
  const { t } = useTranslation();
  return (
    <label className="field">
      <span>{t('columns.profile')}</span>
      <select value={props.value} onChange={(e) => props.onChange(e.target.value)}>
        {props.accounts.map((a) => (
          <option key={a.profile.id} value={a.profile.id}>
            @{a.profile.handle} ({a.network === 'sandbox' ? 'Sandbox' : a.network})
          </option>
        ))}
      </select>
    </label>
  );
}
