// Create, rename and delete a deck.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Deck } from '../../shared/model';
import { useServices } from './context';
import { Dialog } from './Dialog';
import { describeThrown } from './errors';

export function DeckNameDialog(props: { deck?: Deck; onClose: () => void; language: string }) {
  const { t } = useTranslation();
  const { actions } = useServices();
  const [name, setName] = useState(props.deck?.name ?? '');
  const [error, setError] = useState<string | null>(null);
  const submit = async () => {
    const trimmed = name.trim();
    if (!trimmed) return setError(t('decks.nameNeeded'));
    if (trimmed.length > 60) return setError(t('decks.nameTooLong'));
    try {
      if (props.deck) await actions.renameDeck(props.deck.id, trimmed);
      else await actions.createDeck(trimmed);
      props.onClose();
    } catch (err) {
      setError(describeThrown(t, err, props.language));
    }
  };
  return (
    <Dialog
      title={props.deck ? t('decks.renameTitle', { name: props.deck.name }) : t('decks.createTitle')}
      onClose={props.onClose}
      onSubmit={() => void submit()}
      submitLabel={props.deck ? t('actions.save') : t('actions.create')}
    >
      <label className="field">
        <span>{t('decks.nameLabel')}</span>
        <input
          value={name}
          autoFocus
          maxLength={80}
          onChange={(e) => {
            setName(e.target.value);
            setError(null);
          }}
          aria-invalid={error !== null}
        />
      </label>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </Dialog>
  );
}

export function DeleteDeckDialog(props: { deck: Deck; onClose: () => void; language: string; isLast: boolean }) {
  const { t } = useTranslation();
  const { actions } = useServices();
  const [error, setError] = useState<string | null>(null);
  if (props.isLast) {
    return (
      <Dialog title={t('decks.deleteTitle', { name: props.deck.name })} onClose={props.onClose}>
        <p>{t('decks.deleteLast')}</p>
      </Dialog>
    );
  }
  return (
    <Dialog
      title={t('decks.deleteTitle', { name: props.deck.name })}
      onClose={props.onClose}
      danger
      submitLabel={t('actions.delete')}
      onSubmit={() =>
        void actions
          .deleteDeck(props.deck.id)
          .then(props.onClose, (err: unknown) => setError(describeThrown(t, err, props.language)))
      }
    >
      <p>{t('decks.deleteBody', { count: props.deck.columns.length })}</p>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </Dialog>
  );
}
