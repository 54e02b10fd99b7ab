// A modal dialog on the platform's <dialog> (showModal: focus moves in, the rest of the window is
// inert, Escape closes). The platform gives focus back only when a dialog is *closed*; ours are
// unmounted, so focus would fall to <body>. Here the control that opened the dialog gets focus
// back however it ends (Escape, Cancel, Close, after its work succeeded), or the main region when
// that control is gone.
import { useEffect, useId, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

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

export function Dialog(props: {
  title: string;
  onClose: () => void;
  onSubmit?: () => void;
  submitLabel?: string;
  submitDisabled?: boolean;
  danger?: boolean;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
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
  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      className="dialog"
      onClose={props.onClose}
      onCancel={(e) => {
        e.preventDefault();
        props.onClose();
      }}
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          props.onSubmit?.();
        }}
      >
        <h2 id={titleId}>{props.title}</h2>
        <div className="dialog-body">{props.children}</div>
        <div className="dialog-actions">
          <button type="button" onClick={props.onClose}>
            {props.onSubmit ? t('actions.cancel') : t('actions.close')}
          </button>
          {props.onSubmit && (
            <button type="submit" className={props.danger ? 'danger' : 'primary'} disabled={props.submitDisabled}>
              {props.submitLabel}
            </button>
          )}
        </div>
      </form>
    </dialog>
  );
}
