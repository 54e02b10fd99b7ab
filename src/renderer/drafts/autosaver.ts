// Saves what the CM types into her draft, keystroke after keystroke, without one transaction per
// keystroke: changes are merged and saved at most every `delayMs` (on the trailing edge, so the
// last change always goes), a page being hidden or closed saves at once, and a save that fails is
// kept and retried, never dropped.
import { ColonnadeError, type AppError } from '../../shared/errors';
import type { Draft, DraftPatch } from './draft';
import type { DraftStore } from './draft-store';

/** Where the page tells it is going away; `document` answers `visibilityState`. */
export interface PageEvents {
  window?: EventTarget | undefined;
  document?: (EventTarget & { readonly visibilityState: DocumentVisibilityState }) | undefined;
}

export interface AutosaverOptions {
  /** Least time between two saves (ms); a change is saved at most this long after it, plus the save. Default 100. */
  delayMs?: number;
  /** Longest wait between two attempts after failures (ms); the wait doubles from `delayMs`. Default 5,000. */
  retryMaxMs?: number;
  /**
   * Called on every failed save with what the UI says: a `ColonnadeError`'s own fields, else
   * code `internal` with reason `draft-storage-full` (IndexedDB's quota) or `draft-save-failed`
   * (a closed or broken database). The change is kept and tried again.
   */
  onError?: (error: AppError) => void;
  /** Called after each save with the draft as stored (the UI's "Saved"). */
  onSaved?: (draft: Draft) => void;
  /** `pagehide` and `visibilitychange` (hidden) flush; default the page's own, null for none. */
  page?: PageEvents | null;
}

export interface Autosaver {
  /** Takes a change (call it on every keystroke): cheap, merged with the changes not yet saved. */
  change(patch: DraftPatch): void;
  /**
   * Saves every change made so far, now. Resolves when they are durable; rejects with a
   * `ColonnadeError` when the save failed (the change stays pending and is retried).
   */
  flush(): Promise<void>;
  /** Stops listening to the page, after a last `flush`. */
  dispose(): Promise<void>;
  /** Changes not yet durable (pending or being saved). */
  readonly unsaved: boolean;
}

/** Whether an error's chain (`inner`, `cause`) holds IndexedDB's quota error. */
function isQuota(error: unknown): boolean {
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    const { name, inner, cause } = e as { name?: unknown; inner?: unknown; cause?: unknown };
    if (typeof name === 'string' && name.includes('QuotaExceeded')) return true;
    e = inner ?? cause;
  }
  return false;
}

/** A failed save in the UI's terms (see `AutosaverOptions.onError`). */
export function saveErrorOf(error: unknown): AppError {
  if (error instanceof ColonnadeError) return error.toJSON();
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return {
    code: 'internal',
    message: `Draft not saved: ${text}`.slice(0, 1000),
    reason: isQuota(error) ? 'draft-storage-full' : 'draft-save-failed',
  };
}

/** The thrown form of a failure, for `flush`'s callers. */
const errorOf = (failure: AppError) =>
  new ColonnadeError(failure.code, failure.message, {
    reason: failure.reason,
    params: failure.params,
    field: failure.field,
    detail: failure.detail,
  });

/** A refusal that the same change cannot overcome by waiting (a missing draft, invalid content). */
const isFinal = (error: unknown) =>
  error instanceof ColonnadeError && (error.code === 'bad-request' || error.code === 'not-found');

/**
 * Autosaves draft `id` through `store.save` (see `Autosaver`). A change is durable at most
 * `delayMs` plus two saves after it is made; `flush` makes it durable now.
 */
export function createAutosaver(
  store: Pick<DraftStore, 'save'>,
  id: string,
  options: AutosaverOptions = {},
): Autosaver {
  const delayMs = options.delayMs ?? 100;
  const retryMaxMs = options.retryMaxMs ?? 5_000;
  let pending: DraftPatch | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<AppError | null> | undefined;
  let lastStart = Number.NEGATIVE_INFINITY;
  let failures = 0;
  let stuck = false;

  /** Runs a UI callback; its own failure is reported apart and never stops the saves. */
  const notify = (callback: () => void) => {
    try {
      callback();
    } catch (error) {
      setTimeout(() => {
        throw error;
      });
    }
  };

  const schedule = (wait: number) => {
    if (timer !== undefined || running !== undefined || pending === undefined || stuck) return;
    timer = setTimeout(() => {
      timer = undefined;
      void save();
    }, wait);
  };

  /** Saves what is pending; answers null when saved, else the failure. */
  const save = (): Promise<AppError | null> => {
    if (running) return running;
    if (pending === undefined) return Promise.resolve(null);
    const patch = pending;
    pending = undefined;
    lastStart = Date.now();
    const attempt = (async (): Promise<AppError | null> => {
      try {
        const draft = await store.save(id, patch);
        failures = 0;
        notify(() => options.onSaved?.(draft));
        return null;
      } catch (error) {
        // Newer changes win over the failed ones, field by field.
        // (`pending` may have changed while the save was awaited: TypeScript cannot see it.)
        pending = { ...patch, ...(pending as DraftPatch | undefined) };
        failures++;
        stuck = isFinal(error);
        const failure = saveErrorOf(error);
        notify(() => options.onError?.(failure));
        return failure;
      }
    })();
    running = attempt;
    // Registered before anyone awaits `attempt`: they find it over and the next save planned.
    void attempt.then(() => {
      running = undefined;
      const wait =
        failures > 0
          ? Math.min(retryMaxMs, delayMs * 2 ** (failures - 1))
          : Math.max(0, lastStart + delayMs - Date.now());
      schedule(wait);
    });
    return attempt;
  };

  const flush = async (): Promise<void> => {
    for (;;) {
      if (timer !== undefined) {
        clearTimeout(timer);
        timer = undefined;
      }
      if (running) {
        await running;
        continue;
      }
      if (pending === undefined) return;
      stuck = false;
      const failure = await save();
      if (failure) throw errorOf(failure);
    }
  };

  const onHide = () => void flush().catch(() => undefined);
  const page =
    options.page === null
      ? {}
      : (options.page ?? {
          window: typeof window === 'undefined' ? undefined : window,
          document: typeof document === 'undefined' ? undefined : document,
        });
  const onVisibility = () => {
    if (page.document?.visibilityState === 'hidden') onHide();
  };
  page.window?.addEventListener('pagehide', onHide);
  page.document?.addEventListener('visibilitychange', onVisibility);

  return {
    change(patch) {
      pending = pending === undefined ? { ...patch } : { ...pending, ...patch };
      stuck = false;
      schedule(delayMs);
    },
    flush,
    async dispose() {
      page.window?.removeEventListener('pagehide', onHide);
      page.document?.removeEventListener('visibilitychange', onVisibility);
      await flush();
    },
    get unsaved() {
      return pending !== undefined || running !== undefined;
    },
  };
}
