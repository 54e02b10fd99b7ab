// One column of the deck: a region named by its title, with its posts as a feed of articles in
// a virtual list (react-virtuoso), a "new posts" marker instead of jumping while the user reads
// (announced politely), infinite scroll backwards, its network status in words, and
// keyboard-reachable controls. The feed follows the WAI-ARIA feed pattern
// (https://www.w3.org/WAI/ARIA/apg/patterns/feed/): Page Down / Page Up move focus to the next /
// previous article, Ctrl+End / Ctrl+Home leave the feed for the next / previous focusable element,
// and focus stays in the feed when the virtual list unmounts the focused article.
//
// Reading (issue 7): the column's filters and the global mute words hide entries as they are
// read from Dexie, with the count of what they hid and one click to show it. The reading position
// lives in Dexie: entries newer than it wait behind "N new posts" after a reload or a restart, and
// carry a "New" marker until the reader comes back to the column. Keys on a focused article:
// Enter opens the post in the browser, L likes, T reposts, R replies, Q quotes, O opens the
// thread and P the author's profile in the side panel, ← / → move to the previous / next column
// (also from the column itself, where focus lands in a column with no post, and its reorder handle).
// Replies and quotes go out as the profile the column acts as on the post's network (changeable in
// the composer). The column says main which posts it shows (`column.visible`, at most once a
// second), and says quietly when the shared rate budget or the X monthly budget slows or pauses it.
import { useSortable } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { useLiveQuery } from 'dexie-react-hooks';
import { ArrowLeft, ArrowRight, EllipsisVertical, GripVertical, X } from 'lucide-react';
import {
  useCallback,
  useEffect,
  useId,
  useMemo,
  useRef,
  useState,
  type FocusEvent,
  type KeyboardEvent,
  type PointerEvent,
} from 'react';
import { useTranslation } from 'react-i18next';
import { Virtuoso, type ListProps, type ScrollerProps, type VirtuosoHandle } from 'react-virtuoso';
import type { PostAction } from '../../shared/adapter';
import type { ColumnStatus } from '../../shared/ipc/contract';
import {
  COLUMN_WIDTH,
  NETWORK_NAMES,
  columnProfiles,
  type Account,
  type Column,
  type NetworkId,
  type Post,
} from '../../shared/model';
import { countNewer, olderStep, readPosition, type ShownEntry } from '../db/database';
import { columnFilters, optionsOf } from '../state/filters';
import { openComposer, openPanel, revealDone, useAppStore } from '../state/store';
import { DraftsList } from './DraftsList';
import { AnalyticsColumn } from './analytics/AnalyticsColumn';
import { ColumnOptionsDialog } from './ColumnOptionsDialog';
import { problemLines } from './column-problems';
import { useColumnPages } from './column-pages';
import { AlertRuleEditor } from './AlertRuleEditor';
import { useServices } from './context';
import { describeError, describeThrown } from './errors';
import { GapMarker } from './GapMarker';
import { MenuButton } from './MenuButton';
import { PostCard, type ActAs, type PostTool } from './PostCard';
import { postShortcut } from './post-keys';
import { webUrlOf } from './post-text';
import { formatTime, useTick } from './time';
import type { TFunction } from 'i18next';

const PAGE = 40;

/**
 * A column's title, which names its region: "#IFPower", "“battery”", "@ada", "List: Rivals", a
 * kind ("Home"), and for a monitor its hashtags then its keywords ("#IFPower #Brand · battery,
 * e-bike"), its networks being said under the title (`monitorNetworks`).
 */
export function columnTitle(t: TFunction, column: Pick<Column, 'kind' | 'query' | 'label' | 'monitor'>): string {
  if (column.kind === 'monitor' && column.monitor && !column.label) {
    const { hashtags, keywords } = column.monitor;
    const parts = [hashtags.map((h) => `#${h}`).join(' '), keywords.join(', ')].filter(Boolean);
    if (parts.length > 0) return parts.join(' · ');
  }
  switch (column.kind) {
    case 'hashtag':
    case 'search':
    case 'user':
    case 'list':
      return t(`columns.title.${column.kind}`, { query: column.label ?? column.query ?? '' });
    default:
      return t(`columns.kind.${column.kind}`);
  }
}

/**
 * The networks a monitor searches, in the order of its profiles, each once ("X · Bluesky"): a
 * profile no longer connected is left out.
 */
export function monitorNetworks(column: Pick<Column, 'profileId' | 'monitor'>, accounts: readonly Account[]): string {
  const networks = columnProfiles(column)
    .map((id) => accounts.find((a) => a.profile.id === id)?.network)
    .filter((n): n is NetworkId => n !== undefined);
  return [...new Set(networks)].map((n) => NETWORK_NAMES[n]).join(' · ');
}

/**
 * What the column's status line says quietly (not an error): that the account's shared rate budget
 * or the X monthly budget slows the column (`slowed`, a `reasons` key), or pauses it (`paused`,
 * in the error's words), with when it checks again ("Next check at 14:05", the UI's locale). Null
 * when the column polls at its own pace, and for errors (said as errors).
 */
export function quietStatus(
  t: TFunction,
  status: ColumnStatus | undefined,
  language: string,
  network: NetworkId | undefined,
): string | null {
  if (!status || status.state === 'error') return null;
  let why: string | null = null;
  if (status.state === 'paused' && status.error) why = describeError(t, status.error, language, 'column', network);
  else if (status.slowed) {
    const said = t(`reasons.${status.slowed}`, { defaultValue: '' });
    why = said || t('columns.slowed');
  }
  if (!why) return null;
  // A rate limit's words already say until when.
  if (!status.nextAt || status.error?.resetAt) return why;
  return t('columns.nextCheck', { why, time: formatTime(status.nextAt, language) });
}

/**
 * What the virtual list's own components (list, scroller, footer) need from the column. Handed
 * to react-virtuoso as its `context`, so the components themselves stay the same functions from
 * render to render (a new component type would unmount and mount the footer each time).
 */
interface FeedContext {
  label: string;
  busy: boolean;
  footer: FeedFooterProps;
}

function FeedList({ context, ref, ...props }: ListProps & { context?: FeedContext }) {
  return <div {...props} ref={ref} role="feed" aria-label={context?.label} aria-busy={context?.busy ?? false} />;
}

/**
 * The list's scroller, out of the Tab order: react-virtuoso makes it a tab stop (`tabIndex={0}`)
 * with no name and no visible focus; its articles are the feed's focusable elements. Its class
 * gives it the column's opaque background (styles.css `.feed-scroller`: scrolled by the compositor).
 */
function FeedScroller({
  context: _context,
  tabIndex: _tabIndex,
  ref,
  className,
  ...props
}: ScrollerProps & { context?: FeedContext; className?: string }) {
  return <div {...props} ref={ref} className={className ? `feed-scroller ${className}` : 'feed-scroller'} />;
}

function FeedFooterSlot({ context }: { context?: FeedContext }) {
  return context ? <FeedFooter {...context.footer} /> : null;
}

/** The virtual list's components: module constants, so react-virtuoso never sees new ones. */
const FEED_COMPONENTS = { List: FeedList, Scroller: FeedScroller, Footer: FeedFooterSlot };

/** React's key for an entry of the list: its key in the column (stable as the list grows at either end). */
const entryKey = (_index: number, entry: ShownEntry) => entry.key;

/** What can take focus with Tab, in document order (visible, enabled, not inert). */
const TABBABLE =
  'a[href], button, input, select, textarea, summary, audio[controls], video[controls], [tabindex], [contenteditable="true"]';
function tabbables(): HTMLElement[] {
  return [...document.querySelectorAll<HTMLElement>(TABBABLE)].filter(
    (el) =>
      el.tabIndex >= 0 &&
      !el.matches(':disabled') &&
      !el.closest('[inert]') &&
      el.checkVisibility({ visibilityProperty: true }),
  );
}

/** The first focusable element after `feed` (Ctrl+End), or the last one before it (Ctrl+Home). */
export function focusableBeside(feed: Element, side: 'after' | 'before'): HTMLElement | undefined {
  const all = tabbables().filter((el) => !feed.contains(el) && !el.contains(feed));
  return side === 'after'
    ? all.find((el) => feed.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING)
    : all.filter((el) => feed.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_PRECEDING).at(-1);
}

/** True when `el` shows keyboard focus (`:focus-visible`), as after Tab or Page Down, not a click. */
function focusVisible(el: Element): boolean {
  try {
    return el.matches(':focus-visible');
  } catch {
    return true; // an engine without the selector: treat focus as the keyboard's
  }
}

/** The article of the virtual list's item `index`, when it is rendered. */
const renderedArticle = (feed: Element, index: number) =>
  feed.querySelector<HTMLElement>(`[data-index="${index}"] > article`);

/** Opens a web address in the browser (Electron hands it to the system browser). */
function openInBrowser(url: string) {
  window.open(url, '_blank', 'noopener,noreferrer');
}

/** ← / → (`e.key`) from inside `section`: focus moves to the column beside it, if there is one. */
function toColumnBeside(e: KeyboardEvent, section: Element): void {
  const to = columnBeside(section, e.key === 'ArrowRight' ? 'next' : 'previous');
  if (!to) return;
  e.preventDefault();
  focusColumn(to);
}

/** The next (or previous) column of the deck beside `section`, if any. */
function columnBeside(section: Element, side: 'next' | 'previous'): HTMLElement | null {
  let el = side === 'next' ? section.nextElementSibling : section.previousElementSibling;
  while (el && !el.matches('section.column')) el = side === 'next' ? el.nextElementSibling : el.previousElementSibling;
  return el as HTMLElement | null;
}

/**
 * Focus moves to a column (← / →): to the article last focused in it when it is still rendered,
 * else the first one in view, else the column itself (a region named by its title; a column with
 * no post to show, loading, empty, all hidden by its filters or in error), where ← / → go on.
 */
export function focusColumn(section: HTMLElement): void {
  const feed = section.querySelector<HTMLElement>('[role="feed"]');
  const articles = feed ? [...feed.querySelectorAll<HTMLElement>('article')] : [];
  const last = section.dataset.lastEntry;
  const top = (feed?.closest('[data-virtuoso-scroller]') ?? feed)?.getBoundingClientRect().top ?? 0;
  const target =
    (last ? articles.find((a) => a.dataset.entryKey === last) : undefined) ??
    articles.find((a) => a.getBoundingClientRect().bottom > top + 1) ??
    section;
  target?.focus({ preventScroll: true });
  section.scrollIntoView?.({ block: 'nearest', inline: 'nearest' });
}

export function ColumnView(props: {
  column: Column;
  index: number;
  count: number;
  account: Account | undefined;
  language: string;
}) {
  const { column, index, count, account, language } = props;
  const { t } = useTranslation();
  const { actions, db } = useServices();
  const status = useAppStore((s) => s.statuses[column.id]);
  const accounts = useAppStore((s) => s.accounts);
  const globalMute = useAppStore((s) => s.settings.mute);
  const title = columnTitle(t, column);
  const titleId = useId();
  const [limit, setLimit] = useState(PAGE);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [olderError, setOlderError] = useState<string | null>(null);
  const [frozenAt, setFrozenAt] = useState<string | null>(null);
  const [showHidden, setShowHidden] = useState(false);
  const [optionsOpen, setOptionsOpen] = useState(false);
  const [alertsOpen, setAlertsOpen] = useState(false);
  // What the column last did for the reader ("Link copied", "12 posts cleared"), until dismissed.
  const [notice, setNotice] = useState<string | null>(null);
  const virtuoso = useRef<VirtuosoHandle>(null);
  const body = useRef<HTMLDivElement>(null);
  const [draftWidth, setDraftWidth] = useState<number | null>(null);
  useEffect(() => setDraftWidth(null), [column.width]);
  useTick(30_000);

  const options = useMemo(() => optionsOf(column), [column]);
  const filters = useMemo(() => columnFilters(column, globalMute ?? []), [column, globalMute]);
  const keep = filters.active ? filters.keep : undefined;
  // Read and kept live a page at a time (column-pages.ts): a delivery or a like reads again only
  // its page, scrolling on reads only the next one, and entries that did not change keep their
  // objects, so only what changed is rendered again. While new entries wait behind "N new posts"
  // (`frozenAt`), the pages start at the reading position: what waits takes no room in the
  // window, which holds what is at or below it, however much arrived since.
  const read = useColumnPages(db, column.id, limit, keep, showHidden, frozenAt);
  const entries = read?.entries;
  // What waits above the reading position, counted in Dexie (all of it, not what a window holds).
  const newer = useLiveQuery(
    () => (frozenAt === null ? null : countNewer(db, column.id, frozenAt, keep, showHidden)),
    [db, column.id, frozenAt, keep, showHidden],
  );
  const newerNow = frozenAt !== null && newer?.after === frozenAt ? newer : null;
  // What the filters hid, in the list and among what waits.
  const hidden = (read?.hidden ?? 0) + (newerNow?.hidden ?? 0);
  const cursor = useLiveQuery(async () => (await db.columnCursors.get(column.id)) ?? null, [db, column.id]);
  const reachedEnd = cursor?.reachedEnd ?? false;
  // The reading position (Dexie): undefined while it loads, null before the column has one.
  const readAt = useLiveQuery(() => readPosition(db, column.id), [db, column.id]);
  // The "New" markers stand for what arrived since the reader last came to the column: the
  // reading position as it was then (kept while she reads, so the markers do not vanish at once).
  const [seenAt, setSeenAt] = useState<string | null | undefined>(undefined);
  // Set with the restored freeze in one render: the reading position follows the list only from
  // then on (never from a render that still shows what should wait).
  const [restored, setRestored] = useState(false);
  useEffect(() => {
    if (restored || readAt === undefined || entries === undefined) return;
    const newest = entries[0]?.at;
    if (readAt === null) {
      // First sight of the column: what it holds now is not "new".
      if (!newest) return;
      setRestored(true);
      setSeenAt(newest);
      void actions.advanceRead(column.id, newest);
      return;
    }
    setRestored(true);
    setSeenAt(readAt);
    // After a reload or a restart the column opens where the reader left it, with what arrived
    // since waiting behind "N new posts".
    if (newest && newest > readAt) setFrozenAt(readAt);
  }, [actions, column.id, entries, readAt, restored]);

  // While the user reads further down, new entries wait behind a marker instead of shifting the
  // list. "New" is by the time an entry entered the timeline (a repost made now of an old post is new).
  // (The read made before the column froze holds newer entries until the read from the reading
  // position answers.)
  const shown = useMemo(() => {
    const all = entries ?? [];
    return frozenAt ? all.filter((e) => e.at <= frozenAt) : all;
  }, [entries, frozenAt]);
  const waiting = newerNow?.shown ?? 0;
  // Shows the newest entries again (what waited included): a page of them, read again from the
  // top; what is further down is read again as the reader scrolls.
  const showNewest = useCallback(() => {
    setFrozenAt(null);
    setLimit(PAGE);
  }, []);
  // A column never looks empty while it holds posts: with nothing at or below the reading position
  // (older than the whole cache, or all hidden by the filters), what waits is shown, still "New".
  useEffect(() => {
    if (frozenAt !== null && read?.top === frozenAt && read.entries.length === 0 && waiting > 0) showNewest();
  }, [frozenAt, read, showNewest, waiting]);

  // Shown to the reader: the window visible (the deck is shown, or this column would not be).
  const [visible, setVisible] = useState(() => document.visibilityState === 'visible');
  const readAtNow = useRef(readAt);
  readAtNow.current = readAt;
  useEffect(() => {
    const onChange = () => {
      const now = document.visibilityState === 'visible';
      // Coming back to the window: the markers show what arrived while it was hidden.
      if (now) setSeenAt((s) => (readAtNow.current === undefined ? s : readAtNow.current));
      setVisible(now);
    };
    document.addEventListener('visibilitychange', onChange);
    return () => document.removeEventListener('visibilitychange', onChange);
  }, []);

  // The reading position follows the top of the list while the reader is there and sees it
  // (what waits behind "N new posts" is not shown, so not read).
  const [atTop, setAtTop] = useState(true);
  const leftTop = useRef(false);
  const newestShown = shown[0]?.at;
  useEffect(() => {
    if (!restored || !visible || !atTop || !newestShown) return;
    if (readAt && readAt >= newestShown) return;
    void actions.advanceRead(column.id, newestShown);
  }, [actions, atTop, column.id, newestShown, readAt, restored, visible]);

  // Which posts are on screen, for main (counts refresh first for those), at most once a second;
  // shown: false when the window is hidden, or the column leaves the page (another deck).
  const range = useRef({ startIndex: 0, endIndex: -1 });
  const shownRef = useRef(shown);
  shownRef.current = shown;
  const reportTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const report = useCallback(() => {
    reportTimer.current = null;
    const { startIndex, endIndex } = range.current;
    const posts = shownRef.current
      .slice(startIndex, endIndex + 1)
      .flatMap((e) => (e.post ? [{ id: e.post.id, createdAt: e.post.createdAt }] : []));
    actions.reportVisible(column.id, posts, document.visibilityState === 'visible');
  }, [actions, column.id]);
  const scheduleReport = useCallback(() => {
    reportTimer.current ??= setTimeout(report, 1_000);
  }, [report]);
  useEffect(() => {
    scheduleReport();
  }, [scheduleReport, visible, shown]);
  useEffect(
    () => () => {
      if (reportTimer.current) clearTimeout(reportTimer.current);
      actions.reportVisible(column.id, [], false);
    },
    [actions, column.id],
  );

  // One page of older posts asked of the network at a time: the end of the list and its button can
  // both ask before the column renders again (on X, each page is billed).
  const askingOlder = useRef(false);
  const loadOlder = useCallback(async () => {
    if (askingOlder.current || !entries) return;
    // The cache first: everything it holds is shown, even after history reached its beginning.
    // (Once for the window shown, however often asked.)
    const step = olderStep(entries.length, limit, reachedEnd);
    if (step === 'show-more') setLimit((l) => (l === limit ? l + PAGE : l));
    if (step !== 'fetch') return;
    askingOlder.current = true;
    setLoadingOlder(true);
    setOlderError(null);
    try {
      // Only pages back from the cursor main's first page gave ('waiting' until it came).
      if ((await actions.loadOlder(column.id)) === 'more') setLimit((l) => l + PAGE);
    } catch (err) {
      setOlderError(describeThrown(t, err, language, 'dialog', account?.network));
    } finally {
      askingOlder.current = false;
      setLoadingOlder(false);
    }
  }, [account?.network, actions, column.id, entries, language, limit, reachedEnd, t]);

  const sortable = useSortable({ id: column.id });
  const style = {
    width: draftWidth ?? column.width,
    transform: CSS.Translate.toString(sortable.transform),
    transition: sortable.transition,
  };

  // Who acts on a post: one of the CM's profiles on its network, chosen per network in this
  // column; by default the profile that met the entry (`via`), else the column's, else the first.
  const [chosen, setChosen] = useState<Partial<Record<NetworkId, string>>>({});
  const actAsFor = useMemo(() => {
    const cache = new Map<string, ActAs>();
    return (network: NetworkId, via: string | undefined): ActAs => {
      const key = `${network}\u0000${via ?? ''}`;
      let actAs = cache.get(key);
      if (!actAs) {
        const options = accounts
          .filter((a) => a.network === network)
          .map((a) => ({ id: a.profile.id, handle: a.profile.handle }));
        const has = (id: string | undefined) => (id && options.some((o) => o.id === id) ? id : undefined);
        actAs = {
          options,
          value: has(chosen[network]) ?? has(via) ?? has(column.profileId) ?? options[0]?.id ?? null,
          choose: (profileId) => setChosen((c) => ({ ...c, [network]: profileId })),
        };
        cache.set(key, actAs);
      }
      return actAs;
    };
  }, [accounts, chosen, column.profileId]);

  // An action's error (a like on a deleted post) is the action's, not the column's: it shows
  // beside the column's status, until dismissed or until the column is next live.
  const [actError, setActError] = useState<{ text: string; since: string } | null>(null);
  const onAct = useCallback(
    (post: Post, action: PostAction, as?: string | null) => {
      setActError(null);
      actions.act(as ?? column.profileId, post, action).catch((err: unknown) =>
        setActError({
          text: describeThrown(t, err, language, 'dialog', post.network),
          since: useAppStore.getState().statuses[column.id]?.checkedAt ?? new Date(0).toISOString(),
        }),
      );
    },
    [actions, column.id, column.profileId, language, t],
  );
  useEffect(() => {
    if (actError && status?.state === 'live' && status.checkedAt && status.checkedAt > actError.since) {
      setActError(null);
    }
  }, [actError, status]);

  // Open in the browser, copy the link: from the post's menu or its keys; said in words. Reply and
  // quote open the composer, thread and profile the side panel, as the profile acting on the post's
  // network (`as`, else the column's choice for it).
  const onTool = useCallback(
    (post: Post, tool: PostTool, as?: string | null) => {
      if (tool === 'reply' || tool === 'quote' || tool === 'thread' || tool === 'profile') {
        const profileId = as ?? actAsFor(post.network, undefined).value;
        if (!profileId) {
          setNotice(t('reading.post.noProfile', { network: NETWORK_NAMES[post.network] }));
          return;
        }
        if (tool === 'reply') openComposer({ replyTo: post, profileId });
        else if (tool === 'quote') openComposer({ quoteOf: post, profileId });
        else if (tool === 'thread') openPanel({ kind: 'thread', network: post.network, profileId, postId: post.id });
        else openPanel({ kind: 'profile', network: post.network, profileId, handle: post.author.handle });
        return;
      }
      const web = webUrlOf(post.url);
      if (!web) {
        setNotice(t('reading.post.noAddress'));
        return;
      }
      if (tool === 'open') {
        openInBrowser(web.href);
        return;
      }
      navigator.clipboard.writeText(web.href).then(
        () => setNotice(t('reading.post.copied')),
        () => setNotice(t('reading.post.copyFailed', { url: web.href })),
      );
    },
    [actAsFor, t],
  );

  const feedElement = () => body.current?.querySelector<HTMLElement>('[role="feed"]') ?? null;

  // ← / → from the column itself (where they land in a column without a post to focus) or from its
  // reorder handle, as from an article: whatever a column holds, the keyboard moves on. Not while
  // the column is being dragged: dnd-kit's keyboard sensor moves it with the same keys.
  const onColumnKeyDown = (e: KeyboardEvent<HTMLElement>) => {
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || e.shiftKey) return;
    if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
    const onGrip = e.target instanceof HTMLElement && e.target.dataset.columnGrip !== undefined;
    if (e.target !== e.currentTarget && !(onGrip && !sortable.isDragging)) return;
    toColumnBeside(e, e.currentTarget);
  };

  /**
   * Moves focus to the article at `index`: at once when it is rendered (scrolled to its start
   * when not wholly in view), else after react-virtuoso has scrolled to it and rendered it.
   */
  const focusEntry = useCallback((index: number, scroll: 'if-needed' | 'always' = 'if-needed') => {
    const feed = body.current?.querySelector<HTMLElement>('[role="feed"]');
    if (!feed) return;
    const here = scroll === 'if-needed' ? renderedArticle(feed, index) : null;
    if (here) {
      const scroller = feed.closest('[data-virtuoso-scroller]') ?? feed;
      const box = here.getBoundingClientRect();
      const view = scroller.getBoundingClientRect();
      // react-virtuoso scrolls, so it can correct the offset as it measures the items it renders.
      if (box.top < view.top || box.bottom > view.bottom) {
        virtuoso.current?.scrollToIndex({ index, align: 'start', behavior: 'auto' });
      }
      here.focus({ preventScroll: true });
      return;
    }
    virtuoso.current?.scrollToIndex({ index, align: 'start', behavior: 'auto' });
    let frames = 0;
    const attempt = () => {
      const el = body.current && renderedArticle(body.current, index);
      if (el) el.focus({ preventScroll: true });
      else if (++frames < 60) requestAnimationFrame(attempt);
    };
    requestAnimationFrame(attempt);
  }, []);

  // The feed's keys (WAI-ARIA feed pattern), from an article or anything inside one; the post's
  // own keys (Enter, L, T, R, ← / →) only from the article itself, never from its buttons or links.
  const onFeedKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const feed = feedElement();
    const target = e.target as HTMLElement;
    const article = target.closest('article');
    if (!feed || !article || !feed.contains(article)) return;
    const plain = !e.ctrlKey && !e.metaKey && !e.altKey;
    if ((e.key === 'PageDown' || e.key === 'PageUp') && plain && !e.shiftKey) {
      e.preventDefault();
      const index = Number(article.parentElement?.dataset.index);
      const next = index + (e.key === 'PageDown' ? 1 : -1);
      if (Number.isInteger(next) && next >= 0 && next < shown.length) focusEntry(next);
      return;
    }
    if ((e.key === 'End' || e.key === 'Home') && (e.ctrlKey || e.metaKey) && !e.altKey) {
      const to = focusableBeside(feed, e.key === 'End' ? 'after' : 'before');
      if (!to) return;
      e.preventDefault();
      to.focus();
      return;
    }
    if (target !== article || !plain) return;
    if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
      const section = article.closest('section.column');
      if (section) toColumnBeside(e, section);
      return;
    }
    const entry = shown.find((x) => x.key === article.dataset.entryKey);
    const post = entry?.post;
    if (!entry || !post || entry.gap) return;
    const which = postShortcut(e);
    if (!which) return;
    e.preventDefault();
    if (which === 'open') return onTool(post, 'open');
    const actAs = actAsFor(post.network, entry.via);
    if (!actAs.value) return setNotice(t('reading.post.noProfile', { network: NETWORK_NAMES[post.network] }));
    if (which === 'like' || which === 'repost') {
      const on = which === 'like' ? post.viewer?.liked : post.viewer?.reposted;
      onAct(post, which === 'like' ? (on ? 'unlike' : 'like') : on ? 'unrepost' : 'repost', actAs.value);
    } else onTool(post, which, actAs.value);
  };

  // Focus stays in the feed when the virtual list unmounts the focused article (scrolled far away
  // by wheel or scrollbar, or its post deleted): the same entry if it is rendered again, else the
  // first article in view. Focus on the list's footer ("Load older posts") that goes away moves to
  // the last article in view; with no article left, to the column itself. Focus the user moved
  // elsewhere is left alone.
  const lastFocus = useRef<{ key: string | null; el: HTMLElement } | null>(null);
  const onBodyFocus = (e: FocusEvent<HTMLDivElement>) => {
    const key = (e.target as HTMLElement).closest('article')?.dataset.entryKey;
    lastFocus.current = { key: key ?? null, el: e.target as HTMLElement };
    // Where ← / → from another column come back to.
    const section = e.currentTarget.closest<HTMLElement>('section.column');
    if (key && section) section.dataset.lastEntry = key;
    // While the reader walks the feed by keyboard, new entries wait behind "N new posts" even at
    // the top: the article she is on, and the ones Page Up leads to, keep their places. (A click
    // leaves the live flow as it is.)
    const target = e.target as HTMLElement;
    if (key && target.tagName === 'ARTICLE' && focusVisible(target)) {
      setFrozenAt((f) => f ?? shownRef.current[0]?.at ?? null);
    }
  };
  const onBodyBlur = (e: FocusEvent<HTMLDivElement>) => {
    const left = e.target as HTMLElement;
    if (e.relatedTarget && !e.currentTarget.contains(e.relatedTarget as Node)) lastFocus.current = null;
    else if (!e.relatedTarget) {
      // Focus went to nothing: by a click outside (the element is still there), or by removal.
      setTimeout(() => {
        if (lastFocus.current?.el === left && left.isConnected && !body.current?.contains(document.activeElement)) {
          lastFocus.current = null;
        }
      }, 0);
    }
  };
  useEffect(() => {
    const root = body.current;
    if (!root) return;
    const observer = new MutationObserver(() => {
      const last = lastFocus.current;
      if (!last || last.el.isConnected) return;
      if (document.activeElement && document.activeElement !== document.body) return;
      const feed = root.querySelector<HTMLElement>('[role="feed"]');
      const articles = feed ? [...feed.querySelectorAll<HTMLElement>('article')] : [];
      const view = (feed?.closest('[data-virtuoso-scroller]') ?? feed)?.getBoundingClientRect();
      const firstInView = () => articles.find((a) => a.getBoundingClientRect().bottom > (view?.top ?? 0) + 1);
      const lastInView = () =>
        articles.filter((a) => a.getBoundingClientRect().top < (view?.bottom ?? Infinity) - 1).at(-1);
      const to =
        last.key !== null
          ? (articles.find((a) => a.dataset.entryKey === last.key) ?? firstInView())
          : (root.querySelector<HTMLElement>('.column-note button') ?? lastInView());
      (to ?? root.closest<HTMLElement>('section.column'))?.focus({ preventScroll: true });
    });
    observer.observe(root, { childList: true, subtree: true });
    return () => observer.disconnect();
  }, []);

  // An alert's "Show" or a clicked notification asks this column to show a post (the store's
  // `reveal`): the post is brought into view and focused (shown first if it waited behind
  // "N new posts"); a post the column no longer holds brings the column itself into view.
  const reveal = useAppStore((s) => (s.reveal?.columnId === column.id ? s.reveal : null));
  useEffect(() => {
    // Decided on the read of what is shown now, not one made before the column froze or thawed.
    if (!reveal || !read || read.top !== frozenAt || (frozenAt !== null && !newerNow)) return;
    const { postId } = reveal;
    const index = postId ? shown.findIndex((e) => e.post?.id === postId) : -1;
    if (index < 0 && postId && frozenAt !== null && waiting > 0) {
      // It may be among what waits: shown, with room in the window for all of it.
      setFrozenAt(null);
      setLimit((l) => Math.max(l, waiting + PAGE));
      return;
    }
    revealDone();
    if (index >= 0) focusEntry(index, 'always');
    else {
      const section = body.current?.closest<HTMLElement>('section.column');
      if (section) focusColumn(section);
    }
  }, [focusEntry, frozenAt, newerNow, read, reveal, shown, waiting]);

  // "N new posts": activating it shows them and focuses the first (the button itself goes away).
  const pendingFocus = useRef(false);
  const showNew = () => {
    pendingFocus.current = true;
    showNewest();
  };
  useEffect(() => {
    // Once the newest entries are read (the read from the reading position is still shown until then).
    if (!pendingFocus.current || frozenAt !== null || read?.top !== null) return;
    pendingFocus.current = false;
    focusEntry(0, 'always');
  }, [focusEntry, frozenAt, read, shown]);

  // Said politely once the count settles (a burst of arrivals is one announcement), not on every render.
  const [announcement, setAnnouncement] = useState('');
  useEffect(() => {
    if (waiting === 0) {
      setAnnouncement('');
      return;
    }
    const timer = setTimeout(() => setAnnouncement(t('columns.newPosts', { count: waiting })), 1_500);
    return () => clearTimeout(timer);
  }, [t, waiting]);

  const markAllRead = async () => {
    const at = await actions.markAllRead(column.id);
    setSeenAt(at);
    showNewest();
    virtuoso.current?.scrollToIndex({ index: 0, align: 'start', behavior: 'auto' });
    setNotice(t('reading.menu.markedRead'));
  };
  // "Check now" says it is checking until the column's next check is reported.
  const [checkingSince, setCheckingSince] = useState<string | null>(null);
  useEffect(() => {
    if (!checkingSince || !status?.checkedAt || status.checkedAt <= checkingSince) return;
    setCheckingSince(null);
    setNotice((n) => (n === t('reading.menu.checking') ? null : n));
  }, [checkingSince, status?.checkedAt, t]);
  const checkNow = async () => {
    try {
      const since = new Date().toISOString();
      const woken = await actions.refreshColumn(column.id);
      if (woken) setCheckingSince(since);
      setNotice(t(woken ? 'reading.menu.checking' : 'reading.menu.checkedJustNow'));
    } catch (err) {
      setActError({
        text: describeThrown(t, err, language, 'dialog', account?.network),
        since: useAppStore.getState().statuses[column.id]?.checkedAt ?? new Date(0).toISOString(),
      });
    }
  };
  const clear = async () => {
    const removed = await actions.clearColumn(column.id);
    setFrozenAt(null);
    setShowHidden(false);
    setLimit(PAGE);
    setNotice(t('reading.menu.cleared', { count: removed }));
  };

  // The feed's size is known only once the column has reached the beginning of its history.
  const atBeginning = reachedEnd && (entries?.length ?? 0) < limit;

  // What went wrong, naming the profile and network it concerns (a monitor: each profile in trouble).
  const problems = problemLines(t, status, accounts, language, account?.network);
  const statusText = problems.length ? problems.map((p) => p.text).join('\n') : null;
  // Paused or slowed by a budget (or offline): said quietly, with when it checks again (a monitor's
  // paused profiles are among its problems above).
  const quietText = status?.profiles?.length
    ? null
    : quietStatus(
        t,
        status,
        language,
        accounts.find((a) => a.profile.id === status?.profileId)?.network ?? account?.network,
      );
  const networks = column.kind === 'monitor' ? monitorNetworks(column, accounts) : '';
  // The virtual list's props stay the same objects while what they say is the same: react-virtuoso
  // renders its items again whenever `itemContent` or `context` change, and a column renders at
  // every status from main (each poll) and every 30 s (relative times).
  const total = atBeginning ? shown.length : -1;
  const media = options.media;
  const network = account?.network;
  const itemContent = useCallback(
    (i: number, entry: ShownEntry) =>
      entry.gap ? (
        <GapMarker
          entry={{ ...entry, gap: entry.gap }}
          columnId={column.id}
          position={i + 1}
          total={total}
          language={language}
          network={network}
        />
      ) : (
        <PostCard
          entry={entry}
          position={i + 1}
          total={total}
          language={language}
          onAct={onAct}
          onTool={onTool}
          previews={media}
          unread={seenAt !== undefined && seenAt !== null && entry.at > seenAt}
          actAs={entry.post ? actAsFor(entry.post.network, entry.via) : undefined}
        />
      ),
    [actAsFor, column.id, language, media, network, onAct, onTool, seenAt, total],
  );
  const olderNow = useRef(loadOlder);
  olderNow.current = loadOlder;
  const onEndReached = useCallback(() => void olderNow.current(), []);
  const onRangeChanged = useCallback(
    (r: { startIndex: number; endIndex: number }) => {
      range.current = r;
      scheduleReport();
    },
    [scheduleReport],
  );
  const onAtTopStateChange = useCallback(
    (top: boolean) => {
      setAtTop(top);
      // Back at the top after reading down: what waited is shown, and the "New" markers move on to
      // stand for what came since. (The first "at top" of a column restored at its reading position
      // keeps the new posts waiting.)
      if (top && leftTop.current) {
        setSeenAt((seen) => readAtNow.current ?? seen);
        showNewest();
      } else if (!top) {
        leftTop.current = true;
        setFrozenAt((f) => f ?? shownRef.current[0]?.at ?? null);
      }
    },
    [showNewest],
  );
  const feedLabel = t('columns.feed', { title });
  const clearedAt = cursor?.clearedAt ?? null;
  // When filters hid a whole page, the list did not grow: scrolling cannot ask again.
  const canAskOlder = !!cursor && !reachedEnd && (entries?.length ?? 0) < limit;
  const feedContext = useMemo<FeedContext>(
    () => ({
      label: feedLabel,
      busy: loadingOlder,
      footer: {
        loading: loadingOlder,
        end: atBeginning,
        clearedAt,
        error: olderError,
        language,
        onLoadOlder: canAskOlder ? () => void olderNow.current() : undefined,
      },
    }),
    [atBeginning, canAskOlder, clearedAt, feedLabel, language, loadingOlder, olderError],
  );

  return (
    <section
      ref={sortable.setNodeRef}
      style={style}
      className={`column${sortable.isDragging ? ' dragging' : ''}${options.density === 'compact' ? ' compact' : ''}`}
      aria-labelledby={titleId}
      data-column-id={column.id}
      tabIndex={-1}
      onKeyDown={onColumnKeyDown}
    >
      <header className="column-head">
        <button
          type="button"
          className="icon grip"
          data-column-grip=""
          aria-label={t('columns.drag', { title })}
          title={t('columns.drag', { title })}
          {...sortable.attributes}
          {...sortable.listeners}
        >
          <GripVertical size={16} aria-hidden="true" />
        </button>
        <div className="column-titles">
          <h2 id={titleId} className="column-title" dir="auto">
            {title}
          </h2>
          {networks ? (
            <p className="column-profile">
              <span>{networks}</span>
              {/* A monitor that reads through the practice profile shows practice data among its posts. */}
              {columnProfiles(column).some((id) => accounts.find((a) => a.profile.id === id)?.practice) && (
                <span className="badge practice" title={t('columns.practiceHelp')}>
                  {t('columns.practice')}
                </span>
              )}
            </p>
          ) : (
            // Drafts and analytics are this computer's, whichever profile the column was made with.
            account &&
            column.kind !== 'drafts' &&
            column.kind !== 'analytics' && (
              <p className="column-profile">
                <span>
                  <span dir="ltr">@{account.profile.handle}</span> · {NETWORK_NAMES[account.network]}
                </span>
                {account.practice && (
                  <span className="badge practice" title={t('columns.practiceHelp')}>
                    {t('columns.practice')}
                  </span>
                )}
              </p>
            )
          )}
        </div>
        <div className="column-tools">
          {/* Filters, alerts, read markers and clearing are about posts; drafts and analytics have their own tools. */}
          {column.kind !== 'drafts' && column.kind !== 'analytics' && (
            <MenuButton
              label={t('reading.menu.label', { title })}
              icon={<EllipsisVertical size={16} aria-hidden="true" />}
              entries={[
                { label: t('reading.menu.checkNow'), onSelect: () => void checkNow() },
                { label: t('reading.menu.options'), onSelect: () => setOptionsOpen(true) },
                { label: t('alertRule.menu'), onSelect: () => setAlertsOpen(true) },
                { label: t('reading.menu.markRead'), onSelect: () => void markAllRead() },
                { label: t('reading.menu.clear'), onSelect: () => void clear() },
              ]}
            />
          )}
          <button
            type="button"
            className="icon"
            aria-label={t('columns.moveLeft')}
            title={t('columns.moveLeft')}
            disabled={index === 0}
            onClick={() => void actions.moveColumn(column.id, index - 1)}
          >
            <ArrowLeft size={16} aria-hidden="true" />
          </button>
          <button
            type="button"
            className="icon"
            aria-label={t('columns.moveRight')}
            title={t('columns.moveRight')}
            disabled={index === count - 1}
            onClick={() => void actions.moveColumn(column.id, index + 1)}
          >
            <ArrowRight size={16} aria-hidden="true" />
          </button>
          <button
            type="button"
            className="icon"
            aria-label={t('columns.remove')}
            title={t('columns.remove')}
            onClick={() => void actions.removeColumn(column.id)}
          >
            <X size={16} aria-hidden="true" />
          </button>
        </div>
      </header>
      {statusText && (
        <p className="column-status error" role="status">
          {problems.map((p, i) => (
            <span key={`${p.profileId}-${i}`} className="problem-line">
              {p.text}
            </span>
          ))}
        </p>
      )}
      {quietText && (
        // Not a live region: the next check's time changes at every poll, and nothing here is urgent.
        <p className="column-status quiet" data-testid="column-pace">
          {quietText}
        </p>
      )}
      {status?.skipped ? (
        <p className="column-status warn" role="status">
          {t('columns.skipped', { count: status.skipped })}
        </p>
      ) : null}
      {filters.errors.length > 0 && (
        <p className="column-status warn">
          {t('reading.filters.badPatterns', {
            patterns: filters.errors.map((x) => x.pattern).join(', '),
            count: filters.errors.length,
          })}
        </p>
      )}
      {hidden > 0 && (
        <p className="column-status filters">
          <span>{t(showHidden ? 'reading.filters.showing' : 'reading.filters.hidden', { count: hidden })}</span>{' '}
          <button type="button" className="link" aria-pressed={showHidden} onClick={() => setShowHidden((v) => !v)}>
            {showHidden ? t('reading.filters.hide') : t('reading.filters.show')}
          </button>
        </p>
      )}
      {notice && (
        <div className="column-status told" role="status">
          <span>{notice}</span>
          <button
            type="button"
            className="icon"
            aria-label={t('columns.dismiss')}
            title={t('columns.dismiss')}
            onClick={() => setNotice(null)}
          >
            <X size={14} aria-hidden="true" />
          </button>
        </div>
      )}
      {actError && (
        <div className="column-status error action-error" role="alert">
          <span>{actError.text}</span>
          <button
            type="button"
            className="icon"
            aria-label={t('columns.dismiss')}
            title={t('columns.dismiss')}
            onClick={() => setActError(null)}
          >
            <X size={14} aria-hidden="true" />
          </button>
        </div>
      )}
      {waiting > 0 && (
        <button type="button" className="new-posts" onClick={showNew}>
          {t('columns.newPosts', { count: waiting })}
        </button>
      )}
      <p className="visually-hidden" role="status">
        {announcement}
      </p>
      {column.kind === 'drafts' ? (
        <div className="column-body">
          <DraftsList db={db} language={language} />
        </div>
      ) : column.kind === 'analytics' ? (
        <div className="column-body">
          <AnalyticsColumn db={db} language={language} title={title} />
        </div>
      ) : (
        <div className="column-body" ref={body} onKeyDown={onFeedKeyDown} onFocus={onBodyFocus} onBlur={onBodyBlur}>
          {entries === undefined ? (
            <p className="column-note">{t('columns.loading')}</p>
          ) : entries.length === 0 && !statusText && status?.state !== 'paused' ? (
            <p className="column-note">
              {cursor?.clearedAt
                ? t('reading.menu.clearedEmpty')
                : hidden > 0
                  ? t('reading.filters.allHidden')
                  : status?.state === 'live'
                    ? t('columns.empty')
                    : t('columns.loading')}
            </p>
          ) : (
            <Virtuoso<ShownEntry, FeedContext>
              ref={virtuoso}
              data={shown}
              context={feedContext}
              components={FEED_COMPONENTS}
              computeItemKey={entryKey}
              itemContent={itemContent}
              endReached={onEndReached}
              rangeChanged={onRangeChanged}
              atTopStateChange={onAtTopStateChange}
              increaseViewportBy={400}
            />
          )}
        </div>
      )}
      <ResizeHandle column={column} title={title} width={draftWidth ?? column.width} setDraft={setDraftWidth} />
      {alertsOpen && <AlertRuleEditor column={column} title={title} onDone={() => setAlertsOpen(false)} />}
      {optionsOpen && (
        <ColumnOptionsDialog column={column} title={title} onClose={() => setOptionsOpen(false)} language={language} />
      )}
    </section>
  );
}

interface FeedFooterProps {
  loading: boolean;
  end: boolean;
  clearedAt: string | null;
  error: string | null;
  language: string;
  onLoadOlder?: (() => void) | undefined;
}

function FeedFooter(props: FeedFooterProps) {
  const { t } = useTranslation();
  const { onLoadOlder, loading } = props;
  if (props.error || onLoadOlder) {
    // One button, kept in its place, asks for older posts and says while they load: focus on it
    // (Ctrl+End, Tab) stays when reaching it scrolls the list to its end and loading starts, and
    // when loading fails.
    return (
      <div className={props.error ? 'column-note error' : 'column-note'}>
        {props.error ? <p>{props.error}</p> : null}
        {onLoadOlder ? (
          <button type="button" aria-disabled={loading || undefined} onClick={loading ? undefined : onLoadOlder}>
            {t(loading ? 'columns.loadingOlder' : 'reading.loadOlder')}
          </button>
        ) : null}
      </div>
    );
  }
  if (loading) return <p className="column-note">{t('columns.loadingOlder')}</p>;
  if (props.end && props.clearedAt) {
    return (
      <p className="column-note">
        {t('reading.menu.clearedAt', { time: formatTime(props.clearedAt, props.language) })}
      </p>
    );
  }
  if (props.end) return <p className="column-note">{t('columns.end')}</p>;
  return null;
}

/** The column's right edge: drag with a pointer, or focus it and use the arrow keys. */
function ResizeHandle(props: { column: Column; title: string; width: number; setDraft: (w: number | null) => void }) {
  const { column, title, width, setDraft } = props;
  const { t } = useTranslation();
  const { actions } = useServices();
  const start = useRef<{ x: number; width: number } | null>(null);
  const clamp = (w: number) => Math.round(Math.min(COLUMN_WIDTH.max, Math.max(COLUMN_WIDTH.min, w)));

  const commit = (w: number) => {
    if (w !== column.width) void actions.resizeColumn(column.id, w);
  };
  const onKeyDown = (e: KeyboardEvent) => {
    const step = e.shiftKey ? 60 : 20;
    const next =
      e.key === 'ArrowLeft'
        ? width - step
        : e.key === 'ArrowRight'
          ? width + step
          : e.key === 'Home'
            ? COLUMN_WIDTH.min
            : e.key === 'End'
              ? COLUMN_WIDTH.max
              : null;
    if (next === null) return;
    e.preventDefault();
    // Shown at once, so a key pressed before main answers steps from here, not from the old width.
    setDraft(clamp(next));
    commit(clamp(next));
  };
  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    e.currentTarget.setPointerCapture(e.pointerId);
    start.current = { x: e.clientX, width: column.width };
  };
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    if (start.current) setDraft(clamp(start.current.width + e.clientX - start.current.x));
  };
  const onPointerUp = () => {
    if (start.current && width !== column.width) commit(width);
    start.current = null;
  };
  return (
    <div
      className="resize-handle"
      role="separator"
      aria-orientation="vertical"
      aria-label={t('columns.resize', { title })}
      aria-valuemin={COLUMN_WIDTH.min}
      aria-valuemax={COLUMN_WIDTH.max}
      aria-valuenow={width}
      tabIndex={0}
      onKeyDown={onKeyDown}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
    />
  );
}
