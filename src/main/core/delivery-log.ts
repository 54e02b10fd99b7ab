// Feed deliveries main has sent but the renderer has not yet stored. Owner: main, in memory.
// The renderer acknowledges after its Dexie commit; on reload it asks for what is pending, so a
// reload in the middle of a delivery loses nothing. After a crash of main, the monitors read again
// from their persisted positions, which only move once the renderer acknowledged (positions.ts).
import type { FeedDelivery } from '../../shared/ipc/contract';

/** Enough for hours of a hidden window; beyond it the oldest go (the renderer refetches pages). */
const MAX_PENDING = 5_000;

export class DeliveryLog {
  private seq = 0;
  private pending: FeedDelivery[] = [];

  constructor(
    private readonly send: (delivery: FeedDelivery) => void,
    /** Deliveries dropped unacknowledged (too many pending): their readers read them again. */
    private readonly dropped: (deliveries: FeedDelivery[]) => void = () => undefined,
  ) {}

  push(delivery: Omit<FeedDelivery, 'seq'>): FeedDelivery {
    const full = { ...delivery, seq: ++this.seq };
    this.pending.push(full);
    if (this.pending.length > MAX_PENDING) this.dropped(this.pending.splice(0, this.pending.length - MAX_PENDING));
    this.send(full);
    return full;
  }

  ack(upTo: number): void {
    this.pending = this.pending.filter((d) => d.seq > upTo);
  }

  unacknowledged(): FeedDelivery[] {
    return [...this.pending];
  }
}
