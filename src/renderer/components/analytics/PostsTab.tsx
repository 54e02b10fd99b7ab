// The analytics view's Posts tab (issue 9, "A posts table across profiles and networks"): filters
// (engagement rate in percent, any count, dates in the CM's zone, network, profile, hashtag, media,
// replies), saved views, the count and averages of what passes, the sortable table, export to CSV,
// and a post's details with its history chart. The filter runs on the in-memory index
// (src/renderer/analytics/query.ts) as the CM types (deferred, so typing stays smooth).
import type { EngagementFormula } from '../../../shared/engagement';
import { ChevronDown, ChevronRight, Download } from 'lucide-react';
import { useCallback, useDeferredValue, useEffect, useId, useMemo, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { METRIC_NAMES, type MetricName } from '../../../shared/analytics';
import { NETWORKS, NETWORK_NAMES, type NetworkId } from '../../../shared/model';
import type { ColonnadeDb } from '../../db/database';
import type { AnalyticsArchive } from '../../analytics/archive-store';
import type { AnalyticsFilter, AnalyticsIndex, AnalyticsSort, SortKey } from '../../analytics/query';
import { decodeSeries } from '../../analytics/series-codec';
import { deleteView, listViews, saveView, type AnalyticsView } from '../../analytics/views';
import { describeThrown } from '../errors';
import { formatRate, formulaName, shownNumber, sourcesOf } from './engagement-words';
import { CollectionStatus } from './CollectionStatus';
import { PostDetail } from './PostDetail';
import {
  dayIn,
  EMPTY_FORM,
  filterOf,
  formOf,
  boundProblems,
  type BoundProblem,
  summarize,
  type FilterForm,
  type Tristate,
} from './posts-filter';
import { download, exportRows, postsCsv } from './posts-csv';
import { PostsTable, type PostText } from './PostsTable';

const DEFAULT_SORT: AnalyticsSort = { key: 'createdAt', dir: 'desc' };
/** Rows read around the visible ones, so a short scroll finds its texts already there. */
const TEXT_MARGIN = 40;

export function PostsTab(props: {
  db: ColonnadeDb;
  archive: AnalyticsArchive;
  index: AnalyticsIndex;
  zone: string;
  language: string;
  /** A post to show first (opened from an Analytics column). */
  initialPostId?: string | null;
  /** Now, ms (tests give one); for the file names. */
  now?: () => number;
}) {
  const { t } = useTranslation();
  const { index, archive, zone, language } = props;
  const version = index.version;
  const [form, setForm] = useState<FilterForm>(EMPTY_FORM);
  const [sort, setSort] = useState<AnalyticsSort>(DEFAULT_SORT);
  const deferredForm = useDeferredValue(form);
  const filter = useMemo(() => filterOf(deferredForm, zone, language), [deferredForm, zone, language]);
  // The handles the archive knows, for a profile no longer connected (CollectionStatus).
  const archivedHandles = useMemo(
    () => new Map(index.profiles().map((p) => [p.profileId, p.handle])),
    // `version` moves when the index changes (an ingest).
    [index, index.version],
  );
  // `version` moves when the index changes (an ingest): the answer is made again.
  const rows = useMemo(() => index.query(filter, sort), [index, version, filter, sort]);
  const summary = useMemo(
    () => summarize(index, filter, zone, rows.length),
    [index, version, filter, zone, rows.length],
  );
  const [selected, setSelected] = useState<string | null>(props.initialPostId ?? null);
  const [filtersOpen, setFiltersOpen] = useState(!props.initialPostId);
  const [told, setTold] = useState<string | null>(null);
  const labelId = useId();
  const formulaHelpId = useId();

  // Texts of the rows on screen, read from the archive; read again after the archive changes.
  const [texts, setTexts] = useState<ReadonlyMap<string, PostText>>(new Map());
  const range = useRef<[number, number]>([0, 30]);
  const readTexts = useCallback(
    (start: number, end: number, keep: boolean) => {
      const from = Math.max(0, start - TEXT_MARGIN);
      const to = Math.min(rows.length, end + 1 + TEXT_MARGIN);
      const ids: string[] = [];
      for (let i = from; i < to; i++) {
        const id = index.idAt(rows[i]!);
        if (!keep || !texts.has(id)) ids.push(id);
      }
      if (ids.length === 0) return;
      void archive.posts(ids).then((posts) => {
        setTexts((old) => {
          const next = new Map(keep ? old : []);
          // Keeps the map small: what is near the screen.
          if (next.size > 2000) next.clear();
          ids.forEach((id, k) => {
            const post = posts[k];
            next.set(id, { post, sources: post?.series ? sourcesOf(decodeSeries(post.series)) : null });
          });
          return next;
        });
      });
    },
    [archive, index, rows, texts],
  );
  const onRange = useCallback(
    (start: number, end: number) => {
      range.current = [start, end];
      readTexts(start, end, true);
    },
    [readTexts],
  );
  // The archive changed (an ingest): texts and sources may be richer now.
  const lastVersion = useRef(version);
  useEffect(() => {
    if (lastVersion.current === version) return;
    lastVersion.current = version;
    readTexts(range.current[0], range.current[1], false);
  }, [version, readTexts]);
  // The first rows, before the table reports its range.
  useEffect(() => {
    readTexts(range.current[0], range.current[1], true);
  }, [rows]);

  const onSort = useCallback(
    (key: SortKey) =>
      setSort((s) => (s.key === key ? { key, dir: s.dir === 'asc' ? 'desc' : 'asc' } : { key, dir: 'desc' })),
    [],
  );
  const detailOpener = useRef<HTMLElement | null>(null);
  // The details take the filters' room while they are open (the filters come back after).
  const filtersBeforeDetail = useRef<boolean | null>(props.initialPostId ? true : null);
  const onSelect = useCallback((id: string) => {
    detailOpener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    setFiltersOpen((open) => {
      filtersBeforeDetail.current ??= open;
      return false;
    });
    setSelected(id);
  }, []);
  const closeDetail = () => {
    setSelected(null);
    if (filtersBeforeDetail.current) setFiltersOpen(true);
    filtersBeforeDetail.current = null;
    const opener = detailOpener.current;
    requestAnimationFrame(() => {
      if (opener?.isConnected) opener.focus();
      else document.querySelector<HTMLElement>('.analytics-posts-table .analytics-post-button')?.focus();
    });
  };
  const selectedRow = selected !== null ? index.rowOf(selected) : undefined;

  const [exporting, setExporting] = useState(false);
  const exportCsv = async () => {
    setExporting(true);
    setTold(null);
    try {
      const data = await exportRows(index, archive, rows);
      const day = dayIn((props.now ?? Date.now)(), zone);
      download(`colonnade-posts-${day}.csv`, 'text/csv', await postsCsv(t, language, zone, data));
      setTold(t('analyticsView.export.done', { count: data.length }));
    } catch (error) {
      setTold(describeThrown(t, error, language));
    } finally {
      setExporting(false);
    }
  };

  // The filters' button heads their column when they are shown, and the tools row when they are
  // folded away (the table takes their room); it keeps focus when it moves.
  const conditions = activeConditions(filter);
  const root = useRef<HTMLDivElement>(null);
  const filtersToggle = (
    <button
      type="button"
      className="analytics-filters-toggle"
      aria-expanded={filtersOpen}
      onClick={() => {
        setFiltersOpen((o) => !o);
        filtersBeforeDetail.current = null;
        requestAnimationFrame(() => root.current?.querySelector<HTMLElement>('.analytics-filters-toggle')?.focus());
      }}
    >
      {filtersOpen ? <ChevronDown size={14} aria-hidden="true" /> : <ChevronRight size={14} aria-hidden="true" />}
      {conditions > 0 ? t('analyticsView.filters.titleSet', { count: conditions }) : t('analyticsView.filters.title')}
    </button>
  );

  return (
    <div
      ref={root}
      className={`analytics-posts${filtersOpen ? '' : ' filters-closed'}${selected ? ' with-detail' : ''}`}
    >
      {filtersOpen && (
        <div className="analytics-posts-side">
          {filtersToggle}
          <FiltersForm index={index} form={form} onChange={setForm} language={language} formulaHelpId={formulaHelpId} />
        </div>
      )}
      <div className="analytics-posts-main">
        <div className="analytics-posts-tools">
          {!filtersOpen && filtersToggle}
          <SavedViews
            db={props.db}
            language={language}
            current={{ filter: filterOf(form, zone, language), sort }}
            onApply={(v) => {
              setForm(formOf(v.filter, zone, language));
              setSort(v.sort);
            }}
          />
          <button type="button" onClick={() => void exportCsv()} disabled={exporting || rows.length === 0}>
            <Download size={14} aria-hidden="true" />
            {exporting ? t('analyticsView.export.running') : t('analyticsView.export.button')}
          </button>
        </div>
        <Summary summary={summary} language={language} labelId={labelId} />
        <CollectionStatus zone={zone} language={language} handles={archivedHandles} />
        {told && (
          <p className="analytics-told" role="status">
            {told}
          </p>
        )}
        <p id={formulaHelpId} className="visually-hidden">
          {t('analyticsView.rate.help')}
        </p>
        <div className="analytics-table-area">
          {rows.length === 0 ? (
            <p className="analytics-note">
              {index.size === 0 ? t('analyticsView.table.emptyArchive') : t('analyticsView.table.noMatch')}
            </p>
          ) : (
            <PostsTable
              index={index}
              rows={rows}
              texts={texts}
              sort={sort}
              onSort={onSort}
              selected={selected}
              onSelect={onSelect}
              onRange={onRange}
              zone={zone}
              language={language}
              labelId={labelId}
              formulaHelpId={formulaHelpId}
            />
          )}
        </div>
      </div>
      {selected !== null && (
        <PostDetail
          key={selected}
          archive={archive}
          row={selectedRow !== undefined ? index.row(selectedRow) : null}
          postId={selected}
          zone={zone}
          language={language}
          onClose={closeDetail}
        />
      )}
    </div>
  );
}

/** How many conditions a filter sets (each count's bounds one). */
function activeConditions(filter: AnalyticsFilter): number {
  const { counts, ...rest } = filter;
  return Object.keys(rest).length + Object.keys(counts ?? {}).length;
}

/** The count and averages of the posts passing the filter; it names the table (its `labelId`). */
function Summary(props: { summary: ReturnType<typeof summarize>; language: string; labelId: string }) {
  const { t } = useTranslation();
  const { summary: s, language } = props;
  const n = new Intl.NumberFormat(language);
  const avg = new Intl.NumberFormat(language, { maximumFractionDigits: 1 });
  const parts: string[] = [];
  const { impressions, followers } = s.byFormula;
  if (impressions && followers) {
    // Rates per impression and per follower are not comparable: one mean each, never their mean.
    const part = (f: EngagementFormula, x: { rated: number; averageRate: number }) =>
      t('analyticsView.summary.ratePart', {
        rate: formatRate(x.averageRate, language),
        formula: formulaName(t, f),
        rated: n.format(x.rated),
        count: x.rated,
      });
    parts.push(
      t('analyticsView.summary.rateMixed', {
        impressions: part('impressions', impressions),
        followers: part('followers', followers),
      }),
    );
  } else if (s.averageRate !== null) {
    parts.push(
      t('analyticsView.summary.rate', {
        rate: formatRate(s.averageRate, language),
        formulas: s.formulas.map((f) => formulaName(t, f)).join(t('analyticsView.summary.formulaSep')),
        rated: n.format(s.rated),
        count: s.rated,
      }),
    );
  } else if (s.posts > 0) parts.push(t('analyticsView.summary.noRate'));
  // "4.2 likes per post", and over how many posts when not all of them have their likes known.
  const perPost = (key: 'likes' | 'reposts', value: number | null, known: number) => {
    if (value === null) return;
    const words = t(`analyticsView.summary.${key}`, { value: avg.format(value), count: shownNumber(value) });
    parts.push(
      known < s.posts
        ? t(`analyticsView.summary.${key}Partial`, { perPost: words, known: n.format(known), count: known })
        : words,
    );
  };
  perPost('likes', s.likesPerPost, s.likesKnown);
  perPost('reposts', s.repostsPerPost, s.repostsKnown);
  return (
    <div className="analytics-summary" role="status">
      <p id={props.labelId} className="analytics-summary-count">
        {t('analyticsView.summary.posts', { count: s.posts, n: n.format(s.posts) })}
      </p>
      {parts.length > 0 && <p className="analytics-summary-averages">{parts.join(' · ')}</p>}
    </div>
  );
}

function Field(props: { label: string; children: ReactNode; className?: string; context?: string }) {
  return (
    <label className={`analytics-field${props.className ? ` ${props.className}` : ''}`}>
      <span>
        {/* A bound's field is named with what it bounds ("Likes min"), not just "min". */}
        {props.context && <span className="visually-hidden">{props.context} </span>}
        {props.label}
      </span>
      {props.children}
    </label>
  );
}

/** Two number fields, min and max, in a group named by what they bound. */
function RangeFields(props: {
  legend: string;
  min: string;
  max: string;
  onMin(v: string): void;
  onMax(v: string): void;
  unit?: string;
  /** What is wrong with these bounds: said under the fields, the field concerned marked invalid. */
  problem?: BoundProblem | undefined;
}) {
  const { t } = useTranslation();
  const errorId = useId();
  const { problem } = props;
  // Text fields, not type=number: a French "2,5" stays as typed (Chromium's number field makes it
  // 25) and is read in the CM's language (posts-filter.ts `numberOf`).
  const input = (which: 'min' | 'max', value: string, onChange: (v: string) => void) => (
    <input
      type="text"
      inputMode="decimal"
      autoComplete="off"
      value={value}
      aria-invalid={problem?.field === which || undefined}
      aria-describedby={problem?.field === which ? errorId : undefined}
      onChange={(e) => onChange(e.target.value)}
    />
  );
  return (
    <fieldset className="analytics-range">
      <legend>{props.legend}</legend>
      <Field label={t('analyticsView.filters.min')} context={props.legend}>
        {input('min', props.min, props.onMin)}
      </Field>
      <Field label={t('analyticsView.filters.max')} context={props.legend}>
        {input('max', props.max, props.onMax)}
      </Field>
      {props.unit && <span className="analytics-unit">{props.unit}</span>}
      {problem && <BoundError id={errorId} what={props.legend} problem={problem} />}
    </fieldset>
  );
}

/** "Likes: the minimum is above the maximum, so no post can match." / "“abc” is not a number". */
function BoundError(props: { id: string; what: string; problem: BoundProblem }) {
  const { t } = useTranslation();
  const { problem } = props;
  const key =
    problem.problem === 'not-a-number'
      ? 'analyticsView.filters.notANumber'
      : problem.what === 'dates'
        ? 'analyticsView.filters.reversedDates'
        : 'analyticsView.filters.reversed';
  return (
    <p id={props.id} className="form-error analytics-reversed" role="alert">
      {t(key, { what: props.what, value: problem.value ?? '' })}
    </p>
  );
}

function TristateField(props: {
  label: string;
  value: Tristate;
  onChange(v: Tristate): void;
  yes: string;
  no: string;
}) {
  const { t } = useTranslation();
  return (
    <Field label={props.label}>
      <select value={props.value} onChange={(e) => props.onChange(e.target.value as Tristate)}>
        <option value="">{t('analyticsView.filters.either')}</option>
        <option value="yes">{props.yes}</option>
        <option value="no">{props.no}</option>
      </select>
    </Field>
  );
}

function FiltersForm(props: {
  index: AnalyticsIndex;
  form: FilterForm;
  onChange(f: FilterForm): void;
  language: string;
  formulaHelpId: string;
}) {
  const { t } = useTranslation();
  const { form, onChange, index } = props;
  const version = index.version;
  const set = (patch: Partial<FilterForm>) => onChange({ ...form, ...patch });
  const setCount = (m: MetricName, bound: 'min' | 'max', v: string) =>
    onChange({ ...form, counts: { ...form.counts, [m]: { ...form.counts[m], [bound]: v } } });
  // `version` moves when the index changes (an ingest): the answer is made again.
  const profiles = useMemo(() => index.profiles(), [index, version]);
  const tags = useMemo(() => index.hashtags({}, 200), [index, version]);
  const networks = useMemo(() => NETWORKS.filter((n) => profiles.some((p) => p.network === n)), [profiles]);
  const tagList = useId();
  const countsSet = METRIC_NAMES.filter((m) => form.counts[m].min !== '' || form.counts[m].max !== '').length;
  const problems = boundProblems(form, props.language);
  const problemOf = (what: BoundProblem['what']) => problems.find((p) => p.what === what);
  const datesProblem = problemOf('dates');
  const datesErrorId = useId();
  return (
    <form
      className="analytics-filters"
      aria-label={t('analyticsView.filters.title')}
      onSubmit={(e) => e.preventDefault()}
    >
      <RangeFields
        legend={t('analyticsView.filters.rate')}
        unit="%"
        min={form.rateMin}
        max={form.rateMax}
        onMin={(v) => set({ rateMin: v })}
        onMax={(v) => set({ rateMax: v })}
        problem={problemOf('rate')}
      />
      <details className="analytics-formula-help">
        <summary>{t('analyticsView.rate.helpTitle')}</summary>
        <p>{t('analyticsView.rate.helpImpressions')}</p>
        <p>{t('analyticsView.rate.helpFollowers')}</p>
      </details>
      <fieldset className="analytics-dates">
        <legend>{t('analyticsView.filters.dates')}</legend>
        <Field label={t('analyticsView.filters.from')} context={t('analyticsView.filters.dates')}>
          <input type="date" value={form.from} onChange={(e) => set({ from: e.target.value })} />
        </Field>
        <Field label={t('analyticsView.filters.to')} context={t('analyticsView.filters.dates')}>
          <input
            type="date"
            value={form.to}
            aria-invalid={datesProblem ? true : undefined}
            aria-describedby={datesProblem ? datesErrorId : undefined}
            onChange={(e) => set({ to: e.target.value })}
          />
        </Field>
        {datesProblem && (
          <BoundError id={datesErrorId} what={t('analyticsView.filters.dates')} problem={datesProblem} />
        )}
      </fieldset>
      <Field label={t('analyticsView.filters.network')}>
        <select value={form.network} onChange={(e) => set({ network: e.target.value as '' | NetworkId })}>
          <option value="">{t('analyticsView.filters.allNetworks')}</option>
          {networks.map((n) => (
            <option key={n} value={n}>
              {NETWORK_NAMES[n]}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t('analyticsView.filters.profile')}>
        <select value={form.profile} onChange={(e) => set({ profile: e.target.value })}>
          <option value="">{t('analyticsView.filters.allProfiles')}</option>
          {profiles.map((p) => (
            <option key={p.profileId} value={p.profileId}>
              {t('analyticsView.filters.profileOption', {
                handle: p.handle || p.profileId,
                network: NETWORK_NAMES[p.network],
              })}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t('analyticsView.filters.hashtag')}>
        <input
          type="text"
          list={tagList}
          value={form.hashtag}
          placeholder="#"
          dir="auto"
          onChange={(e) => set({ hashtag: e.target.value })}
        />
        <datalist id={tagList}>
          {tags.map((tag) => (
            <option key={tag.tag} value={`#${tag.tag}`} />
          ))}
        </datalist>
      </Field>
      <TristateField
        label={t('analyticsView.filters.media')}
        value={form.media}
        onChange={(v) => set({ media: v })}
        yes={t('analyticsView.filters.withMedia')}
        no={t('analyticsView.filters.withoutMedia')}
      />
      <TristateField
        label={t('analyticsView.filters.reply')}
        value={form.reply}
        onChange={(v) => set({ reply: v })}
        yes={t('analyticsView.filters.replies')}
        no={t('analyticsView.filters.notReplies')}
      />
      <details className="analytics-counts" open={countsSet > 0 ? true : undefined}>
        <summary>
          {countsSet > 0
            ? t('analyticsView.filters.countsSet', { count: countsSet })
            : t('analyticsView.filters.counts')}
        </summary>
        {METRIC_NAMES.map((m) => (
          <RangeFields
            key={m}
            legend={t(`analyticsView.metricTitle.${m}`)}
            min={form.counts[m].min}
            max={form.counts[m].max}
            onMin={(v) => setCount(m, 'min', v)}
            onMax={(v) => setCount(m, 'max', v)}
            problem={problemOf(m)}
          />
        ))}
      </details>
      <button type="button" onClick={() => onChange(EMPTY_FORM)}>
        {t('analyticsView.filters.clear')}
      </button>
    </form>
  );
}

/** Saved views: pick one to apply it, save the current filters and sort under a name, delete one. */
function SavedViews(props: {
  db: ColonnadeDb;
  language: string;
  current: Pick<AnalyticsView, 'filter' | 'sort'>;
  onApply(view: AnalyticsView): void;
}) {
  const { t } = useTranslation();
  const { db, language } = props;
  const [views, setViews] = useState<AnalyticsView[]>([]);
  const [chosen, setChosen] = useState('');
  const [naming, setNaming] = useState(false);
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [told, setTold] = useState<string | null>(null);
  const nameField = useRef<HTMLInputElement>(null);
  const saveButton = useRef<HTMLButtonElement>(null);
  const errorId = useId();
  const refresh = useCallback(() => listViews(db, language).then(setViews), [db, language]);
  useEffect(() => {
    void refresh().catch(() => undefined);
  }, [refresh]);
  useEffect(() => {
    if (naming) nameField.current?.focus();
  }, [naming]);

  const save = async () => {
    const trimmed = name.trim();
    if (!trimmed) {
      setError(t('analyticsView.views.nameNeeded'));
      return;
    }
    try {
      // The same name again replaces that view (names are how the CM tells them apart).
      const same = views.find((v) => v.name.localeCompare(trimmed, language, { sensitivity: 'base' }) === 0);
      const view = await saveView(db, { name: trimmed, ...props.current, ...(same ? { id: same.id } : {}) });
      await refresh();
      setChosen(view.id);
      setNaming(false);
      setName('');
      setError(null);
      setTold(t(same ? 'analyticsView.views.replaced' : 'analyticsView.views.saved', { name: view.name }));
      requestAnimationFrame(() => saveButton.current?.focus());
    } catch (err) {
      setError(describeThrown(t, err, language));
    }
  };
  const remove = async () => {
    const view = views.find((v) => v.id === chosen);
    if (!view) return;
    await deleteView(db, view.id);
    await refresh();
    setChosen('');
    setTold(t('analyticsView.views.deleted', { name: view.name }));
  };

  return (
    <div className="analytics-views">
      <label className="analytics-field inline">
        <span>{t('analyticsView.views.label')}</span>
        <select
          value={chosen}
          onChange={(e) => {
            setChosen(e.target.value);
            const view = views.find((v) => v.id === e.target.value);
            if (view) {
              props.onApply(view);
              setTold(t('analyticsView.views.applied', { name: view.name }));
            }
          }}
        >
          <option value="">{views.length ? t('analyticsView.views.pick') : t('analyticsView.views.none')}</option>
          {views.map((v) => (
            <option key={v.id} value={v.id}>
              {v.name}
            </option>
          ))}
        </select>
      </label>
      <button type="button" onClick={() => void remove()} disabled={!chosen}>
        {t('analyticsView.views.delete')}
      </button>
      {naming ? (
        <form
          className="analytics-view-name"
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
          onKeyDown={(e) => {
            // Escape leaves the naming, not the whole view.
            if (e.key === 'Escape') {
              e.preventDefault();
              e.stopPropagation();
              setNaming(false);
              setError(null);
              requestAnimationFrame(() => saveButton.current?.focus());
            }
          }}
        >
          <label className="analytics-field inline">
            <span>{t('analyticsView.views.name')}</span>
            <input
              ref={nameField}
              type="text"
              value={name}
              dir="auto"
              maxLength={200}
              aria-invalid={error !== null}
              aria-describedby={error ? errorId : undefined}
              onChange={(e) => {
                setName(e.target.value);
                setError(null);
              }}
            />
          </label>
          <button type="submit" className="primary">
            {t('analyticsView.views.save')}
          </button>
          <button
            type="button"
            onClick={() => {
              setNaming(false);
              setError(null);
            }}
          >
            {t('actions.cancel')}
          </button>
          {error && (
            <span id={errorId} className="form-error" role="alert">
              {error}
            </span>
          )}
        </form>
      ) : (
        <button
          ref={saveButton}
          type="button"
          onClick={() => {
            setNaming(true);
            setTold(null);
            setName(views.find((v) => v.id === chosen)?.name ?? '');
          }}
        >
          {t('analyticsView.views.saveAs')}
        </button>
      )}
      {told && (
        <span className="analytics-told small" role="status">
          {told}
        </span>
      )}
    </div>
  );
}
