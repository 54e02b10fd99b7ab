// The renderer's state (zustand). Everything here mirrors main, except UI-only fields:
// layout, settings, accounts and column statuses are refreshed by sync.ts from main's responses
// and events; components read slices and call actions (actions.ts), never IPC.
import { create } from 'zustand';
import type { AccountUsage, AppInfo, ColumnStatus, EventOf, Notice } from '../../shared/ipc/contract';
import type { Account, Layout, NetworkId, Post } from '../../shared/model';
import { DEFAULT_SETTINGS, type Settings } from '../../shared/settings';
import type { PostPart, When } from '../../shared/outbox';

export interface AppState {
  phase: 'connecting' | 'ready' | 'failed';
  failure: string | null;
  connected: boolean;
  info: AppInfo | null;
  settings: Settings;
  layout: Layout | null;
  accounts: Account[];
  statuses: Record<string, ColumnStatus>;
  /** The authorization page a connect flow waits on (shown as a link), or null. */
  authorizeUrl: string | null;
  /** The X cost meter, by account id. */
  usage: Record<string, AccountUsage>;
  /** Data files main had to reset (damaged, newer, unreadable), until the user dismisses them. */
  notices: Notice[];
  /** Post ids with an action (like, repost…) sent and not answered yet: shown as pending. */
  pendingActs: Record<string, true>;
  /**
   * Alerts main fired ('alert.fired') while this page was open, newest first, at most
   * `ALERTS_KEPT`: the page's own list (toasts and the Alerts list); nothing else keeps it.
   */
  alerts: PageAlert[];
  /**
   * Alerts not yet seen, as main counts them (the tray badge). Main owns the count: each
   * 'alert.fired' brings it, and the `seeAlerts` action sets it to 0 as it tells main.
   */
  alertsUnseen: number;
  /**
   * A post a column is asked to show: scroll to it and focus it (an alert's "Show", a clicked
   * desktop notification). UI-only. Set by `requestReveal` once the column's deck is active; the
   * column holding `columnId` shows `postId` (or, when null or no longer held, just itself) and
   * then calls `revealDone()`. A column not yet on screen finds it waiting when it mounts.
   */
  reveal: { columnId: string; postId: string | null } | null;
  /** What the composer was opened with (UI-only); null while it is closed. Set by `openComposer`. */
  compose: ComposeRequest | null;
  /**
   * What the side panel shows (UI-only): the views opened from it, the one shown last; empty while
   * it is closed. Set by `openPanel`, `panelBack`, `closePanel`.
   */
  panel: PanelView[];
}

/**
 * How the composer opens: a new post, or a reply to / a quote of a post, as one of the CM's
 * profiles (`profileId`: preselected, changeable among her profiles on the post's network).
 */
export interface ComposeRequest {
  /** The text it starts with (empty by default; a reply on Mastodon starts with the author's handle). */
  text?: string;
  replyTo?: Post;
  quoteOf?: Post;
  profileId?: string | null;
  /**
   * A scheduled job to change (the Outbox's "Edit…"): `initial` holds its content, open targets
   * and time; saving sends `outbox.edit`, and no draft is written.
   */
  edit?: { jobId: string };
  /** A draft to go on with (the Drafts column): its id, and what it holds. */
  draftId?: string;
  initial?: {
    targets: string[];
    parts: PostPart[];
    variants: Partial<Record<NetworkId, PostPart[]>>;
    when: When;
  };
}

/**
 * One view of the side panel: a post's thread, or a profile's page, read as `profileId` (one of
 * the CM's profiles on `network`, the one the column acts as).
 */
export type PanelView =
  | { kind: 'thread'; network: NetworkId; profileId: string; postId: string }
  | { kind: 'profile'; network: NetworkId; profileId: string; handle: string };

/** An alert as the page lists it: what main said, and whether its toast was dismissed. */
export interface PageAlert extends Omit<EventOf<'alert.fired'>, 'unseen'> {
  /** Unique in this page's life. */
  id: string;
  /** The CM dismissed its toast (it stays in the Alerts list). */
  dismissed: boolean;
}

/** How many alerts the page keeps listed (the oldest leave first). */
export const ALERTS_KEPT = 100;

export const initialState: AppState = {
  phase: 'connecting',
  failure: null,
  connected: true,
  info: null,
  settings: DEFAULT_SETTINGS,
  layout: null,
  accounts: [],
  statuses: {},
  authorizeUrl: null,
  usage: {},
  notices: [],
  pendingActs: {},
  alerts: [],
  alertsUnseen: 0,
  reveal: null,
  compose: null,
  panel: [],
};

export const useAppStore = create<AppState>()(() => ({ ...initialState }));

export const activeDeck = (s: AppState) => s.layout?.decks.find((d) => d.id === s.layout?.activeDeckId) ?? null;

/** The deck holding a column (shown or not), or null when no deck has it. */
export const deckHolding = (layout: AppState['layout'], columnId: string): string | null =>
  layout?.decks.find((d) => d.columns.some((c) => c.id === columnId))?.id ?? null;

let alertNumber = 0;

/** Main fired an alert ('alert.fired'): listed first (shown as a toast), and main's unseen count kept. */
export function alertArrived(fired: EventOf<'alert.fired'>): void {
  const { unseen, ...rest } = fired;
  const alert: PageAlert = { ...rest, id: `alert-${++alertNumber}`, dismissed: false };
  useAppStore.setState((s) => ({ alerts: [alert, ...s.alerts].slice(0, ALERTS_KEPT), alertsUnseen: unseen }));
}

/** The CM dismissed an alert's toast (`id`), or every toast (no id). The Alerts list keeps them. */
export function dismissAlert(id?: string): void {
  useAppStore.setState((s) => ({
    alerts: s.alerts.map((a) => (id === undefined || a.id === id ? { ...a, dismissed: true } : a)),
  }));
}

/** Ask the column `columnId` to show `postId` (see `AppState.reveal`); its deck must be active first. */
export function requestReveal(columnId: string, postId: string | null): void {
  useAppStore.setState({ reveal: { columnId, postId } });
}

/**
 * Show `postId` in its column, as an alert's "Show" and a clicked notification ('alert.open') do:
 * the deck holding the column becomes active (`activate` asks main for it), then the column is
 * asked to show the post (`reveal`). Answers false, doing nothing, when no deck holds the column
 * any more (it was removed since the alert).
 */
export async function showInColumn(
  activate: (deckId: string) => Promise<unknown>,
  columnId: string,
  postId: string | null,
): Promise<boolean> {
  const { layout } = useAppStore.getState();
  const deckId = deckHolding(layout, columnId);
  if (!deckId) return false;
  if (layout?.activeDeckId !== deckId) await activate(deckId);
  requestReveal(columnId, postId);
  return true;
}

/** The column showed what `reveal` asked for. */
export function revealDone(): void {
  useAppStore.setState({ reveal: null });
}

/** Open the composer (a new post, a reply, a quote); it replaces one already open. */
export function openComposer(request: ComposeRequest = {}): void {
  useAppStore.setState({ compose: request });
}

/** The composer closed (sent, cancelled). */
export function closeComposer(): void {
  useAppStore.setState({ compose: null });
}

/**
 * Show `view` in the side panel: from a column it replaces what the panel showed (`from: 'deck'`);
 * from inside the panel (a reply's thread, an author's profile) it goes on top, and "Back"
 * returns to the view before.
 */
export function openPanel(view: PanelView, from: 'deck' | 'panel' = 'deck'): void {
  useAppStore.setState((s) => ({ panel: from === 'panel' ? [...s.panel, view] : [view] }));
}

/** Back to the side panel's previous view (closes it from its first one). */
export function panelBack(): void {
  useAppStore.setState((s) => ({ panel: s.panel.slice(0, -1) }));
}

/** Close the side panel. */
export function closePanel(): void {
  useAppStore.setState({ panel: [] });
}
