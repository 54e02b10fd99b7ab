import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LANGUAGES, resolveLanguage, type Settings } from '../../shared/settings';
import { useAppStore } from '../state/store';
import { useServices } from './context';
import { Dialog } from './Dialog';
import { describeThrown } from './errors';
import { DEFAULT_CATCH_UP } from '../../shared/outbox';

/**
 * The outbox's catch-up policy: a scheduled post missed while Colonnade was closed (or the
 * computer asleep) goes out late up to this many minutes, and waits for the CM beyond.
 */
function CatchUpField(props: { value: number; onSave(minutes: number): void }) {
  const { t } = useTranslation();
  const [text, setText] = useState(String(props.value));
  const minutes = Number(text);
  const valid = /^\d+$/.test(text.trim()) && minutes >= 0 && minutes <= 7 * 24 * 60;
  return (
    <div className="field">
      <label htmlFor="catch-up-minutes">{t('settings.catchUp')}</label>
      <input
        id="catch-up-minutes"
        type="number"
        min={0}
        max={7 * 24 * 60}
        step={1}
        value={text}
        aria-describedby="catch-up-help"
        aria-invalid={!valid}
        onChange={(e) => setText(e.target.value)}
        onBlur={() => {
          if (valid && minutes !== props.value) props.onSave(minutes);
        }}
      />
      <p id="catch-up-help" className="field-help">
        {valid ? t('settings.catchUpHelp', { count: minutes }) : t('settings.catchUpInvalid')}
      </p>
    </div>
  );
}

/** One empty list (a selector answering a new [] each time would re-render for ever). */
const NO_LOCALES: string[] = [];

export function SettingsDialog(props: { onClose: () => void; language: string }) {
  const { t } = useTranslation();
  const { actions } = useServices();
  const settings = useAppStore((s) => s.settings);
  const osLocales = useAppStore((s) => s.info?.osLocales ?? NO_LOCALES);
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
      <CatchUpField
        value={settings.catchUp?.postLateUpToMinutes ?? DEFAULT_CATCH_UP.postLateUpToMinutes}
        onSave={(minutes) =>
          void actions
            .updateSettings({ catchUp: { postLateUpToMinutes: minutes } })
            .catch((err: unknown) => setError(describeThrown(t, err, props.language)))
        }
      />
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </Dialog>
  );
}
