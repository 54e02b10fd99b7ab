// A monitor's query as a dialog holds it while the CM types it ("Add a column" → Monitor, and
// "Edit monitor" in a monitor column's options): the draft, the problem said next to its field,
// and MonitorFields' props tied to both. The rules themselves are monitor-form.ts's.
import { useState } from 'react';
import type { Account, MonitorQuery } from '../../shared/model';
import { keywordsInstead, readMonitor, type MonitorDraft, type MonitorProblem } from './monitor-form';

/**
 * `initial`: the draft the form starts from. `accounts`: the CM's profiles (the form lists those
 * able to search; `read` checks the chosen ones against them). `language`: the UI's (BCP 47).
 * `onEdit` runs on each change the CM types or ticks (the dialogs clear their own error line).
 *
 * Answers `fields`, MonitorFields' props; `draft` and `setDraft`; `reset(draft)`, which starts
 * again from `draft` with no problem said; and `read()`, the query to send, or undefined once the
 * first thing wrong is said next to its field (a new problem object each time, so that field gets
 * focus again even when the same problem is found twice).
 */
export function useMonitorDraft(
  initial: MonitorDraft,
  opts: { accounts: readonly Account[]; language: string; onEdit(): void },
) {
  const [draft, setDraft] = useState(initial);
  const [problem, setProblem] = useState<MonitorProblem | null>(null);
  const reset = (next: MonitorDraft) => {
    setDraft(next);
    setProblem(null);
  };
  const read = (): MonitorQuery | undefined => {
    const result = readMonitor(draft, opts.accounts);
    if (!result.ok) {
      setProblem({ ...result.problem });
      return undefined;
    }
    setProblem(null);
    return result.query;
  };
  const fields = {
    accounts: opts.accounts,
    draft,
    onChange: (next: MonitorDraft) => {
      setDraft(next);
      setProblem(null);
      opts.onEdit();
    },
    problem,
    onKeywordsInstead: (item: string) => reset(keywordsInstead(draft, item)),
    language: opts.language,
  };
  return { draft, setDraft, reset, read, fields };
}
