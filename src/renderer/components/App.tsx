import {
  BarChart3,
  BetweenVerticalEnd,
  Columns3,
  FolderPlus,
  Keyboard,
  PenSquare,
  Pencil,
  Settings as SettingsIcon,
  Trash2,
  Users,
  type LucideIcon,
} from 'lucide-react';
import twitterText from 'twitter-text';
import { useOutboxStore } from '../state/outbox';
import { lazy, Suspense, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { TFunction } from 'i18next';
import type { Notice } from '../../shared/ipc/contract';
import { useTranslation } from 'react-i18next';
import { activeDeck, closeComposer, openComposer, useAppStore } from '../state/store';
import { AccountsDialog } from './AccountsDialog';
import { AddColumnDialog } from './AddColumnDialog';
import { AlertsButton, AlertToasts } from './AlertToasts';
import { closeAnalytics, openAnalytics, useAnalyticsWindow } from './analytics/analytics-window';
import { useServices } from './context';
import { Deck } from './Deck';
import { DeckNameDialog, DeleteDeckDialog } from './DeckDialogs';
import { DialogBoundary } from './Fallbacks';
import { OutboxButton } from './OutboxButton';
import { SettingsDialog } from './SettingsDialog';
import { ShortcutsSheet } from './ShortcutsSheet';
import { SidePanel } from './SidePanel';

// The composer carries twitter-text's large tables: loaded when first opened, not at start. A
// failed load (the core went away) is not cached for good: "Try again" imports it anew.
const loadComposer = () => lazy(() => import('./ComposeDialog').then((m) => ({ default: m.ComposeDialog })));
// The analytics view (its table, filters and charts) is loaded when first opened, the same way.
const loadAnalytics = () => lazy(() => import('./analytics/AnalyticsView').then((m) => ({ default: m.AnalyticsView })));

/** A notice in words: which file, why it could not be read, what was reset, where the old copy is. */
export function noticeText(t: TFunction, notice: Notice): string {
  const known = ['settings', 'layout', 'accounts', 'usage', 'sandbox'];
  const key = known.includes(notice.document) ? notice.document : 'other';
  return t(`notices.reset.${key}`, { name: notice.document, why: t(`notices.why.${notice.why}`), kept: notice.keptAs });
}

/** The file a notice is about, in words ("your settings"), to tell two notices' buttons apart. */
export function noticeFile(t: TFunction, notice: Notice): string {
  const known = ['settings', 'layout', 'accounts', 'usage', 'sandbox'];
  return known.includes(notice.document)
    ? t(`notices.files.${notice.document}`)
    : t('notices.files.other', { name: notice.document });
}

/**
 * A toolbar button with an icon and words. Where the top bar is narrow (styles.css: the
 * `.topbar` container query) the words hide and the icon stays; the button keeps its name
 * (`aria-label`, the same words) and shows them as a tooltip.
 */
function ToolButton(props: { icon: LucideIcon; label: string; onClick: () => void; primary?: boolean }) {
  const Icon = props.icon;
  return (
    <button
      type="button"
      className={`tool${props.primary ? ' primary' : ''}`}
      aria-label={props.label}
      title={props.label}
      onClick={props.onClick}
    >
      <Icon size={16} aria-hidden="true" />
      <span className="tool-label">{props.label}</span>
    </button>
  );
}

/**
 * A middle-click (auxclick) opens nothing: not a post's link in the browser, not a new window.
 * (The shell also denies the background tab it would ask for.)
 */
function preventMiddleClick(e: MouseEvent) {
  if (e.button === 1) e.preventDefault();
}

// The composer is not among these: what it opens with (a reply, a quote) is in the store (`compose`).
type Open = 'add-column' | 'new-deck' | 'rename-deck' | 'delete-deck' | 'settings' | 'accounts' | 'shortcuts' | null;

/** True when a key goes to a text field (or other control that types): shortcuts stay out of its way. */
export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) {
    return !['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color', 'file', 'image'].includes(target.type);
  }
  return false;
}

/**
 * The app's own keys (the feed's are in ColumnView): `?` the shortcuts sheet, N a new post, `/`
 * a search column. Never while typing, with Ctrl, Alt or Meta, or while a dialog is open; a key
 * a column already handled (`defaultPrevented`) is left alone.
 */
export function appShortcut(e: KeyboardEvent | globalThis.KeyboardEvent): 'shortcuts' | 'compose' | 'search' | null {
  if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target)) return null;
  if (typeof document !== 'undefined' && document.querySelector('dialog[open]')) return null;
  if (e.key === '?') return 'shortcuts';
  if (e.key === '/') return 'search';
  if (e.key === 'n' || e.key === 'N') return e.shiftKey ? null : 'compose';
  return null;
}

export function App() {
  const { t, i18n } = useTranslation();
  const { actions } = useServices();
  const phase = useAppStore((s) => s.phase);
  const failure = useAppStore((s) => s.failure);
  const connected = useAppStore((s) => s.connected);
  const layout = useAppStore((s) => s.layout);
  const deck = useAppStore(activeDeck);
  const accounts = useAppStore((s) => s.accounts);
  const usage = useAppStore((s) => s.usage);
  const overBudget = accounts.filter((a) => usage[a.id]?.paused);
  const [open, setOpen] = useState<Open>(null);
  const [ComposeDialog, setComposeDialog] = useState(loadComposer);
  const [AnalyticsView, setAnalyticsView] = useState(loadAnalytics);
  const analytics = useAnalyticsWindow();
  // What the composer opens with: a new post, or a reply to or a quote of a post (from a column).
  const composing = useAppStore((s) => s.compose);
  // Hashtags the composer suggests: the ones the CM watches (monitors and hashtag columns).
  const outboxJobs = useOutboxStore((s) => s.jobs);
  const knownHashtags = useMemo(() => {
    const tags = new Set<string>();
    // Her recent posts' hashtags first (what she wrote lately), then what she watches.
    const recent = Object.values(outboxJobs)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
      .slice(0, 200);
    for (const job of recent)
      for (const part of job.content.parts) for (const h of twitterText.extractHashtags(part.text)) tags.add(h);
    for (const d of layout?.decks ?? [])
      for (const c of d.columns) {
        for (const h of c.monitor?.hashtags ?? []) tags.add(h.replace(/^[#＃]/u, ''));
        if (c.kind === 'hashtag' && c.query)
          for (const h of c.query.split(/\s+/)) if (h) tags.add(h.replace(/^[#＃]/u, ''));
      }
    return [...tags];
  }, [layout, outboxJobs]);
  const panelOpen = useAppStore((s) => s.panel.length > 0);
  const compose = () => openComposer();
  // `/` opens "Add column" on its Search kind with the keywords field focused, where the profile
  // offers search (else the dialog as it opens).
  const [searchFirst, setSearchFirst] = useState(false);
  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      const which = appShortcut(e);
      if (!which) return;
      e.preventDefault();
      if (which === 'compose') openComposer();
      else if (which === 'search') {
        setSearchFirst(true);
        setOpen('add-column');
      } else setOpen('shortcuts');
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
  useEffect(() => {
    if (open !== 'add-column' || !searchFirst) return;
    setSearchFirst(false);
    requestAnimationFrame(() => {
      const dialog = document.querySelector('dialog[open]');
      const radio = dialog?.querySelector<HTMLInputElement>('input[type="radio"][value="search"]');
      if (radio && !radio.checked) radio.click();
      requestAnimationFrame(() =>
        dialog?.querySelector<HTMLInputElement>('input:not([type]), input[type="text"], input[type="search"]')?.focus(),
      );
    });
  }, [open, searchFirst]);
  const notices = useAppStore((s) => s.notices);
  useEffect(() => {
    document.addEventListener('auxclick', preventMiddleClick, true);
    return () => document.removeEventListener('auxclick', preventMiddleClick, true);
  }, []);
  const tabs = useRef<Array<HTMLButtonElement | null>>([]);
  const dismissButtons = useRef(new Map<string, HTMLButtonElement>());
  const language = i18n.language;
  // The active tab stays in view when the tabs scroll (a narrow window, many decks).
  const activeId = deck?.id;
  useEffect(() => {
    const index = layout?.decks.findIndex((d) => d.id === activeId) ?? -1;
    tabs.current[index]?.scrollIntoView?.({ block: 'nearest', inline: 'nearest' });
  }, [activeId, layout]);

  /**
   * Dismisses a notice; focus, which was on its button, goes to the next notice's button (the
   * one before when it was the last), else to the deck's main region, never to <body>.
   */
  const dismissNotice = (id: string, index: number) => {
    const rest = notices.filter((x) => x.id !== id);
    const next = rest[Math.min(index, rest.length - 1)];
    void actions
      .dismissNotice(id)
      .catch(() => useAppStore.setState((s) => ({ notices: s.notices.filter((x) => x.id !== id) })))
      .finally(() =>
        requestAnimationFrame(() =>
          ((next && dismissButtons.current.get(next.id)) ?? document.getElementById('deck-panel'))?.focus(),
        ),
      );
  };

  if (phase === 'failed') return <p className="splash error">{t('app.startFailed', { message: failure ?? '' })}</p>;
  if (phase === 'connecting' || !layout || !deck) return <p className="splash">{t('app.connecting')}</p>;

  const onTabKey = (e: KeyboardEvent, index: number) => {
    const count = layout.decks.length;
    const next =
      e.key === 'ArrowRight'
        ? (index + 1) % count
        : e.key === 'ArrowLeft'
          ? (index - 1 + count) % count
          : e.key === 'Home'
            ? 0
            : e.key === 'End'
              ? count - 1
              : null;
    if (next === null) return;
    e.preventDefault();
    const target = layout.decks[next];
    if (target) void actions.activateDeck(target.id).then(() => tabs.current[next]?.focus());
  };

  return (
    <div className="app">
      <header className="topbar">
        <span className="brand">
          <Columns3 size={18} aria-hidden="true" /> <span className="brand-name">{t('app.name')}</span>
        </span>
        <div role="tablist" aria-label={t('decks.label')} className="deck-tabs">
          {layout.decks.map((d, i) => (
            <button
              key={d.id}
              ref={(el) => {
                tabs.current[i] = el;
              }}
              type="button"
              role="tab"
              id={`deck-tab-${d.id}`}
              aria-selected={d.id === deck.id}
              aria-controls="deck-panel"
              tabIndex={d.id === deck.id ? 0 : -1}
              className="deck-tab"
              onClick={() => void actions.activateDeck(d.id)}
              onKeyDown={(e) => onTabKey(e, i)}
            >
              {d.name}
            </button>
          ))}
        </div>
        <div className="toolbar">
          <ToolButton icon={FolderPlus} label={t('decks.new')} onClick={() => setOpen('new-deck')} />
          <button
            type="button"
            className="icon"
            aria-label={t('decks.rename')}
            title={t('decks.rename')}
            onClick={() => setOpen('rename-deck')}
          >
            <Pencil size={16} aria-hidden="true" />
          </button>
          <button
            type="button"
            className="icon"
            aria-label={t('decks.delete')}
            title={t('decks.delete')}
            onClick={() => setOpen('delete-deck')}
          >
            <Trash2 size={16} aria-hidden="true" />
          </button>
          <ToolButton icon={PenSquare} label={t('compose.open')} onClick={() => compose()} />
          <ToolButton icon={Users} label={t('accounts.open')} onClick={() => setOpen('accounts')} />
          <OutboxButton language={language} onOpenAccounts={() => setOpen('accounts')} />
          <AlertsButton language={language} />
          <ToolButton icon={BarChart3} label={t('analyticsView.open')} onClick={() => openAnalytics()} />
          <ToolButton
            icon={BetweenVerticalEnd}
            label={t('columns.add')}
            onClick={() => setOpen('add-column')}
            primary
          />
          <button
            type="button"
            className="icon"
            aria-label={t('settings.open')}
            title={t('settings.open')}
            onClick={() => setOpen('settings')}
          >
            <SettingsIcon size={16} aria-hidden="true" />
          </button>
          <button
            type="button"
            className="icon"
            aria-label={t('reading.shortcuts.button')}
            title={t('reading.shortcuts.button')}
            aria-keyshortcuts="?"
            onClick={() => setOpen('shortcuts')}
          >
            <Keyboard size={16} aria-hidden="true" />
          </button>
        </div>
      </header>
      {!connected && (
        <p className="banner" role="alert">
          {t('app.connectionLost')}
        </p>
      )}
      {notices.map((n, index) => (
        <div key={n.id} className="banner notice-banner" role="alert">
          <span>{noticeText(t, n)}</span>
          <button
            type="button"
            ref={(el) => {
              if (el) dismissButtons.current.set(n.id, el);
              else dismissButtons.current.delete(n.id);
            }}
            aria-label={t('notices.dismissAbout', { file: noticeFile(t, n) })}
            onClick={() => dismissNotice(n.id, index)}
          >
            {t('notices.dismiss')}
          </button>
        </div>
      ))}
      {overBudget.map((a) => (
        <p key={a.id} className="banner" role="alert">
          {t('usage.banner', { handle: a.profile.handle })}{' '}
          <button type="button" onClick={() => compose()}>
            <PenSquare size={16} aria-hidden="true" /> {t('compose.open')}
          </button>
          <button type="button" onClick={() => setOpen('accounts')}>
            {t('usage.change')}
          </button>
        </p>
      ))}
      <div className="workspace">
        <main
          id="deck-panel"
          role="tabpanel"
          aria-labelledby={`deck-tab-${deck.id}`}
          className="deck-panel"
          tabIndex={-1}
        >
          <Deck deck={deck} language={language} onAddColumn={() => setOpen('add-column')} />
        </main>
        {panelOpen && <SidePanel language={language} />}
      </div>
      <AlertToasts language={language} />
      {open === 'add-column' && <AddColumnDialog onClose={() => setOpen(null)} language={language} />}
      {open === 'new-deck' && <DeckNameDialog onClose={() => setOpen(null)} language={language} />}
      {open === 'rename-deck' && <DeckNameDialog deck={deck} onClose={() => setOpen(null)} language={language} />}
      {open === 'delete-deck' && (
        <DeleteDeckDialog
          deck={deck}
          isLast={layout.decks.length === 1}
          onClose={() => setOpen(null)}
          language={language}
        />
      )}
      {open === 'settings' && <SettingsDialog onClose={() => setOpen(null)} language={language} />}
      {open === 'accounts' && <AccountsDialog onClose={() => setOpen(null)} language={language} />}
      {open === 'shortcuts' && <ShortcutsSheet onClose={() => setOpen(null)} />}
      {analytics.open && (
        <DialogBoundary onClose={closeAnalytics} onRetry={() => setAnalyticsView(() => loadAnalytics())}>
          <Suspense fallback={null}>
            <AnalyticsView onClose={closeAnalytics} language={language} postId={analytics.postId} />
          </Suspense>
        </DialogBoundary>
      )}
      {composing && (
        <DialogBoundary onClose={closeComposer} onRetry={() => setComposeDialog(() => loadComposer())}>
          <Suspense fallback={null}>
            <ComposeDialog
              onClose={closeComposer}
              language={language}
              {...(composing.text !== undefined ? { initialText: composing.text } : {})}
              replyTo={composing.replyTo}
              quoteOf={composing.quoteOf}
              profileId={composing.profileId}
              draftId={composing.draftId}
              edit={composing.edit}
              initial={composing.initial}
              knownHashtags={knownHashtags}
            />
          </Suspense>
        </DialogBoundary>
      )}
    </div>
  );
}
