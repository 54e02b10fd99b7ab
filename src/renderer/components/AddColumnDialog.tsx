// The column picker: a profile, one of the column types it offers, and a query where the type needs one;
// or a Monitor: one query over several profiles on any networks (MonitorFields).
import { useEffect, useState } from 'react';
import type { ListInfo } from '../../shared/adapter';
import { useTranslation } from 'react-i18next';
import { hashtagHasSpace, QUERY_KINDS, type ColumnKind } from '../../shared/model';
import { useAppStore } from '../state/store';
import { useServices } from './context';
import { Dialog } from './Dialog';
import { useDialogAction } from './use-dialog-action';
import { ProfileSelect } from './ProfileSelect';
import { describeThrown } from './errors';
import { canMonitor, EMPTY_MONITOR, readMonitor, splitItems, type MonitorProblem } from './monitor-form';
import { MonitorFields } from './MonitorFields';

export function AddColumnDialog(props: { onClose: () => void; language: string }) {
  const { t } = useTranslation();
  const { actions } = useServices();
  const accounts = useAppStore((s) => s.accounts);
  const [profileId, setProfileId] = useState(accounts[0]?.profile.id ?? '');
  const account = accounts.find((a) => a.profile.id === profileId);
  // A Monitor is offered (last) whenever some profile can search hashtags or keywords, whichever
  // profile is chosen: it runs on several (main checks each one's `hashtag`/`search` kinds).
  const anyMonitor = accounts.some(canMonitor);
  const kinds: ColumnKind[] = [
    ...(account?.columnKinds ?? []).filter((k) => k !== 'monitor'),
    ...(anyMonitor ? (['monitor'] as const) : []),
  ];
  const [kind, setKind] = useState<ColumnKind>(kinds[0] ?? 'home');
  const [monitor, setMonitor] = useState(EMPTY_MONITOR);
  const [monitorProblem, setMonitorProblem] = useState<MonitorProblem | null>(null);
  const [query, setQuery] = useState('');
  const { busy, error, setError, run } = useDialogAction(props.language);
  const needsQuery = QUERY_KINDS.has(kind);
  const [lists, setLists] = useState<ListInfo[] | null>(null);
  useEffect(() => {
    if (kind !== 'list' || !profileId) return;
    let live = true;
    setLists(null);
    actions.listsFor(profileId).then(
      (found) => {
        if (!live) return;
        setLists(found);
        setQuery(found[0]?.id ?? '');
      },
      (err: unknown) => live && setError(describeThrown(t, err, props.language)),
    );
    return () => {
      live = false;
    };
  }, [actions, kind, profileId, props.language, t]);
  const queryKind = kind as 'hashtag' | 'search' | 'user' | 'list';

  // "#foo bar" is several words, not a hashtag: said before asking main (which refuses it too),
  // with a way to make it a Search column where the profile offers one.
  const spaced = kind === 'hashtag' && hashtagHasSpace(query);
  const canSearch = kinds.includes('search');
  const submit = async () => {
    if (kind === 'monitor') {
      const read = readMonitor(monitor, accounts);
      // A new object each time: the field it names gets focus again.
      if (!read.ok) return setMonitorProblem({ ...read.problem });
      setMonitorProblem(null);
      await run(async () => {
        await actions.addColumn({ kind: 'monitor', profileId: read.query.profileIds[0]!, monitor: read.query });
        props.onClose();
      });
      return;
    }
    if (needsQuery && query.trim().replace(/^[#@]+/, '') === '') {
      setError(t('columns.queryNeeded', { what: t(`columns.query.${queryKind}`) }));
      return;
    }
    if (spaced) {
      setError(t('reasons.hashtag-has-space'));
      return;
    }
    await run(async () => {
      const label = kind === 'list' ? lists?.find((l) => l.id === query)?.name : undefined;
      await actions.addColumn({
        kind,
        profileId,
        ...(needsQuery ? { query: query.trim() } : {}),
        ...(label ? { label } : {}),
      });
      props.onClose();
    });
  };

  return (
    <Dialog
      title={t('columns.addTitle')}
      onClose={props.onClose}
      onSubmit={() => void submit()}
      submitLabel={t('actions.add')}
      submitDisabled={busy}
    >
      {kind !== 'monitor' && <ProfileSelect accounts={accounts} value={profileId} onChange={setProfileId} />}
      <fieldset className="kinds">
        <legend>{t('columns.type')}</legend>
        {kinds.map((k) => (
          <label key={k} className="kind">
            <input
              type="radio"
              name="kind"
              value={k}
              checked={kind === k}
              onChange={() => {
                setKind(k);
                setError(null);
                // A new monitor starts with the profile chosen so far, where it can search.
                if (k === 'monitor' && monitor.profileIds.length === 0 && account && canMonitor(account))
                  setMonitor({ ...monitor, profileIds: [account.profile.id] });
              }}
            />
            <span className="kind-name">{t(`columns.kind.${k}`)}</span>
            <span className="kind-help">{t(`columns.kindHelp.${k}`)}</span>
          </label>
        ))}
      </fieldset>
      {kind === 'monitor' && (
        <MonitorFields
          accounts={accounts}
          draft={monitor}
          onChange={(draft) => {
            setMonitor(draft);
            setMonitorProblem(null);
            setError(null);
          }}
          problem={monitorProblem}
          onKeywordsInstead={(item) => {
            // The several words leave the hashtags and join the keywords, without their '#'.
            const hashtags = splitItems(monitor.hashtags).filter((h) => h !== item);
            const keyword = item.replace(/(^|\s)#+/gu, '$1');
            setMonitor({
              ...monitor,
              hashtags: hashtags.join(', '),
              keywords: [...splitItems(monitor.keywords), keyword].join(', '),
            });
            setMonitorProblem(null);
          }}
          language={props.language}
        />
      )}
      {kind === 'list' && lists !== null && (
        <label className="field">
          <span>{t('columns.listPick')}</span>
          <select value={query} onChange={(e) => setQuery(e.target.value)} disabled={lists.length === 0}>
            {lists.map((l) => (
              <option key={l.id} value={l.id}>
                {l.name}
              </option>
            ))}
          </select>
          {lists.length === 0 && <span className="muted small">{t('columns.noLists')}</span>}
        </label>
      )}
      {needsQuery && kind !== 'list' && (
        <label className="field">
          <span>{t(`columns.query.${queryKind}`)}</span>
          <input
            value={query}
            placeholder={t(`columns.queryPlaceholder.${queryKind}`)}
            onChange={(e) => {
              setQuery(e.target.value);
              setError(null);
            }}
            aria-invalid={error !== null}
            aria-describedby={error ? 'add-column-error' : undefined}
          />
        </label>
      )}
      {error && (
        <p id="add-column-error" className="form-error" role="alert">
          {error}{' '}
          {spaced && canSearch && (
            <button
              type="button"
              onClick={() => {
                setKind('search');
                setQuery(query.trim().replace(/^#+/, ''));
                setError(null);
              }}
            >
              {t('columns.searchInstead', { query: query.trim().replace(/^#+/, '') })}
            </button>
          )}
        </p>
      )}
    </Dialog>
  );
}
