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
import { checkHashtag } from '../../shared/hashtag-rules';
import { canMonitor, EMPTY_MONITOR } from './monitor-form';
import { hashtagRefusalText, MonitorFields } from './MonitorFields';
import { useMonitorDraft } from './use-monitor-draft';

export function AddColumnDialog(props: { onClose: () => void; language: string }) {
  const { t } = useTranslation();
  const { actions } = useServices();
  const accounts = useAppStore((s) => s.accounts);
  const [profileId, setProfileId] = useState(accounts[0]?.profile.id ?? '');
  const account = accounts.find((a) => a.profile.id === profileId);
  // A Monitor is offered (last) whenever some profile can search hashtags or keywords, whichever
  // profile is chosen: it runs on several (main checks each one's `hashtag`/`search` kinds).
  const anyMonitor = accounts.some(canMonitor);
  // Drafts and analytics are this computer's, whichever profile: offered with every one.
  const kinds: ColumnKind[] = [
    ...(account?.columnKinds ?? []).filter(
      (k) => k !== 'monitor' && k !== 'drafts' && k !== 'scheduled' && k !== 'analytics',
    ),
    ...(anyMonitor ? (['monitor'] as const) : []),
    'drafts',
    'analytics',
  ];
  const [kind, setKind] = useState<ColumnKind>(kinds[0] ?? 'home');
  const [query, setQuery] = useState('');
  const { busy, error, setError, run } = useDialogAction(props.language);
  const monitor = useMonitorDraft(EMPTY_MONITOR, {
    accounts,
    language: props.language,
    onEdit: () => setError(null),
  });
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
      const watched = monitor.read();
      if (!watched) return;
      await run(async () => {
        await actions.addColumn({ kind: 'monitor', profileId: watched.profileIds[0]!, monitor: watched });
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
    // A hashtag the profile's network would never attach to a post ("#2024" on X) is said here,
    // before a column that would stay empty for ever is made (hashtag-rules.ts).
    if (kind === 'hashtag' && account) {
      const checked = checkHashtag(query.trim(), [account.network]);
      if (!checked.ok) {
        setError(hashtagRefusalText(t, props.language, query.trim(), checked.refusal));
        return;
      }
    }
    await run(async () => {
      const label = kind === 'list' ? lists?.find((l) => l.id === query)?.name : undefined;
      await actions.addColumn({
        kind,
        profileId,
        // Main stores a hashtag without its '#'; a full-width '＃' (typed on a Japanese keyboard) is one too.
        ...(needsQuery ? { query: kind === 'hashtag' ? query.trim().replace(/^＃/u, '#') : query.trim() } : {}),
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
      {/* A monitor picks its profiles below; an Analytics column shows every profile's posts. */}
      {kind !== 'monitor' && kind !== 'analytics' && (
        <ProfileSelect accounts={accounts} value={profileId} onChange={setProfileId} />
      )}
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
                if (k === 'monitor' && monitor.draft.profileIds.length === 0 && account && canMonitor(account))
                  monitor.setDraft({ ...monitor.draft, profileIds: [account.profile.id] });
              }}
            />
            <span className="kind-name">{t(`columns.kind.${k}`)}</span>
            <span className="kind-help">{t(`columns.kindHelp.${k}`)}</span>
          </label>
        ))}
      </fieldset>
      {kind === 'monitor' && <MonitorFields {...monitor.fields} />}
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
