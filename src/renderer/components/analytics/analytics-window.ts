// Whether the full-window analytics view is open, and on which post. Owner: this module (UI state
// only, never persisted); the top bar's Analytics button and the Analytics columns open it, the
// view closes it (App renders it while `open`).
import { create } from 'zustand';

export interface AnalyticsWindowState {
  open: boolean;
  /** A post to show the details of when the view opens (from an Analytics column), or null. */
  postId: string | null;
}

export const useAnalyticsWindow = create<AnalyticsWindowState>()(() => ({ open: false, postId: null }));

/** Opens the analytics view, on a post's details when `postId` is given. */
export function openAnalytics(postId: string | null = null): void {
  useAnalyticsWindow.setState({ open: true, postId });
}

export function closeAnalytics(): void {
  useAnalyticsWindow.setState({ open: false, postId: null });
}
