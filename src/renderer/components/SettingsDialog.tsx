import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LANGUAGES, resolveLanguage, type Settings } from '../../shared/settings';
import { useAppStore } from '../state/store';
import { useServices } from './context';
import { Dialog } from './Dialog';
import { describeThrown } from './errors';

export function SettingsDialog(props: { onClose: () => void; language: string }) {
  const { t } = useTranslation();
  const { actions } = useServices();
  const settings = useAppStore((s) => s.settings);
  const osLocales = useAppStore((s) => s.info?.osLocales ?? []);
  const [error, setError] = useState<string | null>(null);
  const systemLanguage = t(`settings.languages.${resolveLanguage('system', osLocales)}`);
  return (
    <Dialog title={t('settings.title')} onClose={props.onClose}>
      <label className="field">
        <span>{t('settings.language')}</span>
        <select
          value={settings.language}
          onChange={(e) =>
            void actions
              .updateSettings({ language: e.target.value as Settings['language'] })
              .catch((err: unknown) => setError(describeThrown(t, err, props.language)))
          }
        >
          <option value="system">{t('settings.system', { language: systemLanguage })}</option>
          {LANGUAGES.map((l) => (
            <option key={l} value={l} lang={l}>
              {t(`settings.languages.${l}`)}
            </option>
          ))}
        </select>
      </label>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </Dialog>
  );
}
