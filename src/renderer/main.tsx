// The renderer's composition root: transport, API, Dexie, store sync, i18n, React.
import { StrictMode, useEffect } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { resolveLanguage } from '../shared/settings';
import { archiveOf } from './analytics/archive-store';
import { setAnalyticsStatuses } from './analytics/status';
import { startAnalyticsSync } from './analytics/sync';
import { makeApi } from './api';
import { connectBridge } from './bridge';
import { App } from './components/App';
import { ServicesContext } from './components/context';
import { AppBoundary } from './components/Fallbacks';
import { openDatabase } from './db/database';
import { applyDocumentLanguage, createI18n } from './i18n';
import { makeActions } from './state/actions';
import { useAppStore } from './state/store';
import { startSync } from './state/sync';
import './styles.css';

const root = createRoot(document.getElementById('root')!);

async function boot() {
  const bridge = connectBridge();
  const api = makeApi(bridge);
  const db = openDatabase();
  const info = await api('app.info', {});
  useAppStore.setState({ info });
  const i18n = createI18n(resolveLanguage('system', info.osLocales));
  startSync(bridge, api, db);
  startAnalyticsSync(bridge, api, archiveOf(db), setAnalyticsStatuses);
  const services = { actions: makeActions(api, db), db };

  function LanguageFollower() {
    const setting = useAppStore((s) => s.settings.language);
    useEffect(() => {
      const language = resolveLanguage(setting, info.osLocales);
      void i18n.changeLanguage(language);
      applyDocumentLanguage(language);
    }, [setting]);
    return null;
  }

  root.render(
    <StrictMode>
      <I18nextProvider i18n={i18n}>
        <ServicesContext.Provider value={services}>
          <LanguageFollower />
          <AppBoundary>
            <App />
          </AppBoundary>
        </ServicesContext.Provider>
      </I18nextProvider>
    </StrictMode>,
  );
}

boot().catch((err: unknown) => {
  const message = err instanceof Error ? err.message : String(err);
  const p = document.createElement('p');
  p.className = 'splash error';
  p.textContent = `Colonnade could not start: ${message}`;
  document.getElementById('root')!.replaceChildren(p);
});
