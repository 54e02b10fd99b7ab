// The keyboard shortcuts, listed in a dialog opened with `?` (issue 7, "Reading"). The keys
// themselves live where they act: the feed's in ColumnView, the app's in App.
import { useTranslation } from 'react-i18next';
import { Dialog } from './Dialog';

/**
 * Each shortcut: its keys (their names as the keyboard shows them, under `reading.keys`), and its
 * words (under `reading.shortcuts`).
 */
export const SHORTCUTS: ReadonlyArray<{ keys: string[]; what: string }> = [
  { keys: ['pageDown', 'pageUp'], what: 'nextPrevious' },
  { keys: ['ctrlEnd', 'ctrlHome'], what: 'leaveFeed' },
  { keys: ['left', 'right'], what: 'columns' },
  { keys: ['enter'], what: 'open' },
  { keys: ['l'], what: 'like' },
  { keys: ['r'], what: 'reply' },
  { keys: ['q'], what: 'quote' },
  { keys: ['t'], what: 'repost' },
  { keys: ['o'], what: 'thread' },
  { keys: ['p'], what: 'profile' },
  { keys: ['n'], what: 'newPost' },
  { keys: ['slash'], what: 'search' },
  { keys: ['question'], what: 'sheet' },
  { keys: ['esc'], what: 'close' },
];

export function ShortcutsSheet(props: { onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Dialog title={t('reading.shortcuts.title')} onClose={props.onClose}>
      <p className="muted small">{t('reading.shortcuts.intro')}</p>
      <table className="shortcuts">
        <thead>
          <tr>
            <th scope="col">{t('reading.shortcuts.keys')}</th>
            <th scope="col">{t('reading.shortcuts.action')}</th>
          </tr>
        </thead>
        <tbody>
          {SHORTCUTS.map((s) => (
            <tr key={s.what}>
              <td>
                {s.keys.map((k, i) => (
                  <span key={k}>
                    {i > 0 && ' / '}
                    <kbd>{t(`reading.keys.${k}`)}</kbd>
                  </span>
                ))}
              </td>
              <td>{t(`reading.shortcuts.${s.what}`)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Dialog>
  );
}
