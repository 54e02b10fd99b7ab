// "Import an archive…" (issue 9, "History beyond what the networks serve"): an X data archive
// (.zip, or its data/tweets.js) or a Mastodon archive (.zip, or its outbox.json) goes into the
// analytics archive, read in a Web Worker (import-archive.ts) so the window stays responsive, with
// a progress bar (determinate once the archive says how many items it holds, else by bytes read),
// Cancel (what was saved stays: importing again completes it), and at the end a report in words:
// posts imported, already there, completed, reposts and direct messages left out, and every
// problem with where it is and why. The import belongs to the window, not to the view: closing
// Analytics leaves it running, and reopening shows its progress or its report. An import the
// window did not see end (a reload, a crash) is said when Analytics next opens: what was saved
// stays, and importing the file again completes it (nothing is imported twice).
import { useEffect, useRef } from 'react';
import { create } from 'zustand';
import { useTranslation } from 'react-i18next';
import { NETWORK_NAMES } from '../../../shared/model';
import type { AnalyticsArchive } from '../../analytics/archive-store';
import { describeImportError, describePlace, describeProblem } from '../../analytics/import/describe';
import type { ImportProgress, ImportReport } from '../../analytics/import/types';
import { useAppStore } from '../../state/store';
import { useArchiveImporter } from './analytics-services';

type ImportState =
  | { phase: 'idle' }
  | { phase: 'running'; file: string; progress: ImportProgress | null }
  | { phase: 'done'; file: string; report: ImportReport }
  | { phase: 'failed'; file: string; message: string }
  | { phase: 'interrupted'; file: string; startedAt: number };

/** The window's archive import (one at a time), whether the view is open or not. */
export const useArchiveImport = create<{ state: ImportState; cancel: AbortController | null }>(() => ({
  state: { phase: 'idle' },
  cancel: null,
}));

/** The `analyticsCache` row that says an import is under way (removed when it ends, whatever the end). */
const RUNNING_KEY = 'import-running';

/** The bar's value and maximum: items when the archive counts them, else bytes read; null while unknown. */
export function progressOf(p: ImportProgress | null): { value: number; max: number } | null {
  if (!p) return null;
  if (p.itemsTotal !== null && p.itemsTotal > 0)
    return { value: Math.min(p.itemsDone, p.itemsTotal), max: p.itemsTotal };
  if (p.bytesTotal > 0) return { value: Math.min(p.bytesDone, p.bytesTotal), max: p.bytesTotal };
  return null;
}

export function ImportArchive(props: { archive: AnalyticsArchive; language: string }) {
  const { t } = useTranslation();
  const importer = useArchiveImporter();
  const accounts = useAppStore((s) => s.accounts);
  const state = useArchiveImport((s) => s.state);
  const setState = (next: ImportState) => useArchiveImport.setState({ state: next });
  const input = useRef<HTMLInputElement>(null);
  const numbers = new Intl.NumberFormat(props.language);
  const cache = props.archive.db.analyticsCache;

  // An import this window did not see end: said once, when nothing else is shown.
  useEffect(() => {
    void cache
      .get(RUNNING_KEY)
      .then((row) => {
        const marker = row?.data as { file?: unknown; startedAt?: unknown } | undefined;
        if (useArchiveImport.getState().state.phase !== 'idle' || typeof marker?.file !== 'string') return;
        useArchiveImport.setState({
          state: { phase: 'interrupted', file: marker.file, startedAt: Number(marker.startedAt) || 0 },
        });
      })
      .catch(() => undefined);
  }, [cache]);

  const start = async (file: File) => {
    const controller = new AbortController();
    useArchiveImport.setState({ state: { phase: 'running', file: file.name, progress: null }, cancel: controller });
    await cache.put({ key: RUNNING_KEY, version: 0, data: { file: file.name, startedAt: Date.now() } }).catch(() => {});
    try {
      const report = await importer(file, {
        store: props.archive,
        signal: controller.signal,
        knownProfiles: accounts.map((a) => ({ id: a.profile.id, network: a.network, handle: a.profile.handle })),
        onProgress: (progress) =>
          useArchiveImport.setState((s) =>
            s.state.phase === 'running' && s.cancel === controller ? { state: { ...s.state, progress } } : s,
          ),
      });
      setState({ phase: 'done', file: file.name, report });
    } catch (error) {
      setState({ phase: 'failed', file: file.name, message: describeImportError(t, error) });
    } finally {
      if (useArchiveImport.getState().cancel === controller) useArchiveImport.setState({ cancel: null });
      await cache.delete(RUNNING_KEY).catch(() => undefined);
    }
  };
  const dismiss = () => {
    setState({ phase: 'idle' });
    void cache.delete(RUNNING_KEY).catch(() => undefined);
  };

  const bar = state.phase === 'running' ? progressOf(state.progress) : null;
  const running = state.phase === 'running';

  return (
    <div className="analytics-import">
      <button type="button" onClick={() => input.current?.click()} disabled={running}>
        {t('analyticsView.import.button')}
      </button>
      <input
        ref={input}
        type="file"
        hidden
        accept=".zip,.js,.json,application/zip,application/json,text/javascript"
        aria-label={t('analyticsView.import.button')}
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          if (file) void start(file);
        }}
      />
      {state.phase === 'running' && (
        <div className="analytics-import-progress" role="group" aria-label={t('analyticsView.import.progressLabel')}>
          <progress
            aria-label={t('analyticsView.import.progressOf', { file: state.file })}
            {...(bar ? { value: bar.value, max: bar.max } : {})}
          />
          <span className="small">
            {state.progress === null
              ? t('analyticsView.import.starting', { file: state.file })
              : t(state.progress.phase === 'reading' ? 'analyticsView.import.reading' : 'analyticsView.import.saving', {
                  file: state.progress.file,
                  saved: numbers.format(state.progress.postsSaved),
                  count: state.progress.postsSaved,
                })}
          </span>
          <button type="button" onClick={() => useArchiveImport.getState().cancel?.abort()}>
            {t('analyticsView.import.cancel')}
          </button>
        </div>
      )}
      {(state.phase === 'done' || state.phase === 'failed') && (
        <div className={`analytics-import-report${state.phase === 'failed' ? ' failed' : ''}`} role="status">
          {state.phase === 'done' ? (
            <ImportReportWords report={state.report} file={state.file} language={props.language} />
          ) : (
            <p>
              <strong>{state.file}</strong>
              {t('analyticsView.import.colon')}
              {state.message}
            </p>
          )}
          <button type="button" className="link" onClick={dismiss}>
            {t('analyticsView.import.dismiss')}
          </button>
        </div>
      )}
      {state.phase === 'interrupted' && (
        <div className="analytics-import-report failed" role="status">
          <p>{t('analyticsView.import.interrupted', { file: state.file })}</p>
          <button type="button" className="link" onClick={dismiss}>
            {t('analyticsView.import.dismiss')}
          </button>
        </div>
      )}
    </div>
  );
}

/** What an import did, in sentences: what was kept, what was there, what was left out, and each problem. */
export function ImportReportWords(props: { report: ImportReport; file: string; language: string }) {
  const { t } = useTranslation();
  const { report } = props;
  const n = (count: number) => new Intl.NumberFormat(props.language).format(count);
  const lines = [
    t('analyticsView.import.imported', { count: report.postsImported, n: n(report.postsImported) }),
    t('analyticsView.import.duplicates', { count: report.duplicates, n: n(report.duplicates) }),
    report.postsUpdated > 0
      ? t('analyticsView.import.updated', { count: report.postsUpdated, n: n(report.postsUpdated) })
      : null,
    t('analyticsView.import.reposts', { count: report.skippedReposts, n: n(report.skippedReposts) }),
    report.skippedPrivate > 0
      ? t('analyticsView.import.private', { count: report.skippedPrivate, n: n(report.skippedPrivate) })
      : null,
  ].filter((l): l is string => l !== null);
  const problems = report.problems.length + report.problemsOmitted;
  return (
    <>
      <p>
        <strong>
          {t('analyticsView.import.doneTitle', {
            file: props.file,
            handle: report.profile.handle,
            network: NETWORK_NAMES[report.network],
          })}
        </strong>
      </p>
      <ul className="analytics-import-counts">
        {lines.map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
      {problems === 0 ? (
        <p>{t('analyticsView.import.noProblems')}</p>
      ) : (
        <>
          <p>{t('analyticsView.import.problems', { count: problems, n: n(problems) })}</p>
          <ul className="analytics-import-problems">
            {report.problems.map((p, i) => (
              <li key={i}>
                <span className="analytics-import-where" dir="auto">
                  {describePlace(t, p)}
                </span>
                {t('analyticsView.import.problemSep')}
                {describeProblem(t, p)}
              </li>
            ))}
          </ul>
          {report.problemsOmitted > 0 && (
            <p>
              {t('analyticsView.import.moreProblems', { count: report.problemsOmitted, n: n(report.problemsOmitted) })}
            </p>
          )}
        </>
      )}
    </>
  );
}
