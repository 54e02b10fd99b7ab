// What the CM sees when a part of the window fails to render (react-error-boundary catches it):
// that part says so in words with a way to try again, and the rest of the deck keeps working.
import type { ReactNode } from 'react';
import { ErrorBoundary, type FallbackProps } from 'react-error-boundary';
import { useTranslation } from 'react-i18next';

/** Catches what its children throw while rendering, logs it and shows `fallback` instead. */
function Boundary(props: { fallback: (p: FallbackProps) => ReactNode; children: ReactNode }) {
  return (
    <ErrorBoundary
      fallbackRender={props.fallback}
      onError={(error) => console.error('A part of the window could not be shown', error)}
    >
      {props.children}
    </ErrorBoundary>
  );
}

/** One column that failed to render: a region still named by its title, with "Try again". */
export function ColumnBoundary(props: { title: string; children: ReactNode }) {
  const { t } = useTranslation();
  const fallback = ({ resetErrorBoundary }: FallbackProps) => (
    <section className="column column-failed" aria-label={props.title}>
      <p className="column-status error" role="alert">
        {t('app.columnFailed', { title: props.title })}
      </p>
      <button type="button" onClick={resetErrorBoundary}>
        {t('app.tryAgain')}
      </button>
    </section>
  );
  return <Boundary fallback={fallback}>{props.children}</Boundary>;
}

/** A dialog whose code or rendering failed (its chunk could not load while the core was away). */
export function DialogBoundary(props: { onClose: () => void; onRetry: () => void; children: ReactNode }) {
  const { t } = useTranslation();
  const fallback = ({ resetErrorBoundary }: FallbackProps) => (
    <div className="banner dialog-failed" role="alert">
      <span>{t('app.dialogFailed')}</span>
      <button
        type="button"
        onClick={() => {
          props.onRetry();
          resetErrorBoundary();
        }}
      >
        {t('app.tryAgain')}
      </button>
      <button type="button" onClick={props.onClose}>
        {t('app.close')}
      </button>
    </div>
  );
  return <Boundary fallback={fallback}>{props.children}</Boundary>;
}

/** The whole window: the last resort, with a reload (main kept everything; nothing is lost). */
export function AppBoundary(props: { children: ReactNode }) {
  const { t } = useTranslation();
  const fallback = () => (
    <div className="splash error" role="alert">
      <p>{t('app.crashed')}</p>
      <button type="button" onClick={() => window.location.reload()}>
        {t('app.reload')}
      </button>
    </div>
  );
  return <Boundary fallback={fallback}>{props.children}</Boundary>;
}
