// The charts the analytics view mounts (PostHistory, ProfileOverview, HashtagAnalytics: their own
// files in this folder), loaded when first shown, since a chart library is large, and each behind
// a boundary: a chart that fails says so in words and the rest of the view keeps working.
import { lazy, Suspense, type ComponentProps, type ReactNode } from 'react';
import { ErrorBoundary } from 'react-error-boundary';
import { useTranslation } from 'react-i18next';

const LazyPostHistory = lazy(() => import('./PostHistory').then((m) => ({ default: m.PostHistory })));
const LazyProfileOverview = lazy(() => import('./ProfileOverview').then((m) => ({ default: m.ProfileOverview })));
const LazyHashtagAnalytics = lazy(() => import('./HashtagAnalytics').then((m) => ({ default: m.HashtagAnalytics })));

function ChartSlot(props: { children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <ErrorBoundary
      fallbackRender={({ resetErrorBoundary }) => (
        <div className="analytics-chart-failed" role="alert">
          <p>{t('analyticsView.chartFailed')}</p>
          <button type="button" onClick={resetErrorBoundary}>
            {t('app.tryAgain')}
          </button>
        </div>
      )}
      onError={(error) => console.error('An analytics chart could not be shown', error)}
    >
      <Suspense fallback={<p className="analytics-note">{t('analyticsView.chartLoading')}</p>}>
        {props.children}
      </Suspense>
    </ErrorBoundary>
  );
}

export function PostHistorySlot(props: ComponentProps<typeof LazyPostHistory>) {
  return (
    <ChartSlot>
      <LazyPostHistory {...props} />
    </ChartSlot>
  );
}

export function ProfileOverviewSlot(props: ComponentProps<typeof LazyProfileOverview>) {
  return (
    <ChartSlot>
      <LazyProfileOverview {...props} />
    </ChartSlot>
  );
}

export function HashtagAnalyticsSlot(props: ComponentProps<typeof LazyHashtagAnalytics>) {
  return (
    <ChartSlot>
      <LazyHashtagAnalytics {...props} />
    </ChartSlot>
  );
}
