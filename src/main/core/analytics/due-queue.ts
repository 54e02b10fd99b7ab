// When each tracked post of one profile is next observed: the outbox's binary min-heap of
// (instant, post id) with lazy removal (an entry whose post was observed since, or is gone, is
// dropped when it reaches the top), so 100,000 posts cost O(log n) per change, never a scan.
import { DueHeap } from '../outbox/due-heap';

export interface DueEntry {
  /** When the post is due (ms since the epoch). */
  at: number;
  id: string;
}

export class DueQueue extends DueHeap<DueEntry> {}
