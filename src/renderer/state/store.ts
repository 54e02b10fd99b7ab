// The renderer's state (zustand). Everything here mirrors main, except UI-only fields:
// layout, settings, accounts and column statuses are refreshed by sync.ts from main's responses
// and events; components read slices and call actions (actions.ts), never IPC.
import { create } from 'zustand';
import type { AccountUsage, AppInfo, ColumnStatus, Notice } from '../../shared/ipc/contract';
import type { Account, Layout } from '../../shared/model';
import { DEFAULT_SETTINGS, type Settings } from '../../shared/settings';

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
}

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
};

export const useAppStore = create<AppState>()(() => ({ ...initialState }));

export const activeDeck = (s: AppState) => s.layout?.decks.find((d) => d.id === s.layout?.activeDeckId) ?? null;
