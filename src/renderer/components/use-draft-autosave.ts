// The composer's draft: made on the first change (opening and closing an empty composer leaves
// nothing behind), then every change is saved within the autosaver's delay (100 ms, durable in
// IndexedDB: a renderer crash or an app kill loses at most that), flushed when the composer closes
// or the page hides, and put in the Drafts trash (restorable for 30 days) once the post is handed to
// the outbox.
import { useEffect, useRef, useState } from 'react';
import type { AppError } from '../../shared/errors';
import type { PostContent, When } from '../../shared/outbox';
import type { ColonnadeDb } from '../db/database';
import { createAutosaver, saveErrorOf, type Autosaver } from '../drafts/autosaver';
import type { DraftPatch } from '../drafts/draft';
import { DraftStore } from '../drafts/draft-store';

export type DraftSaveState = { state: 'idle' | 'saved' } | { state: 'failed'; error: AppError };

export interface DraftAutosave {
  /** The draft's id (chosen now; the draft itself is made on the first change). */
  draftId: string;
  /** Takes the composer's state after a change (every keystroke). */
  change(patch: { content: PostContent; targets: string[]; when: When }): void;
  /** The post went to the outbox: the draft goes to the trash (restorable). */
  sent(): Promise<void>;
  status: DraftSaveState;
}

export function useDraftAutosave(db: ColonnadeDb, existingId: string | undefined): DraftAutosave {
  const [draftId] = useState(() => existingId ?? crypto.randomUUID());
  const [status, setStatusState] = useState<DraftSaveState>({ state: 'idle' });
  // The status as last set, so a save that changes nothing on screen schedules no render at all (an
  // updater returning the same state still re-renders the composer to find that out, every save).
  const shown = useRef(status);
  const setStatus = (next: DraftSaveState) => {
    if (next.state === 'saved' && shown.current.state === 'saved') return;
    shown.current = next;
    setStatusState(next);
  };
  const saver = useRef<Promise<Autosaver | null> | null>(null);
  const latest = useRef<DraftPatch | null>(null);
  const store = useRef<DraftStore | null>(null);

  const open = (first: DraftPatch): Promise<Autosaver | null> => {
    saver.current ??= (async () => {
      try {
        store.current = new DraftStore(db);
        const existing = await store.current.get(draftId);
        if (!existing) await store.current.create({ id: draftId, ...first });
        return createAutosaver(store.current, draftId, {
          onError: (error) => setStatus({ state: 'failed', error }),
          // Once "saved", later saves change nothing on screen: no render of the composer for them.
          onSaved: () => setStatus({ state: 'saved' }),
        });
      } catch (err) {
        setStatus({ state: 'failed', error: saveErrorOf(err) });
        saver.current = null;
        return null;
      }
    })();
    return saver.current;
  };

  useEffect(
    () => () => {
      // Closing the composer saves what is left.
      void saver.current?.then((s) => s?.dispose());
    },
    [],
  );

  return {
    draftId,
    status,
    change(patch) {
      latest.current = patch;
      void open(patch).then((s) => {
        if (s && latest.current) s.change(latest.current);
      });
    },
    async sent() {
      const s = await saver.current;
      if (!s) return;
      await s.flush().catch(() => undefined);
      await store.current?.delete(draftId).catch(() => undefined);
    },
  };
}
