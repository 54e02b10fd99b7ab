// What a column's status says went wrong, naming where it happened: a column read through one
// profile says its error with that profile's network; a monitor column (several profiles, maybe
// several networks) says each profile in trouble on its own line ("@brand · Mastodon: …"), so one
// profile's success never hides another's failure (ColumnStatus.profiles, from main's engine).
import type { TFunction } from 'i18next';
import type { ColumnStatus } from '../../shared/ipc/contract';
import { NETWORK_NAMES, NETWORKS, type Account, type NetworkId } from '../../shared/model';

const NETWORK_IDS: ReadonlySet<string> = new Set(NETWORKS);
import { describeError } from './errors';

/** One profile's trouble in a monitor column, in words. */
export interface ProblemLine {
  profileId: string;
  text: string;
}

/**
 * The error lines of a column's status, in the UI's language: for a monitor column with
 * profiles in trouble, one line per profile, named by its handle and network (a profile no longer
 * connected is said so); otherwise one line for an error state, said with the network of the
 * profile it concerns (`status.profileId`, else `fallbackNetwork`). Empty when the column is live
 * or only paused (paused is said quietly, see ColumnView `quietStatus`).
 */
export function problemLines(
  t: TFunction,
  status: ColumnStatus | undefined,
  accounts: readonly Account[],
  language: string,
  fallbackNetwork?: Account['network'],
): ProblemLine[] {
  if (!status) return [];
  const accountOf = (profileId: string | undefined) =>
    profileId ? accounts.find((a) => a.profile.id === profileId) : undefined;
  if (status.profiles?.length) {
    return status.profiles.map((p) => {
      const account = accountOf(p.profileId);
      const who = account
        ? t('columns.problemWho', { handle: account.profile.handle, network: NETWORK_NAMES[account.network] })
        : NETWORK_IDS.has(p.profileId.split(':')[0]!)
          ? t('columns.problemGoneOn', { network: NETWORK_NAMES[p.profileId.split(':')[0] as NetworkId] })
          : t('columns.problemGone');
      const what = p.error
        ? describeError(t, p.error, language, 'column', account?.network)
        : t(`columns.problemState.${p.state}`);
      return { profileId: p.profileId, text: t('columns.problemLine', { who, what }) };
    });
  }
  if (status.state !== 'error' || !status.error) return [];
  const network = accountOf(status.profileId)?.network ?? fallbackNetwork;
  return [{ profileId: status.profileId ?? '', text: describeError(t, status.error, language, 'column', network) }];
}
