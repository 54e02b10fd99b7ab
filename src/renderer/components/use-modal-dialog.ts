// A modal dialog on the platform's <dialog> (showModal: focus moves in, the rest of the window is
// inert, Escape closes). The platform gives focus back only when a dialog is *closed*; ours are
// unmounted, so focus would fall to <body>. Here the control that opened the dialog gets focus
// back however it ends (Escape, Cancel, Close, after its work succeeded), or the main region when
// that control is gone. Used by Dialog.tsx and by the Outbox, which draws its own <dialog>.
import { useEffect, useLayoutEffect, useRef, useState, type RefObject } from 'react';

/**
 * Focus `opener` again, else the deck's main region (#deck-panel), after the dialog left the
 * page (the window is inert while a modal dialog is in it, so this waits for that).
 */
export function returnFocus(opener: Element | null, dialog: HTMLDialogElement | null): void {
  queueMicrotask(() => {
    // Still on the page (React's development double mount): nothing to give back.
    if (dialog?.isConnected) return;
    const target =
      opener instanceof HTMLElement && opener.isConnected && opener !== document.body && !opener.closest('[inert]')
        ? opener
        : document.getElementById('deck-panel');
    target?.focus({ preventScroll: false });
  });
}

/**
 * The ref for a component's <dialog>: shown modal once mounted, and, when the component unmounts,
 * focus back on what had it when the component first rendered (the button that opened it).
 */
export function useModalDialog(): RefObject<HTMLDialogElement | null> {
  const ref = useRef<HTMLDialogElement>(null);
  // What had focus when the dialog was asked for: the button that opened it.
  const [opener] = useState<Element | null>(() => (typeof document === 'undefined' ? null : document.activeElement));
  useLayoutEffect(() => {
    const dialog = ref.current;
    return () => returnFocus(opener, dialog);
  }, [opener]);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);
  return ref;
}
