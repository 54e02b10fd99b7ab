// A Drafts column's body: every draft, newest first, searchable (accents and case aside), each
// opened in the composer where it was left, deleted to a trash it can be restored from for 30
// days; and drafts to and from a spreadsheet (CSV, `;` or `,`) or a JSON file, a bad row said by
// its line with nothing else lost. Live: a draft saved in the composer shows here at once
// (dexie-react-hooks' useLiveQuery).
import { useLiveQuery } from 'dexie-react-hooks';
import { memo, useId, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { NETWORK_NAMES } from '../../shared/model';
import type { Account } from '../../shared/model';
import type { ColonnadeDb } from '../db/database';
import type { Draft } from '../drafts/draft';
import { DraftStore } from '../drafts/draft-store';
import { DraftVersions } from './DraftVersions';
import {
  dateOrderOf,
  decodeCsvBytes,
  importDrafts,
  readDraftsCsv,
  readDraftsJson,
  writeDraftsCsv,
  writeDraftsJson,
  type ImportProblem,
} from '../drafts/draft-files';
import { openComposer, useAppStore } from '../state/store';
import { systemZone } from './outbox-time';
import './drafts.css';

/** Saves `text` as a file the CM picks where to keep (the browser's or Electron's download). */
function download(name: string, type: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function DraftsList(props: { db: ColonnadeDb; language: string }) {
  const { t } = useTranslation();
  const accounts = useAppStore((s) => s.accounts);
  const store = useMemo(() => new DraftStore(props.db), [props.db]);
  const dates = useMemo(
    () => new Intl.DateTimeFormat(props.language, { dateStyle: 'medium', timeStyle: 'short' }),
    [props.language],
  );
  const [search, setSearch] = useState('');
  const [trash, setTrash] = useState(false);
  const [told, setTold] = useState<{ text: string; problems: ImportProblem[] } | null>(null);
  const file = useRef<HTMLInputElement>(null);
  const searchId = useId();
  const drafts = useLiveQuery(() => store.list({ search, deleted: trash, limit: 500 }), [store, search, trash]);
  const profiles = accounts.map((a) => ({ id: a.id, handle: a.profile.handle, network: a.network }));

  const open = (d: Draft) =>
    openComposer({
      draftId: d.id,
      initial: { targets: d.targets, parts: d.content.parts, variants: d.content.variants ?? {}, when: d.when },
    });

  const importFile = async (f: File) => {
    const bytes = await f.arrayBuffer();
    const json = f.name.toLowerCase().endsWith('.json');
    const read = json
      ? readDraftsJson(new TextDecoder().decode(bytes))
      : readDraftsCsv(decodeCsvBytes(bytes), {
          profiles,
          defaultZone: systemZone(),
          // A spreadsheet writes dates as the computer's region does (01/12/2026 is 1 December in France).
          dateOrder: dateOrderOf(navigator.language || props.language),
        });
    const made = await importDrafts(store, read);
    setTold({ text: t('drafts.imported', { count: made.length }), problems: read.problems });
  };

  return (
    <div className="drafts">
      <div className="drafts-tools">
        <label htmlFor={searchId} className="visually-hidden">
          {t('drafts.search')}
        </label>
        <input
          id={searchId}
          type="search"
          placeholder={t('drafts.search')}
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
        <button type="button" aria-pressed={trash} onClick={() => setTrash((v) => !v)}>
          {t('drafts.trash')}
        </button>
        <button type="button" onClick={() => file.current?.click()}>
          {t('drafts.import')}
        </button>
        <input
          ref={file}
          type="file"
          accept=".csv,.json,text/csv,application/json"
          hidden
          aria-label={t('drafts.import')}
          onChange={(e) => {
            const f = e.target.files?.[0];
            e.target.value = '';
            if (f) void importFile(f);
          }}
        />
        <button
          type="button"
          onClick={() =>
            void store
              .list({ limit: 10_000 })
              .then((all) => download('colonnade-drafts.csv', 'text/csv', writeDraftsCsv(all, profiles, { bom: true })))
          }
        >
          {t('drafts.exportCsv')}
        </button>
        <button
          type="button"
          onClick={() =>
            void store
              .list({ limit: 10_000 })
              .then((all) => download('colonnade-drafts.json', 'application/json', writeDraftsJson(all)))
          }
        >
          {t('drafts.exportJson')}
        </button>
      </div>
      {told && (
        <div className="drafts-told" role="status">
          <p>{told.text}</p>
          {told.problems.length > 0 && (
            <ul className="drafts-problems">
              {told.problems.map((p, i) => (
                <li key={i}>
                  {p.line !== undefined
                    ? t('drafts.problemLine', { line: p.line, reason: t(`reasons.${p.reason}`, p.params) })
                    : t('drafts.problemItem', { item: p.item, reason: t(`reasons.${p.reason}`, p.params) })}
                </li>
              ))}
            </ul>
          )}
          <button type="button" className="link" onClick={() => setTold(null)}>
            {t('columns.dismiss')}
          </button>
        </div>
      )}
      {drafts === undefined ? (
        <p className="column-note">{t('columns.loading')}</p>
      ) : drafts.length === 0 ? (
        <p className="column-note">
          {search ? t('drafts.noMatch') : trash ? t('drafts.trashEmpty') : t('drafts.empty')}
        </p>
      ) : (
        <ul className="drafts-list">
          {drafts.map((d) => (
            <DraftItem
              key={d.id}
              draft={d}
              accounts={accounts}
              language={props.language}
              dates={dates}
              trash={trash}
              store={store}
              onOpen={() => open(d)}
              onDelete={() => void store.delete(d.id)}
              onRestore={() => void store.restore(d.id)}
            />
          ))}
        </ul>
      )}
    </div>
  );
}

/**
 * One draft of the list. Memoized on what it shows: a save of another draft (every keystroke in the
 * composer) does not render the others again.
 */
const DraftItem = memo(DraftItemView, (a, b) => {
  const [x, y] = [a.draft, b.draft];
  return (
    x.id === y.id &&
    x.updatedAt === y.updatedAt &&
    x.deletedAt === y.deletedAt &&
    a.trash === b.trash &&
    a.store === b.store &&
    a.accounts === b.accounts &&
    a.dates === b.dates
  );
});

function DraftItemView(props: {
  draft: Draft;
  accounts: readonly Account[];
  language: string;
  /** One formatter for the whole list (making one per item per save costs). */
  dates: Intl.DateTimeFormat;
  trash: boolean;
  /** Where the draft's versions are read and restored. */
  store: DraftStore;
  onOpen(): void;
  onDelete(): void;
  onRestore(): void;
}) {
  const { t } = useTranslation();
  const { draft } = props;
  const text = draft.content.parts
    .map((p) => p.text)
    .join('\n\n')
    .trim();
  const targets = draft.targets
    .map((id) => props.accounts.find((a) => a.id === id))
    .map((a, i) => (a ? `@${a.profile.handle} (${NETWORK_NAMES[a.network]})` : draft.targets[i]));
  const edited = props.dates.format(draft.updatedAt);
  const when =
    draft.when.kind === 'at'
      ? t('drafts.at', { time: `${draft.when.local.replace('T', ' ')} (${draft.when.zone})` })
      : draft.when.kind === 'queue'
        ? t('composer.addToQueue')
        : '';
  const titleId = useId();
  const versionsId = useId();
  const [versionsOpen, setVersionsOpen] = useState(false);
  // Each button says which draft it is for (a list of "Open" buttons says nothing to a screen reader).
  const first = text || t('drafts.untitled');
  const short = [...first].length > 40 ? `${[...first].slice(0, 40).join('')}…` : first;
  return (
    <li>
      <article className="draft" aria-labelledby={titleId}>
        <p id={titleId} className="draft-text" dir="auto">
          {text || t('drafts.untitled')}
        </p>
        <p className="draft-meta">
          {[
            draft.content.parts.length > 1 ? t('drafts.thread', { count: draft.content.parts.length }) : '',
            targets.join(', '),
            when,
            t('drafts.edited', { time: edited }),
          ]
            .filter(Boolean)
            .join(' · ')}
        </p>
        <div className="draft-actions">
          {props.trash ? (
            <button type="button" onClick={props.onRestore} aria-label={t('drafts.restoreNamed', { text: short })}>
              {t('drafts.restore')}
            </button>
          ) : (
            <>
              <button type="button" onClick={props.onOpen} aria-label={t('drafts.openNamed', { text: short })}>
                {t('drafts.open')}
              </button>
              <button type="button" onClick={props.onDelete} aria-label={t('drafts.deleteNamed', { text: short })}>
                {t('drafts.delete')}
              </button>
              <button
                type="button"
                aria-expanded={versionsOpen}
                aria-controls={versionsOpen ? versionsId : undefined}
                onClick={() => setVersionsOpen((v) => !v)}
                aria-label={t('drafts.versionsNamed', { text: short })}
              >
                {t('drafts.versions')}
              </button>
            </>
          )}
        </div>
        {versionsOpen && !props.trash && (
          <DraftVersions id={versionsId} store={props.store} draftId={draft.id} language={props.language} />
        )}
      </article>
    </li>
  );
}
