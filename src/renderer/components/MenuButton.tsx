// A menu button (WAI-ARIA APG "Menu Button" pattern,
// https://www.w3.org/WAI/ARIA/apg/patterns/menu-button/): the button opens a menu of actions;
// Enter, Space or Arrow Down open it on its first item, Arrow Up on its last; in the menu, the
// arrows, Home and End move, Enter or Space choose, Escape closes and gives focus back to the
// button, Tab closes and moves on. Choosing gives focus back to the button first, so a dialog the
// item opens returns focus there when it closes.
import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';

export interface MenuAction {
  kind?: 'action';
  label: string;
  onSelect: () => void;
  disabled?: boolean;
  /** Shown (and said) with the item: why it is off, what it will do. */
  description?: string;
}

/** One choice among several (`menuitemradio`), in a named group. */
export interface MenuChoiceGroup {
  kind: 'choices';
  label: string;
  options: Array<{ value: string; label: string }>;
  value: string | null;
  onChoose: (value: string) => void;
}

export type MenuEntry = MenuAction | MenuChoiceGroup;

export function MenuButton(props: {
  /** The button's name (also the menu's). */
  label: string;
  icon: ReactNode;
  entries: MenuEntry[];
  className?: string;
}) {
  const { label, icon, entries } = props;
  const [open, setOpen] = useState<'first' | 'last' | null>(null);
  const button = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLDivElement>(null);
  const menuId = useId();

  const items = () => [...(menu.current?.querySelectorAll<HTMLElement>('[role^="menuitem"]') ?? [])];
  useEffect(() => {
    if (!open) return;
    const all = items();
    (open === 'first' ? all[0] : all.at(-1))?.focus();
    // A press anywhere outside closes the menu (focus goes where the press put it).
    const outside = (e: PointerEvent) => {
      if (!menu.current?.contains(e.target as Node) && !button.current?.contains(e.target as Node)) setOpen(null);
    };
    document.addEventListener('pointerdown', outside, true);
    return () => document.removeEventListener('pointerdown', outside, true);
  }, [open]);

  const close = (refocus: boolean) => {
    setOpen(null);
    if (refocus) button.current?.focus();
  };
  const onButtonKey = (e: KeyboardEvent) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      e.stopPropagation();
      setOpen(e.key === 'ArrowDown' ? 'first' : 'last');
    }
  };
  const onMenuKey = (e: KeyboardEvent) => {
    const all = items();
    const at = all.indexOf(document.activeElement as HTMLElement);
    let next: number | null = null;
    if (e.key === 'ArrowDown') next = (at + 1) % all.length;
    else if (e.key === 'ArrowUp') next = (at - 1 + all.length) % all.length;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = all.length - 1;
    else if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      close(true);
      return;
    } else if (e.key === 'Tab') {
      setOpen(null);
      return;
    }
    // Every other key stays in the menu: the feed's and the app's shortcuts do not apply here.
    e.stopPropagation();
    if (next === null) return;
    e.preventDefault();
    all[next]?.focus();
  };
  const choose = (work: () => void, disabled?: boolean) => {
    if (disabled) return;
    close(true);
    work();
  };
  const itemKeys = (work: () => void, disabled?: boolean) => (e: KeyboardEvent) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      e.stopPropagation();
      choose(work, disabled);
    }
  };

  return (
    <span className={`menu-button${props.className ? ` ${props.className}` : ''}`}>
      <button
        ref={button}
        type="button"
        className="icon"
        aria-label={label}
        title={label}
        aria-haspopup="menu"
        aria-expanded={open !== null}
        aria-controls={open ? menuId : undefined}
        onClick={() => (open ? close(false) : setOpen('first'))}
        onKeyDown={onButtonKey}
      >
        {icon}
      </button>
      {open && (
        <div ref={menu} id={menuId} role="menu" aria-label={label} className="menu" onKeyDown={onMenuKey}>
          {entries.map((entry, i) =>
            entry.kind === 'choices' ? (
              <div key={i} role="group" aria-label={entry.label} className="menu-group">
                <p className="menu-group-label" aria-hidden="true">
                  {entry.label}
                </p>
                {entry.options.map((o) => (
                  <div
                    key={o.value}
                    role="menuitemradio"
                    aria-checked={o.value === entry.value}
                    tabIndex={-1}
                    className="menu-item"
                    onClick={() => choose(() => entry.onChoose(o.value))}
                    onKeyDown={itemKeys(() => entry.onChoose(o.value))}
                  >
                    <span className="menu-check" aria-hidden="true">
                      {o.value === entry.value ? '✓' : ''}
                    </span>
                    {o.label}
                  </div>
                ))}
              </div>
            ) : (
              <div
                key={i}
                role="menuitem"
                tabIndex={-1}
                className="menu-item"
                aria-disabled={entry.disabled || undefined}
                onClick={() => choose(entry.onSelect, entry.disabled)}
                onKeyDown={itemKeys(entry.onSelect, entry.disabled)}
              >
                <span className="menu-check" aria-hidden="true" />
                {entry.label}
                {entry.description && <span className="menu-note">{entry.description}</span>}
              </div>
            ),
          )}
        </div>
      )}
    </span>
  );
}
