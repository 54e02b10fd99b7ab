// The side panel beside the deck: a post's thread or a profile, opened from any column (a post's
// time, its author's name or picture, its menu, the O and P keys). A complementary region named by
// its title; focus moves to the title when a view opens, Escape or "Close" closes it and gives
// focus back to what opened it (the post, the button), or, when the column recycled that, to the
// same post, else the deck. Views opened from inside the panel stack up, with "Back".
import { ArrowLeft, X } from 'lucide-react';
import { useEffect, useId, useLayoutEffect, useRef, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { NETWORK_NAMES } from '../../shared/model';
import { closePanel, panelBack, useAppStore, type PanelView } from '../state/store';
import { ProfilePanel } from './ProfilePanel';
import { ThreadPanel } from './ThreadPanel';

/** Where focus goes back to when the panel closes: the element, and the post and column it was in. */
interface Opener {
  el: HTMLElement;
  entryKey: string | undefined;
  columnId: string | undefined;
}

/**
 * Focus `opener` again when it is still on the page; else the same post in its column (a virtual
 * list may have rendered it anew), else its column's first post, else the deck's main region.
 */
export function returnPanelFocus(opener: Opener | null): void {
  if (opener?.el.isConnected) return opener.el.focus();
  const column = opener?.columnId
    ? document.querySelector<HTMLElement>(`section.column[data-column-id="${CSS.escape(opener.columnId)}"]`)
    : null;
  const articles = [...(column?.querySelectorAll<HTMLElement>('article') ?? [])];
  const target =
    articles.find((a) => a.dataset.entryKey === opener?.entryKey) ??
    articles[0] ??
    document.getElementById('deck-panel');
  target?.focus();
}

/** The panel's title for a view: "Thread", "Profile of @ada". */
export function panelTitle(t: ReturnType<typeof useTranslation>['t'], view: PanelView): string {
  return view.kind === 'thread' ? t('panel.thread.title') : t('panel.profile.title', { handle: view.handle });
}

export function SidePanel(props: { language: string }) {
  const { language } = props;
  const { t } = useTranslation();
  const stack = useAppStore((s) => s.panel);
  const view = stack.at(-1);
  const reader = useAppStore((s) => s.accounts.find((a) => a.profile.id === view?.profileId)?.profile.handle);
  const titleId = useId();
  const root = useRef<HTMLElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const opener = useRef<Opener | null>(null);

  // What opened the panel (or replaced its view from a column): where focus goes back on close.
  const first = stack[0];
  useLayoutEffect(() => {
    const active = document.activeElement;
    if (!(active instanceof HTMLElement) || active === document.body || root.current?.contains(active)) return;
    opener.current = {
      el: active,
      entryKey: active.closest<HTMLElement>('article')?.dataset.entryKey,
      columnId: active.closest<HTMLElement>('section.column')?.dataset.columnId,
    };
  }, [first]);
  useLayoutEffect(() => () => queueMicrotask(() => returnPanelFocus(opener.current)), []);

  // Each view opened (or returned to) takes focus on its title.
  useEffect(() => {
    heading.current?.focus();
  }, [view]);

  if (!view) return null;
  const onKeyDown = (e: KeyboardEvent<HTMLElement>) => {
    // A menu inside closes itself first (it stops the key); the panel closes on the next Escape.
    if (e.key !== 'Escape' || e.defaultPrevented) return;
    e.preventDefault();
    closePanel();
  };
  return (
    <aside ref={root} className="side-panel" aria-labelledby={titleId} onKeyDown={onKeyDown}>
      <header className="side-panel-head">
        {stack.length > 1 && (
          <button
            type="button"
            className="icon"
            aria-label={t('panel.back')}
            title={t('panel.back')}
            onClick={panelBack}
          >
            <ArrowLeft size={16} aria-hidden="true" />
          </button>
        )}
        <div className="side-panel-titles">
          <h2 id={titleId} ref={heading} tabIndex={-1} className="side-panel-title" dir="auto">
            {panelTitle(t, view)}
          </h2>
          {reader && (
            <p className="column-profile">
              {t('panel.readAs', { handle: reader, network: NETWORK_NAMES[view.network] })}
            </p>
          )}
        </div>
        <button
          type="button"
          className="icon"
          aria-label={t('panel.close')}
          title={t('panel.close')}
          aria-keyshortcuts="Escape"
          onClick={closePanel}
        >
          <X size={16} aria-hidden="true" />
        </button>
      </header>
      <div className="side-panel-body">
        {view.kind === 'thread' ? (
          <ThreadPanel key={`${stack.length}:${view.postId}`} view={view} language={language} />
        ) : (
          <ProfilePanel key={`${stack.length}:${view.handle}`} view={view} language={language} />
        )}
      </div>
    </aside>
  );
}
