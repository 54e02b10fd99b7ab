// The analytics posts table: every post passing the filter, in the chosen order, as a virtual
// table (react-virtuoso's TableVirtuoso renders only the rows on screen, so 100,000 posts scroll
// as lightly as 100). Real table markup: column headers sort (a button in each sortable header,
// `aria-sort` saying the order), `aria-rowcount` / `aria-rowindex` say where a row is in the whole
// table, and each post's text is a button that opens its details. The rate comes right after the
// text: it is what the table is for, and it stays in view when the post's details take room.
// Texts come from the archive for the rows on screen (`onRange`); the index holds the rest.
import { ArrowDown, ArrowUp, ArrowUpDown } from 'lucide-react';
import type { TFunction } from 'i18next';
import { useCallback, useMemo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { TableVirtuoso, type ItemProps, type ScrollerProps, type TableProps } from 'react-virtuoso';
import type { MetricName, SnapshotSource } from '../../../shared/analytics';
import { NETWORK_NAMES } from '../../../shared/model';
import type { ArchivedPost } from '../../analytics/archive-store';
import type { AnalyticsIndex, AnalyticsRow, AnalyticsSort, SortKey } from '../../analytics/query';
import { dateTimeFormat } from './dates';
import { rateWords } from './engagement-words';

/** What the table knows of a post beyond the index: its text, address and where its counts came from. */
export interface PostText {
  post: ArchivedPost | undefined;
  sources: SnapshotSource[] | null;
}

/** The counts the table shows as columns (the CSV has every count). */
export const TABLE_COUNTS: readonly MetricName[] = ['likes', 'reposts', 'replies', 'quotes', 'impressions'];

interface TableContext {
  t: TFunction;
  language: string;
  index: AnalyticsIndex;
  rows: Uint32Array;
  texts: ReadonlyMap<string, PostText>;
  selected: string | null;
  onSelect(id: string): void;
  dates: Intl.DateTimeFormat;
  numbers: Intl.NumberFormat;
  labelId: string;
}

function Table({ context, ...props }: TableProps & { context?: TableContext }) {
  return (
    <table
      {...props}
      className="analytics-posts-table"
      aria-labelledby={context?.labelId}
      aria-rowcount={(context?.rows.length ?? 0) + 1}
    />
  );
}

function Row({ context, item: _item, ...props }: ItemProps<unknown> & { context?: TableContext }) {
  const i = props['data-index'];
  const r = context?.rows[i];
  const selected = r !== undefined && context !== undefined && context.selected === context.index.idAt(r);
  return (
    <tr
      {...props}
      aria-rowindex={i + 2}
      aria-current={selected ? 'true' : undefined}
      className={selected ? 'selected' : undefined}
    />
  );
}

/** The scroller, out of the Tab order (react-virtuoso makes it a tab stop): its buttons are. */
function Scroller({
  context: _context,
  tabIndex: _tabIndex,
  ref,
  ...props
}: ScrollerProps & { context?: TableContext }) {
  return <div {...props} ref={ref} />;
}

const COMPONENTS = { Table, TableRow: Row, Scroller };

/** A count, or "unknown" in words (never a silent 0 or blank). */
export function CountCell(props: { value: number | null; numbers: Intl.NumberFormat; t: TFunction }) {
  if (props.value !== null) return <>{props.numbers.format(props.value)}</>;
  return (
    <span className="analytics-unknown" title={props.t('analyticsView.unknown')}>
      <span aria-hidden="true">–</span>
      <span className="visually-hidden">{props.t('analyticsView.unknown')}</span>
    </span>
  );
}

/** The rate with its formula and what it could not count. */
export function RateCell(props: { row: AnalyticsRow; text: PostText | undefined; t: TFunction; language: string }) {
  const words = rateWords(props.t, props.language, props.row, props.text?.sources ?? null);
  return (
    <span className="analytics-rate">
      {words.rate !== null ? (
        <span className="analytics-rate-value">{props.t('analyticsView.rate.short', { rate: words.rate })}</span>
      ) : (
        <span className="analytics-rate-none">{props.t('analyticsView.rate.none')}</span>
      )}
      <span className="analytics-rate-formula"> · {words.formula}</span>
      {words.notes.map((n) => (
        <span key={n} className="analytics-rate-note">
          {' '}
          · {n}
        </span>
      ))}
    </span>
  );
}

function rowCells(i: number, context: TableContext): ReactNode {
  const { t, language, index, rows, texts, numbers } = context;
  const row = index.row(rows[i]!);
  const text = texts.get(row.id);
  const body = text?.post?.text;
  return (
    <>
      <td className="c-date">{context.dates.format(row.createdAt)}</td>
      {/* The network under the handle, not a column of its own: the rate stays in view in a
          narrow window and beside a post's details. */}
      <td className="c-profile">
        <span className="analytics-handle" dir="ltr">
          @{row.handle}
        </span>{' '}
        <span className="analytics-network">{NETWORK_NAMES[row.network]}</span>
      </td>
      <td className="c-text">
        <button type="button" className="analytics-post-button" onClick={() => context.onSelect(row.id)}>
          {row.gone && (
            <>
              <span className="badge gone" title={t('analyticsView.table.goneHelp')}>
                {t('analyticsView.table.gone')}
              </span>{' '}
            </>
          )}
          {/* The post's own direction (the badge, in the app's language, must not set it). */}
          <span dir="auto">
            {text === undefined ? t('analyticsView.table.loadingText') : body ? body : t('analyticsView.table.noText')}
          </span>
        </button>
      </td>
      <td className="c-rate">
        <RateCell row={row} text={text} t={t} language={language} />
      </td>
      {TABLE_COUNTS.map((m) => (
        <td key={m} className="c-count">
          <CountCell value={row.latest[m]} numbers={numbers} t={t} />
        </td>
      ))}
    </>
  );
}

function SortHeader(props: {
  label: string;
  sortKey: SortKey;
  sort: AnalyticsSort;
  onSort(key: SortKey): void;
  className: string;
  describedBy?: string;
  title?: string;
}) {
  const { t } = useTranslation();
  const active = props.sort.key === props.sortKey;
  const Icon = !active ? ArrowUpDown : props.sort.dir === 'asc' ? ArrowUp : ArrowDown;
  return (
    <th
      scope="col"
      className={props.className}
      aria-sort={active ? (props.sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'}
      title={props.title}
    >
      <button
        type="button"
        className="analytics-sort"
        onClick={() => props.onSort(props.sortKey)}
        aria-describedby={props.describedBy}
        aria-label={t('analyticsView.table.sortBy', { column: props.label })}
      >
        {props.label}
        <Icon size={12} aria-hidden="true" />
      </button>
    </th>
  );
}

export function PostsTable(props: {
  index: AnalyticsIndex;
  rows: Uint32Array;
  texts: ReadonlyMap<string, PostText>;
  sort: AnalyticsSort;
  onSort(key: SortKey): void;
  selected: string | null;
  onSelect(id: string): void;
  onRange(start: number, end: number): void;
  zone: string;
  language: string;
  labelId: string;
  /** The id of the words explaining the rate's formulas (the rate header's description). */
  formulaHelpId: string;
}) {
  const { t } = useTranslation();
  const { zone, language, onSort, sort } = props;
  const dates = useMemo(() => dateTimeFormat(language, zone), [language, zone]);
  const numbers = useMemo(() => new Intl.NumberFormat(language), [language]);
  const context = useMemo<TableContext>(
    () => ({
      t,
      language,
      index: props.index,
      rows: props.rows,
      texts: props.texts,
      selected: props.selected,
      onSelect: props.onSelect,
      dates,
      numbers,
      labelId: props.labelId,
    }),
    [t, language, props.index, props.rows, props.texts, props.selected, props.onSelect, dates, numbers, props.labelId],
  );
  const header = useCallback(
    () => (
      <tr aria-rowindex={1}>
        <SortHeader
          label={t('analyticsView.table.date')}
          sortKey="createdAt"
          sort={sort}
          onSort={onSort}
          className="c-date"
        />
        <th scope="col" className="c-profile">
          {t('analyticsView.table.profileNetwork')}
        </th>
        <th scope="col" className="c-text">
          {t('analyticsView.table.text')}
        </th>
        <SortHeader
          label={t('analyticsView.table.rate')}
          sortKey="rate"
          sort={sort}
          onSort={onSort}
          className="c-rate"
          describedBy={props.formulaHelpId}
          title={t('analyticsView.rate.help')}
        />
        {TABLE_COUNTS.map((m) => (
          <SortHeader
            key={m}
            label={t(`analyticsView.metricTitle.${m}`)}
            sortKey={m}
            sort={sort}
            onSort={onSort}
            className="c-count"
          />
        ))}
      </tr>
    ),
    [t, sort, onSort, props.formulaHelpId],
  );
  const onRange = props.onRange;
  return (
    <TableVirtuoso<unknown, TableContext>
      className="analytics-table-scroller"
      totalCount={props.rows.length}
      context={context}
      components={COMPONENTS}
      fixedHeaderContent={header}
      itemContent={(i, _item, ctx) => rowCells(i, ctx)}
      rangeChanged={(range) => onRange(range.startIndex, range.endIndex)}
      increaseViewportBy={300}
    />
  );
}
