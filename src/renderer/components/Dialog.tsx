// A modal dialog with a title, its body and its buttons (Cancel or Close, and the action), on the
// platform's <dialog>: shown modal, focus back on its opener however it ends (use-modal-dialog).
import { useId, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useModalDialog } from './use-modal-dialog';

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
  const ref = useModalDialog();
  const titleId = useId();
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
