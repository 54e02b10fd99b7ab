// The Outbox's calendar: a week (days × hours) or a month (weeks × days) in the CM's zone, every
// scheduled post at its time, with its audience's time where that zone differs ("09:00 Paris ·
// 03:00 New York"). A post is moved by dragging it to another cell (dnd-kit, as the deck's columns)
// or, with the keyboard, by "Move…" (Enter on it): the grid is an ARIA grid with one tab stop,
// arrows between cells, Enter into a cell's posts, Escape back out. A drop asks main
// (`outbox.reschedule`, the job keeping its zone); the post shows at once where it was dropped and
// goes back, with the refusal in words, when main refuses (state/outbox.ts). A post not yet sent
// has "Edit…" beside it (the right arrow from the post), which opens the composer on it.
import {
  DndContext,
  PointerSensor,
  pointerWithin,
  useDraggable,
  useDroppable,
  useSensor,
  useSensors,
  type Announcements,
  type DragEndEvent,
} from '@dnd-kit/core';
import { CSS } from '@dnd-kit/utilities';
import { ChevronLeft, ChevronRight } from 'lucide-react';
import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { NETWORK_NAMES } from '../../shared/model';
import type { PublishJob, When } from '../../shared/outbox';
import { zonedToInstant } from '../../shared/schedule/zoned-time';
import { jobEditable } from '../state/outbox';
import { useServices } from './context';
import { useOutboxView } from './outbox-context';
import {
  dayIn,
  dayKey,
  dualTime,
  monthWeeks,
  shiftAnchor,
  wallClock,
  weekDays,
  whenForDrop,
  type CalendarDrop,
} from './outbox-time';
import { calendarEntries, jobName, jobText, profileLabel, type CalendarEntry } from './outbox-words';
import { addDays, format } from 'date-fns';

type Mode = 'week' | 'month';
const HOURS = Array.from({ length: 24 }, (_, h) => h);
const two = (n: number) => String(n).padStart(2, '0');
/** A cell's key: "YYYY-MM-DDTHH" in the week, "YYYY-MM-DD" in the month. */
const cellKey = (day: string, hour: number | undefined) => (hour === undefined ? day : `${day}T${two(hour)}`);
/** The hour the week view shows first (scrolled to): the working day. */
const FIRST_SHOWN_HOUR = 8;

export function OutboxCalendar(props: { jobs: readonly PublishJob[]; announcer: HTMLElement | null }) {
  const view = useOutboxView();
  const { words } = view;
  const { t, locale, zone } = words;
  const { actions } = useServices();
  const titleId = useId();
  const helpId = useId();
  const [mode, setMode] = useState<Mode>('week');
  const today = wallClock(view.now(), zone).day;
  const [anchor, setAnchor] = useState(today);
  const [active, setActive] = useState<{ day: string; hour: number }>({ day: today, hour: FIRST_SHOWN_HOUR });
  const table = useRef<HTMLTableElement>(null);
  const scroller = useRef<HTMLDivElement>(null);
  const focusWanted = useRef(false);

  const entries = useMemo(() => calendarEntries(props.jobs), [props.jobs]);
  const byCell = useMemo(() => {
    const cells = new Map<string, CalendarEntry[]>();
    for (const e of entries) {
      const at = wallClock(e.at, zone);
      const key = cellKey(at.day, mode === 'week' ? at.hour : undefined);
      cells.set(key, [...(cells.get(key) ?? []), e]);
    }
    return cells;
  }, [entries, zone, mode]);

  const week = useMemo(() => weekDays(anchor, zone, locale), [anchor, zone, locale]);
  const month = useMemo(() => monthWeeks(anchor, zone, locale), [anchor, zone, locale]);
  const shown = mode === 'week' ? week : month.flat();
  const shownKeys = shown.map(dayKey);
  const anchorMonth = anchor.slice(0, 7);
  // The cell with the grid's one tab stop: the active one when it is shown, else today, else the first.
  const activeDay = shownKeys.includes(active.day)
    ? active.day
    : shownKeys.includes(today)
      ? today
      : (shownKeys.find((d) => d.startsWith(anchorMonth)) ?? shownKeys[0]!);
  const activeKey = cellKey(activeDay, mode === 'week' ? active.hour : undefined);

  useEffect(() => {
    if (!focusWanted.current) return;
    focusWanted.current = false;
    table.current?.querySelector<HTMLElement>(`[data-cell="${activeKey}"]`)?.focus();
  });
  // The week opens on the working day (or its first post, when earlier), not at midnight; once
  // the dialog is shown, so laid out.
  const weekKey = dayKey(week[0]!);
  const firstHour = useMemo(() => {
    const days = new Set(week.map(dayKey));
    let first = FIRST_SHOWN_HOUR;
    for (const e of entries) {
      const at = wallClock(e.at, zone);
      if (days.has(at.day)) first = Math.min(first, at.hour);
    }
    return first;
  }, [week, entries, zone]);
  useEffect(() => {
    if (mode !== 'week') return;
    const frame = requestAnimationFrame(() => {
      const row = table.current?.querySelector<HTMLElement>(`tr[data-hour="${firstHour}"]`);
      const head = table.current?.tHead;
      if (row && scroller.current) scroller.current.scrollTop = row.offsetTop - (head?.offsetHeight ?? 0);
    });
    return () => cancelAnimationFrame(frame);
    // Scrolled when the view or the week changes, not when a post moves.
  }, [mode, weekKey]);
  // A post moved with "Move…" from here: the calendar goes to its new cell and focus follows it
  // (after the Move dialog gave focus back to the post, which left its old cell).
  const revealed = view.revealed;
  useEffect(() => {
    if (!revealed) return;
    const at = wallClock(revealed.at, zone);
    setAnchor(at.day);
    setActive({ day: at.day, hour: at.hour });
    const frame = requestAnimationFrame(() => {
      focusWanted.current = true;
      setActive({ day: at.day, hour: at.hour });
    });
    return () => cancelAnimationFrame(frame);
  }, [revealed, zone]);

  const go = (day: string, hour: number) => {
    if (!shownKeys.includes(day)) setAnchor(day);
    setActive({ day, hour });
    focusWanted.current = true;
  };
  const plusDays = (day: string, n: number) => dayKey(addDays(dayIn(day, zone), n));

  const onKeyDown = (e: KeyboardEvent<HTMLTableElement>) => {
    const target = e.target as HTMLElement;
    const entry = target.closest<HTMLElement>('.cal-entry');
    const cell = target.closest<HTMLElement>('td[data-cell]');
    if (!cell) return;
    const post = target.closest<HTMLElement>('.cal-post');
    if (post) {
      // Inside a cell: up and down between its posts, right to a post's "Edit…" and left back,
      // Escape back to the cell. Enter and Space are the focused button's own.
      const chips = [...cell.querySelectorAll<HTMLElement>('.cal-entry')];
      const chip = entry ?? post.querySelector<HTMLElement>('.cal-entry');
      const i = chip ? chips.indexOf(chip) : -1;
      const edit = post.querySelector<HTMLButtonElement>('.cal-edit');
      if (e.key === 'Escape') {
        e.preventDefault();
        e.stopPropagation();
        cell.focus();
      } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        chips[(i + (e.key === 'ArrowDown' ? 1 : chips.length - 1)) % chips.length]?.focus();
      } else if ((e.key === 'ArrowRight' || e.key === 'ArrowLeft') && edit && !edit.disabled) {
        e.preventDefault();
        (e.key === 'ArrowRight' ? edit : chip)?.focus();
      }
      return;
    }
    const day = cell.dataset.day!;
    const hour = active.hour;
    const step = mode === 'week' ? 1 : 7;
    switch (e.key) {
      case 'ArrowLeft':
        return (e.preventDefault(), go(plusDays(day, -1), hour));
      case 'ArrowRight':
        return (e.preventDefault(), go(plusDays(day, 1), hour));
      case 'ArrowUp':
        e.preventDefault();
        if (mode === 'month') return go(plusDays(day, -step), hour);
        return hour > 0 ? go(day, hour - 1) : go(plusDays(day, -1), 23);
      case 'ArrowDown':
        e.preventDefault();
        if (mode === 'month') return go(plusDays(day, step), hour);
        return hour < 23 ? go(day, hour + 1) : go(plusDays(day, 1), 0);
      case 'Home': {
        e.preventDefault();
        const row = mode === 'week' ? week : (month.find((w) => w.some((d) => dayKey(d) === day)) ?? week);
        return go(e.ctrlKey ? shownKeys[0]! : dayKey(row[0]!), e.ctrlKey && mode === 'week' ? 0 : hour);
      }
      case 'End': {
        e.preventDefault();
        const row = mode === 'week' ? week : (month.find((w) => w.some((d) => dayKey(d) === day)) ?? week);
        return go(e.ctrlKey ? shownKeys.at(-1)! : dayKey(row.at(-1)!), e.ctrlKey && mode === 'week' ? 23 : hour);
      }
      case 'PageUp':
      case 'PageDown': {
        e.preventDefault();
        const n = e.key === 'PageUp' ? -1 : 1;
        const next = mode === 'week' ? plusDays(day, 7 * n) : shiftAnchor(day, zone, 'month', n);
        return go(next, hour);
      }
      case 'Enter':
      case 'F2': {
        const first = cell.querySelector<HTMLElement>('.cal-entry');
        if (first) {
          e.preventDefault();
          first.focus();
        }
        return;
      }
    }
  };

  const sensors = useSensors(useSensor(PointerSensor, { activationConstraint: { distance: 6 } }));
  const entryOf = (id: string | number) => entries.find((x) => x.id === id);
  const dropWords = (drop: CalendarDrop | undefined) =>
    !drop
      ? ''
      : drop.hour === undefined
        ? format(dayIn(drop.day, zone), 'EEEE d MMMM', { locale })
        : `${format(dayIn(drop.day, zone), 'EEEE d MMMM', { locale })}, ${two(drop.hour)}:00`;
  const announcements: Announcements = {
    onDragStart: ({ active: a }) => t('outbox.calendar.picked', { post: excerpt(jobText(entryOf(a.id)?.job ?? null)) }),
    onDragOver: ({ over }) =>
      over ? t('outbox.calendar.over', { cell: dropWords(over.data.current?.drop) }) : undefined,
    onDragEnd: ({ over }) =>
      over ? t('outbox.calendar.dropped', { cell: dropWords(over.data.current?.drop) }) : undefined,
    onDragCancel: () => t('outbox.calendar.dragCancelled'),
  };

  /** Moves a post to `when`: said in the status line, or refused in words (the post goes back). */
  const moveTo = (entry: CalendarEntry, when: When) => {
    let time = '';
    if (when.kind === 'at') {
      try {
        const at = new Date(zonedToInstant(when.local, when.zone).at).toISOString();
        time = dualTime(at, when.zone, zone, locale, true);
      } catch {
        time = when.local;
      }
    }
    void view.act(
      entry.job.id,
      () => actions.outbox.reschedule(entry.job.id, when),
      t('outbox.done.moved', { time }),
      t('outbox.done.notMoved'),
    );
  };
  const onDragEnd = ({ active: a, over }: DragEndEvent) => {
    const entry = entryOf(a.id);
    const drop = over?.data.current?.drop as CalendarDrop | undefined;
    if (!entry || !drop || !entry.movable) return;
    let when: When | null;
    try {
      when = whenForDrop(entry.at, entry.zone, drop, zone);
    } catch {
      when = null;
    }
    if (when) moveTo(entry, when);
  };

  const period =
    mode === 'week'
      ? `${format(week[0]!, 'd MMM', { locale })} – ${format(week[6]!, 'd MMM yyyy', { locale })}`
      : format(dayIn(anchor, zone), 'LLLL yyyy', { locale });
  const unit = mode === 'week' ? 'Week' : 'Month';

  return (
    <section className="outbox-calendar" aria-labelledby={titleId}>
      <div className="cal-bar">
        <h3 id={titleId}>
          {t('outbox.calendar.title')} <span className="cal-period">{period}</span>
        </h3>
        <div className="cal-nav">
          <button
            type="button"
            className="icon"
            aria-label={t(`outbox.calendar.previous${unit}`)}
            title={t(`outbox.calendar.previous${unit}`)}
            onClick={() => setAnchor(shiftAnchor(anchor, zone, mode, -1))}
          >
            <ChevronLeft size={16} aria-hidden="true" />
          </button>
          <button type="button" onClick={() => setAnchor(today)}>
            {t('outbox.calendar.today')}
          </button>
          <button
            type="button"
            className="icon"
            aria-label={t(`outbox.calendar.next${unit}`)}
            title={t(`outbox.calendar.next${unit}`)}
            onClick={() => setAnchor(shiftAnchor(anchor, zone, mode, 1))}
          >
            <ChevronRight size={16} aria-hidden="true" />
          </button>
          <div role="group" aria-label={t('outbox.calendar.view')} className="cal-modes">
            {(['week', 'month'] as const).map((m) => (
              <button key={m} type="button" aria-pressed={mode === m} onClick={() => setMode(m)}>
                {t(`outbox.calendar.${m}`)}
              </button>
            ))}
          </div>
        </div>
      </div>
      <p id={helpId} className="muted small">
        {t('outbox.calendar.help')}
      </p>
      <DndContext
        sensors={sensors}
        collisionDetection={pointerWithin}
        onDragEnd={onDragEnd}
        accessibility={{
          announcements,
          screenReaderInstructions: { draggable: t('outbox.calendar.dragHelp') },
          ...(props.announcer ? { container: props.announcer } : {}),
        }}
      >
        <div className="cal-scroll" ref={scroller}>
          <table
            ref={table}
            role="grid"
            className={`cal-grid cal-${mode}`}
            aria-label={t(`outbox.calendar.grid${unit}`, { period })}
            aria-describedby={helpId}
            onKeyDown={onKeyDown}
          >
            <thead>
              <tr>
                {mode === 'week' && (
                  <th scope="col" className="cal-corner">
                    <span className="visually-hidden">{t('outbox.calendar.hour')}</span>
                  </th>
                )}
                {(mode === 'week' ? week : month[0]!).map((d) => (
                  <th
                    key={dayKey(d)}
                    scope="col"
                    aria-current={mode === 'week' && dayKey(d) === today ? 'date' : undefined}
                  >
                    {mode === 'week' ? (
                      <>
                        <span aria-hidden="true">{format(d, 'EEE d', { locale })}</span>
                        <span className="visually-hidden">{format(d, 'EEEE d MMMM', { locale })}</span>
                      </>
                    ) : (
                      <>
                        <span aria-hidden="true">{format(d, 'EEE', { locale })}</span>
                        <span className="visually-hidden">{format(d, 'EEEE', { locale })}</span>
                      </>
                    )}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {mode === 'week'
                ? HOURS.map((hour) => (
                    <tr key={hour} data-hour={hour}>
                      <th scope="row" className="cal-hour">
                        {`${two(hour)}:00`}
                      </th>
                      {week.map((d) => {
                        const day = dayKey(d);
                        const key = cellKey(day, hour);
                        return (
                          <Cell
                            key={key}
                            cellId={key}
                            drop={{ day, hour }}
                            focusable={key === activeKey}
                            today={day === today}
                            entries={byCell.get(key) ?? []}
                            onFocus={() => setActive({ day, hour })}
                          />
                        );
                      })}
                    </tr>
                  ))
                : month.map((row) => (
                    <tr key={dayKey(row[0]!)}>
                      {row.map((d) => {
                        const day = dayKey(d);
                        return (
                          <Cell
                            key={day}
                            cellId={day}
                            drop={{ day }}
                            focusable={day === activeKey}
                            today={day === today}
                            outside={!day.startsWith(anchorMonth)}
                            label={format(d, 'EEEE d MMMM', { locale })}
                            number={format(d, 'd', { locale })}
                            entries={byCell.get(day) ?? []}
                            onFocus={() => setActive((a) => ({ day, hour: a.hour }))}
                          />
                        );
                      })}
                    </tr>
                  ))}
            </tbody>
          </table>
        </div>
      </DndContext>
    </section>
  );
}

const excerpt = (text: string) => (text.length > 80 ? `${text.slice(0, 79)}…` : text);

/** One cell: a drop target, with its posts. */
function Cell(props: {
  cellId: string;
  drop: CalendarDrop;
  focusable: boolean;
  today: boolean;
  outside?: boolean;
  /** The day in words and its number (month view). */
  label?: string;
  number?: string;
  entries: CalendarEntry[];
  onFocus(): void;
}) {
  const { setNodeRef, isOver } = useDroppable({ id: `cell:${props.cellId}`, data: { drop: props.drop } });
  const classes = ['cal-cell', isOver && 'over', props.today && 'today', props.outside && 'outside'].filter(Boolean);
  return (
    <td
      ref={setNodeRef}
      role="gridcell"
      data-cell={props.cellId}
      data-day={props.drop.day}
      tabIndex={props.focusable ? 0 : -1}
      aria-current={props.today && props.number ? 'date' : undefined}
      className={classes.join(' ')}
      onFocus={(e) => e.target === e.currentTarget && props.onFocus()}
    >
      {props.number && (
        <>
          <span className="cal-day" aria-hidden="true">
            {props.number}
          </span>
          <span className="visually-hidden">{props.label}</span>
        </>
      )}
      {props.entries.map((entry) => (
        <Entry key={entry.id} entry={entry} />
      ))}
    </td>
  );
}

/** A post in the calendar: its time (in both zones), text and profiles; drag it, or Enter for "Move…". */
function Entry(props: { entry: CalendarEntry }) {
  const { entry } = props;
  const view = useOutboxView();
  const { words } = view;
  const { t, zone, locale } = words;
  const { attributes, listeners, setNodeRef, transform, isDragging } = useDraggable({
    id: entry.id,
    disabled: !entry.movable || view.busy.has(entry.job.id),
    attributes: { roleDescription: t('outbox.calendar.movable'), tabIndex: -1 },
  });
  const time = dualTime(entry.at, entry.zone, zone, locale);
  const text = excerpt(jobText(entry.job)) || t('outbox.noText');
  const tagOf = (target: CalendarEntry['targets'][number]) =>
    target.state === 'on-server'
      ? t('outbox.calendar.onServer')
      : target.state === 'sent'
        ? t('outbox.calendar.sent')
        : target.state === 'held'
          ? t('outbox.calendar.held')
          : target.state === 'waiting'
            ? t('outbox.calendar.waiting')
            : target.state === 'sending'
              ? t('outbox.state.sending')
              : '';
  const withTag = (label: string, tag: string) => (tag ? `${label} (${tag})` : label);
  // Shown: each network, with its state where it is not simply scheduled; said: each profile too.
  const tags = entry.targets.map((x) => withTag(NETWORK_NAMES[x.network], tagOf(x)));
  const name = t('outbox.calendar.entry', {
    time: dualTime(entry.at, entry.zone, zone, locale, true),
    profiles: entry.targets.map((x) => withTag(profileLabel(words, x), tagOf(x))).join(', '),
    text,
  });
  const states = new Set(entry.targets.map((x) => x.state));
  const editable = entry.movable && jobEditable(entry.job);
  return (
    <div className="cal-post">
      <button
        type="button"
        ref={setNodeRef}
        {...attributes}
        {...listeners}
        tabIndex={-1}
        aria-label={name}
        aria-disabled={!entry.movable}
        className={[
          'cal-entry',
          isDragging && 'dragging',
          states.has('on-server') && 'on-server',
          !entry.movable && 'done',
          (states.has('held') || states.has('waiting')) && 'attention',
        ]
          .filter(Boolean)
          .join(' ')}
        style={transform ? { transform: CSS.Translate.toString(transform) } : undefined}
        title={name}
        onClick={() => entry.movable && view.move(entry.job, entry.at, entry.zone, true)}
      >
        <span className="cal-time">
          {time
            .split(' · ')
            .map((part, i) => (i === 0 ? <span key={i}>{part}</span> : <span key={i}>{` · ${part}`}</span>))}
        </span>
        <span className="cal-text" dir="auto">
          {text}
        </span>
        <span className="cal-who">{tags.join(' · ')}</span>
      </button>
      {/* Reached from the post with the right arrow (the grid's keys, above). */}
      {editable && (
        <button
          type="button"
          tabIndex={-1}
          className="cal-edit link-button"
          disabled={view.busy.has(entry.job.id)}
          aria-label={t('outbox.named.edit', { post: jobName(words, entry.job) })}
          onClick={() => view.edit(entry.job)}
        >
          {t('outbox.actions.edit')}
        </button>
      )}
    </div>
  );
}
