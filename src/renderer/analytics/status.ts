// What main's metrics collector says per profile (`analytics.status`): backfill progress, the last
// and next collection, why it waits. Kept for the analytics views; set by the delivery sync.
import { create } from 'zustand';
import type { AnalyticsStatus } from '../../shared/analytics-collection';

export const useAnalyticsStatus = create<{ statuses: AnalyticsStatus[] }>(() => ({ statuses: [] }));

/** `all`: every profile's statuses (a profile left out is gone); `one`: updates for the profiles named. */
export function setAnalyticsStatuses(statuses: AnalyticsStatus[], scope: 'all' | 'one'): void {
  if (scope === 'all') return useAnalyticsStatus.setState({ statuses });
  const fresh = new Map(statuses.map((s) => [s.profileId, s]));
  const kept = useAnalyticsStatus.getState().statuses.filter((s) => !fresh.has(s.profileId));
  useAnalyticsStatus.setState({ statuses: [...kept, ...statuses] });
}
