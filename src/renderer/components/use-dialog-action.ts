// What every dialog's main button does around its work: busy while it runs, and a failure
// shown in words where it happened (unless the dialog handles that failure itself).
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { NetworkId } from '../../shared/model';
import { describeThrown, type ErrorPlace } from './errors';

/** `where` tells the error words where they are shown (the composer, Accounts, another dialog). */
export function useDialogAction(language: string, where: ErrorPlace = 'dialog', network?: NetworkId) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  /** `handled` answers true for a failure the dialog shows its own way. */
  const run = async (work: () => Promise<void>, handled?: (err: unknown) => boolean) => {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (err) {
      if (!handled?.(err)) setError(describeThrown(t, err, language, where, network));
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, setError, run };
}
