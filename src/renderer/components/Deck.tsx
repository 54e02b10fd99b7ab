// The active deck: its columns side by side, reorderable by drag and drop or keyboard (dnd-kit:
// focus a column's grip, Space to lift, arrows to move, Space to drop), or by the arrow buttons.
import {
  closestCenter,
  DndContext,
  KeyboardSensor,
  PointerSensor,
  useSensor,
  useSensors,
  type Announcements,
  type DragEndEvent,
} from '@dnd-kit/core';
import { horizontalListSortingStrategy, SortableContext, sortableKeyboardCoordinates } from '@dnd-kit/sortable';
import { Plus } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import type { Deck as DeckModel } from '../../shared/model';
import { useAppStore } from '../state/store';
import { ColumnView, columnTitle } from './ColumnView';
import { useServices } from './context';
import { ColumnBoundary } from './Fallbacks';

export function Deck(props: { deck: DeckModel; language: string; onAddColumn: () => void }) {
  const { deck, language } = props;
  const { t } = useTranslation();
  const { actions } = useServices();
  const accounts = useAppStore((s) => s.accounts);
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 6 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );
  const titleOf = (id: string | number) => {
    const column = deck.columns.find((c) => c.id === id);
    return column ? columnTitle(t, column) : '';
  };
  const positionOf = (id: string | number | undefined) => deck.columns.findIndex((c) => c.id === id) + 1;
  const announcements: Announcements = {
    onDragStart: ({ active }) =>
      t('dnd.start', { title: titleOf(active.id), position: positionOf(active.id), total: deck.columns.length }),
    onDragOver: ({ active, over }) =>
      over ? t('dnd.over', { title: titleOf(active.id), position: positionOf(over.id) }) : undefined,
    onDragEnd: ({ active, over }) =>
      over
        ? t('dnd.end', { title: titleOf(active.id), position: positionOf(over.id) })
        : t('dnd.cancel', { title: titleOf(active.id) }),
    onDragCancel: ({ active }) => t('dnd.cancel', { title: titleOf(active.id) }),
  };

  const onDragEnd = ({ active, over }: DragEndEvent) => {
    if (!over || active.id === over.id) return;
    const to = deck.columns.findIndex((c) => c.id === over.id);
    if (to >= 0) void actions.moveColumn(String(active.id), to);
  };

  if (deck.columns.length === 0) {
    return (
      <div className="deck-empty">
        <p>{t('decks.empty')}</p>
        <button type="button" className="primary" onClick={props.onAddColumn}>
          <Plus size={16} aria-hidden="true" /> {t('decks.addFirst')}
        </button>
      </div>
    );
  }

  return (
    <DndContext
      sensors={sensors}
      collisionDetection={closestCenter}
      onDragEnd={onDragEnd}
      accessibility={{ announcements, screenReaderInstructions: { draggable: t('dnd.instructions') } }}
    >
      <SortableContext items={deck.columns.map((c) => c.id)} strategy={horizontalListSortingStrategy}>
        <div className="deck" data-deck-id={deck.id}>
          {deck.columns.map((column, i) => (
            <ColumnBoundary key={column.id} title={columnTitle(t, column)}>
              <ColumnView
                column={column}
                index={i}
                count={deck.columns.length}
                account={accounts.find((a) => a.profile.id === column.profileId)}
                language={language}
              />
            </ColumnBoundary>
          ))}
        </div>
      </SortableContext>
    </DndContext>
  );
}
