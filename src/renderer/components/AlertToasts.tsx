// Alerts in the page (issue 7, "Alert rules"): what main fires ('alert.fired', kept in the store
// by sync.ts) shows as toasts in a polite live region, each with "Show" (its post, in its column)
// and "Dismiss"; the top bar's Alerts button carries the count not yet seen (main's tray badge)
// and opens the list of this window's alerts. Opening the list, showing an alert, or the window
// coming back into focus tells main the CM has seen them (`alerts.seen`, through `seeAlerts`).
import { Bell, X } from 'lucide-react';
import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { dismissAlert, showInColumn, useAppStore, type PageAlert } from '../state/store';
import { useServices } from './context';
import { Dialog } from './Dialog';
import { formatTime } from './time';
import { ToolBadge } from './ToolBadge';
import './alerts.css';

/** How many toasts stand at once (the newest); the others wait in the list. */
export const TOASTS_SHOWN = 3;

/** "Show" and "seen", as the toasts and the list do them. */
function useAlertActions() {
  const { actions } = useServices();
  const [gone, setGone] = useState<ReadonlySet<string>>(new Set());
  const seen = () => {
    if (useAppStore.getState().alertsUnseen === 0) return;
    actions.seeAlerts().catch((err: unknown) => console.warn('alerts.seen failed', err));
  };
  /** Bring the alert's column forward and ask it for the post; false when the column is gone. */
  const show = async (alert: PageAlert) => {
    seen();
    const shown = await showInColumn(actions.activateDeck, alert.columnId, alert.postId);
    if (!shown) setGone((g) => new Set(g).add(alert.id));
    return shown;
  };
  return { seen, show, gone };
}

/** One alert: its title, its words (any direction), when, and what can be done with it. */
function AlertItem(props: {
  alert: PageAlert;
  language: string;
  gone: boolean;
  onShow(): void;
  onDismiss?: () => void;
  dismissRef?: (el: HTMLButtonElement | null) => void;
}) {
  const { t } = useTranslation();
  const { alert } = props;
  const titleId = useId();
  const bodyId = useId();
  return (
    <li className="alert-item" aria-labelledby={titleId} data-column-id={alert.columnId} data-post-id={alert.postId}>
      <p className="alert-title">
        <span id={titleId} dir="auto">
          {alert.title}
        </span>{' '}
        <time dateTime={alert.at}>{formatTime(alert.at, props.language)}</time>
      </p>
      <p id={bodyId} className="alert-body" dir="auto">
        {alert.body}
      </p>
      {props.gone && <p className="form-error small">{t('alertList.gone')}</p>}
      <div className="alert-actions">
        <button type="button" aria-describedby={`${titleId} ${bodyId}`} disabled={props.gone} onClick={props.onShow}>
          {t('alertList.show')}
        </button>
        {props.onDismiss && (
          <button
            type="button"
            ref={props.dismissRef}
            aria-describedby={`${titleId} ${bodyId}`}
            onClick={props.onDismiss}
          >
            <X size={14} aria-hidden="true" /> {t('alertList.dismiss')}
          </button>
        )}
      </div>
    </li>
  );
}

/** Every alert of this window, newest first: opening it is seeing them. */
export function AlertListDialog(props: { onClose(): void; language: string }) {
  const { t } = useTranslation();
  const alerts = useAppStore((s) => s.alerts);
  const { seen, show, gone } = useAlertActions();
  // Opening the list is seeing the alerts (and so is every alert that arrives while it is open).
  const unseen = useAppStore((s) => s.alertsUnseen);
  useEffect(() => {
    if (unseen > 0) seen();
  });
  return (
    <Dialog title={t('alertList.title')} onClose={props.onClose}>
      {alerts.length === 0 ? (
        <p className="muted">{t('alertList.empty')}</p>
      ) : (
        <ul className="alert-list">
          {alerts.map((a) => (
            <AlertItem
              key={a.id}
              alert={a}
              language={props.language}
              gone={gone.has(a.id)}
              onShow={() => {
                void show(a).then((shown) => {
                  if (!shown) return;
                  dismissAlert(a.id);
                  props.onClose();
                });
              }}
            />
          ))}
        </ul>
      )}
    </Dialog>
  );
}

/**
 * The top bar's Alerts button: the count not yet seen as a badge (its name says it in words), and
 * the list of alerts when pressed.
 */
export function AlertsButton(props: { language: string }) {
  const { t } = useTranslation();
  const unseen = useAppStore((s) => s.alertsUnseen);
  const [open, setOpen] = useState(false);
  const label = unseen > 0 ? t('alertList.openUnseen', { count: unseen }) : t('alertList.open');
  return (
    <>
      <button
        type="button"
        className="tool alerts-button"
        aria-label={label}
        title={label}
        onClick={() => setOpen(true)}
      >
        <Bell size={16} aria-hidden="true" />
        <span className="tool-label">{t('alertList.open')}</span>
        <ToolBadge count={unseen} language={props.language} />
      </button>
      {open && <AlertListDialog onClose={() => setOpen(false)} language={props.language} />}
    </>
  );
}

/**
 * The toasts: the newest alerts not dismissed, in a polite live region (a screen reader says each
 * new one once it is free). They stay until dismissed or shown: nothing leaves on a timer.
 */
export function AlertToasts(props: { language: string }) {
  const { t } = useTranslation();
  const alerts = useAppStore((s) => s.alerts);
  const { seen, show, gone } = useAlertActions();
  const [listOpen, setListOpen] = useState(false);
  const dismissButtons = useRef(new Map<string, HTMLButtonElement>());
  const waiting = alerts.filter((a) => !a.dismissed);
  const shown = waiting.slice(0, TOASTS_SHOWN);
  const more = waiting.length - shown.length;

  // The window coming back into focus: the CM is looking, the alerts are seen.
  const seenRef = useRef(seen);
  seenRef.current = seen;
  useEffect(() => {
    const onFocus = () => seenRef.current();
    window.addEventListener('focus', onFocus);
    return () => window.removeEventListener('focus', onFocus);
  }, []);

  /** Focus, which was on the dismissed toast, goes to the next toast's Dismiss, else the deck. */
  const dismiss = (id: string) => {
    const rest = shown.filter((a) => a.id !== id);
    const index = shown.findIndex((a) => a.id === id);
    const nextId = (rest[Math.min(index, rest.length - 1)] ?? waiting[TOASTS_SHOWN])?.id;
    dismissAlert(id);
    requestAnimationFrame(() =>
      ((nextId ? dismissButtons.current.get(nextId) : undefined) ?? document.getElementById('deck-panel'))?.focus(),
    );
  };

  return (
    <>
      <div className="alert-toasts">
        {/* Only the toasts are live: the "more" line below changes too often to be read out. */}
        <div role="log" aria-live="polite" aria-label={t('alertList.region')}>
          {shown.length > 0 && (
            <ul className="alert-list">
              {shown.map((a) => (
                <AlertItem
                  key={a.id}
                  alert={a}
                  language={props.language}
                  gone={gone.has(a.id)}
                  onShow={() => void show(a).then((ok) => ok && dismissAlert(a.id))}
                  onDismiss={() => dismiss(a.id)}
                  dismissRef={(el) => {
                    if (el) dismissButtons.current.set(a.id, el);
                    else dismissButtons.current.delete(a.id);
                  }}
                />
              ))}
            </ul>
          )}
        </div>
        {(more > 0 || shown.length > 1) && (
          <p className="alert-toasts-more">
            {more > 0 && (
              <>
                <span>{t('alertList.more', { count: more })}</span>
                <button type="button" onClick={() => setListOpen(true)}>
                  {t('alertList.seeAll')}
                </button>
              </>
            )}
            <button
              type="button"
              onClick={() => {
                dismissAlert();
                document.getElementById('deck-panel')?.focus();
              }}
            >
              {t('alertList.dismissAll')}
            </button>
          </p>
        )}
      </div>
      {listOpen && <AlertListDialog onClose={() => setListOpen(false)} language={props.language} />}
    </>
  );
}
