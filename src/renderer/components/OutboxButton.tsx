// The top bar's Outbox button: a badge with the number of posts with a profile that needs the CM
// (failed, held after Colonnade was closed, waiting for a profile to be reconnected; its name
// says it in words), and the Outbox view when pressed, loaded on first opening (it carries the
// calendar and dnd-kit's grid code), as the composer is.
import { Send } from 'lucide-react';
import { lazy, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { attentionCount, useOutboxStore } from '../state/outbox';
import { DialogBoundary } from './Fallbacks';
import { ToolBadge } from './ToolBadge';
import './outbox-button.css';

// A failed load (the core went away) is not cached for good: "Try again" imports it anew.
const loadOutbox = () => lazy(() => import('./OutboxDialog').then((m) => ({ default: m.OutboxDialog })));

export function OutboxButton(props: { language: string; onOpenAccounts(): void }) {
  const { t } = useTranslation();
  const count = useOutboxStore((s) => attentionCount(s.jobs));
  const [open, setOpen] = useState(false);
  const [OutboxDialog, setOutboxDialog] = useState(loadOutbox);
  const label = count > 0 ? t('outbox.openAttention', { count }) : t('outbox.open');
  const close = () => setOpen(false);
  const toAccounts = () => {
    close();
    // Once the Outbox gave focus back to its button, so that closing Accounts returns there.
    requestAnimationFrame(() => props.onOpenAccounts());
  };
  return (
    <>
      <button
        type="button"
        className="tool outbox-button"
        aria-label={label}
        title={label}
        onClick={() => setOpen(true)}
      >
        <Send size={16} aria-hidden="true" />
        <span className="tool-label">{t('outbox.open')}</span>
        <ToolBadge count={count} language={props.language} />
      </button>
      {open && (
        <DialogBoundary onClose={close} onRetry={() => setOutboxDialog(() => loadOutbox())}>
          <Suspense fallback={null}>
            <OutboxDialog onClose={close} onOpenAccounts={toAccounts} language={props.language} />
          </Suspense>
        </DialogBoundary>
      )}
    </>
  );
}
