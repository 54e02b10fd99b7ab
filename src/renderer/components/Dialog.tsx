// A modal dialog on the platform's <dialog>: focus moves in, Escape closes, focus returns after.
import { useEffect, useId, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

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
