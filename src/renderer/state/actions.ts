// What the UI can ask for. Each action calls main and applies the answer to the store; errors are
// thrown as ApiError for the caller (a dialog, a column) to show where they happened.
import type { PostAction } from '../../shared/adapter';
import type { ConnectRequest } from '../../shared/accounts';
import type { AlertRule, ColumnOptions, ColumnSpec, MonitorQuery, Post } from '../../shared/model';
import { isPostGone } from '../../shared/errors';
import type { Settings } from '../../shared/settings';
import { ApiError, type Api } from '../api';
import type { RequestOf } from '../../shared/ipc/contract';
import {
  advanceReadPosition,
  clearColumn,
  forgetColumn,
  forgetPosts,
  markColumnRead,
  storeColumnEntries,
  type ColonnadeDb,
} from '../db/database';
import { makeOutboxActions } from './outbox';
import { makeStageMedia } from '../media/stage';
import { useAppStore } from './store';

export type Actions = ReturnType<typeof makeActions>;

export function makeActions(api: Api, db: ColonnadeDb) {
  const setLayout = (layout: Awaited<ReturnType<typeof api<'layout.get'>>>) => useAppStore.setState({ layout });
  const deckId = () => {
    const id = useAppStore.getState().layout?.activeDeckId;
    if (!id) throw new Error('No deck yet');
    return id;
  };
  /** The deck that holds a column (any deck, shown or not). */
  const deckOf = (columnId: string) => {
    const deck = useAppStore.getState().layout?.decks.find((d) => d.columns.some((c) => c.id === columnId));
    if (!deck) throw new Error('That column is on no deck');
    return deck.id;
  };
  // What each column last said it shows, so an unchanged report is not sent again.
  const lastVisible = new Map<string, string>();
  return {
    /** Publish jobs: reschedule, cancel, retry, remove; profiles' queues (state/outbox.ts). */
    outbox: makeOutboxActions(api),
    createDeck: async (name: string) => setLayout(await api('deck.create', { name })),
    renameDeck: async (id: string, name: string) => setLayout(await api('deck.rename', { deckId: id, name })),
    deleteDeck: async (id: string) => setLayout(await api('deck.delete', { deckId: id })),
    activateDeck: async (id: string) => setLayout(await api('deck.activate', { deckId: id })),
    addColumn: async (spec: ColumnSpec) => setLayout(await api('column.add', { deckId: deckId(), spec })),
    removeColumn: async (columnId: string) => {
      setLayout(await api('column.remove', { deckId: deckId(), columnId }));
      await forgetColumn(db, columnId);
    },
    moveColumn: async (columnId: string, toIndex: number) =>
      setLayout(await api('column.move', { deckId: deckId(), columnId, toIndex })),
    resizeColumn: async (columnId: string, width: number) =>
      setLayout(await api('column.resize', { deckId: deckId(), columnId, width })),
    /** Connect or reconnect an account; OAuth flows resolve once the user authorized. */
    connectAccount: async (request: ConnectRequest, allowWeakStorage: boolean) => {
      try {
        const account = await api('accounts.connect', { request, allowWeakStorage });
        const [accounts, usage] = await Promise.all([api('accounts.list', {}), api('usage.get', {})]);
        useAppStore.setState({ accounts, usage: Object.fromEntries(usage.map((u) => [u.accountId, u])) });
        return account;
      } finally {
        useAppStore.setState({ authorizeUrl: null });
      }
    },
    cancelConnect: async () => {
      await api('accounts.cancel', {});
    },
    removeAccount: async (accountId: string) => {
      await api('accounts.remove', { accountId });
      useAppStore.setState({ accounts: await api('accounts.list', {}) });
    },
    configureUsage: async (
      accountId: string,
      change: { prices?: { post: number; ownPost: number }; monthlyBudget?: number | null },
    ) => {
      const usage = await api('usage.configure', { accountId, ...change });
      useAppStore.setState((s) => ({ usage: { ...s.usage, [accountId]: usage } }));
    },
    /** Notices not yet dismissed (a data file reset at start…), and dismissing one. */
    dismissNotice: async (id: string) => useAppStore.setState({ notices: await api('notices.dismiss', { id }) }),
    /**
     * Hand a post (or thread) for several profiles to main's outbox: now, at a time in a zone, or
     * in each profile's queue. `request.id` is chosen once per post written: sending it again
     * makes no second job. Answers the job as main made it.
     */
    submitPost: (request: RequestOf<'outbox.submit'>) => api('outbox.submit', request),
    /** Hands a picked file to main's media store, in chunks, with progress (media/stage.ts). */
    stageMedia: makeStageMedia(api),
    /** A post in its conversation, read as `profileId` (the side panel). Not cached. */
    thread: (profileId: string, postId: string) => api('post.thread', { profileId, postId }),
    /**
     * A profile's page and one page of its posts (`cursor`: null for the newest, else the last
     * page's `older`), read as `profileId` (the side panel). Not cached.
     */
    profilePage: (profileId: string, handle: string, cursor: string | null) =>
      api('profile.get', { profileId, handle, cursor }),
    listsFor: (profileId: string) => api('column.lists', { profileId }),
    /**
     * Act on a post as a profile, showing the result at once (marked pending in `pendingActs`
     * until main answers) and undoing it if the network refuses or the core is away. When the
     * network answers that the post no longer exists (`isPostGone`: `not-found` with a reason such
     * as `deleted`), the post leaves every column; the error is thrown still, for the column to
     * say what happened.
     */
    act: async (profileId: string, post: Post, action: PostAction) => {
      const before = await db.posts.get(post.id);
      if (before && action !== 'delete') {
        const liked = action === 'like' ? true : action === 'unlike' ? false : (before.viewer?.liked ?? false);
        const reposted =
          action === 'repost' ? true : action === 'unrepost' ? false : (before.viewer?.reposted ?? false);
        const delta = (on: boolean, was: boolean | undefined) => (on === !!was ? 0 : on ? 1 : -1);
        await db.posts.update(post.id, {
          viewer: { liked, reposted },
          metrics: {
            ...before.metrics,
            likes: Math.max(0, before.metrics.likes + delta(liked, before.viewer?.liked)),
            reposts: Math.max(0, before.metrics.reposts + delta(reposted, before.viewer?.reposted)),
          },
        });
      }
      // Pending until main answers (the core may be away: the bridge waits a little for it).
      const pending = (on: boolean) =>
        useAppStore.setState((s) => {
          const { [post.id]: _, ...rest } = s.pendingActs;
          return { pendingActs: on ? { ...rest, [post.id]: true } : rest };
        });
      pending(true);
      try {
        await api('post.act', { profileId, postId: post.id, action });
        if (action === 'delete') await forgetPosts(db, [post.id]);
      } catch (err) {
        // The network says the post itself is gone (not, say, that the profile is not connected).
        if (err instanceof ApiError && isPostGone(err.error)) await forgetPosts(db, [post.id]);
        else if (before) await db.posts.put(before);
        throw err;
      } finally {
        pending(false);
      }
    },
    updateSettings: async (patch: Partial<Settings>) =>
      useAppStore.setState({ settings: await api('settings.update', patch) }),
    /**
     * Fetch the page older than what the column's cache holds: 'more' when history goes on,
     * 'end' at its beginning, 'waiting' while the column has no cursor yet. The newest page is
     * never fetched here: main delivers a column's first page with the cursor where its history
     * continues (`FeedDelivery.older`, stored by sync.ts), and scrolling back starts there.
     */
    loadOlder: async (columnId: string): Promise<'more' | 'end' | 'waiting'> => {
      const cursor = await db.columnCursors.get(columnId);
      if (!cursor) return 'waiting';
      if (cursor.reachedEnd || cursor.older === null) return 'end';
      const page = await api('column.fetch', { columnId, direction: 'older', cursor: cursor.older });
      await storeColumnEntries(db, columnId, page.items);
      await db.columnCursors.put({ columnId, older: page.older, reachedEnd: page.older === null });
      return page.older === null ? 'end' : 'more';
    },
    /**
     * Save a column's options (density, media previews, filters) in main's layout and, for a
     * monitor column, its query (`monitor`): one request, so both are saved or neither is.
     */
    configureColumn: async (columnId: string, options: ColumnOptions, monitor?: MonitorQuery) =>
      setLayout(
        await api('column.configure', { deckId: deckOf(columnId), columnId, options, ...(monitor ? { monitor } : {}) }),
      ),
    /** Save a column's alert rule in main's layout (null removes it). */
    configureAlerts: async (columnId: string, alerts: AlertRule | null) =>
      setLayout(await api('column.configure', { deckId: deckOf(columnId), columnId, alerts })),
    /** The CM has seen the alerts so far: the count (the tray badge) is 0 at once, and main is told. */
    seeAlerts: async () => {
      useAppStore.setState({ alertsUnseen: 0 });
      await api('alerts.seen', {});
    },
    /** "Mark all read": answers the column's new reading position (null: the column is empty). */
    markAllRead: (columnId: string) => markColumnRead(db, columnId),
    /** The reader has seen the column down from its entry at `at`: entries up to it are read. */
    advanceRead: (columnId: string, at: string) => advanceReadPosition(db, columnId, at),
    /** "Clear column": its entries leave the cache; answers how many. */
    clearColumn: (columnId: string) => clearColumn(db, columnId),
    /** "Check now": main polls the column's sources at once; answers how many it asked (0: they just did). */
    refreshColumn: async (columnId: string) => (await api('column.refresh', { columnId })).woken,
    /** Ask main to load what a gap marker stands for (the entries arrive as deliveries). */
    loadGap: async (columnId: string, gapId: string) => {
      await api('gap.load', { columnId, gapId });
    },
    /**
     * Tell main which posts a column shows on screen (their counts are refreshed first), and
     * whether it is shown at all (window visible, deck active). An unchanged report is not sent
     * again; a failure is only logged (counts refresh less well, nothing else breaks).
     */
    reportVisible: (columnId: string, posts: ReadonlyArray<{ id: string; createdAt: string }>, shown: boolean) => {
      const chosen = posts.slice(0, 200);
      const ids = chosen.map((p) => p.id);
      const said = `${shown ? 1 : 0}:${ids.join(',')}`;
      if (lastVisible.get(columnId) === said) return;
      lastVisible.set(columnId, said);
      const createdAt = chosen.map((p) => p.createdAt);
      api('column.visible', { columnId, postIds: ids, createdAt, shown }).catch((err: unknown) => {
        lastVisible.delete(columnId);
        console.warn('column.visible failed', err);
      });
    },
  };
}
