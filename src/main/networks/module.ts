// What the accounts service needs from each network: how to connect (and reconnect) an account,
// what its credentials look like, and how to build its adapter. One module per network.
import type { NetworkAdapter, RateWindow } from '../../shared/adapter';
import type { ConnectRequest } from '../../shared/accounts';
import type { Clock, Logger } from '../core/ports';

export interface AdapterContext<C> {
  clock: Clock;
  log: Logger;
  /** Persist refreshed credentials; awaited before they are used (refresh tokens are single-use). */
  saveCredentials(next: C): Promise<void>;
  /**
   * X only: how many posts each response returned, for the cost meter. `posts` are other
   * people's posts, `ownPosts` the account's own (each post once, billed at its own price);
   * `purpose` tells new posts (timelines, look-ups of quotes) from count refreshes.
   */
  onReads?(reads: { posts: number; ownPosts: number; purpose: 'timeline' | 'counts' }): void;
  /** Every rate-limit window a response states (see RateWindow), for the account's shared budget. */
  onRateWindow?(window: RateWindow): void;
  /**
   * A small document of this account's own, kept across restarts (X: the CM's own likes and
   * reposts, which X timelines do not carry). Absent where the app keeps none (tests).
   */
  memory?: AdapterMemory;
}

/** One JSON document per account (a DocumentStore of the app): read answers undefined when empty. */
export interface AdapterMemory {
  read(): unknown;
  write(document: Record<string, unknown>): void;
}

/** What a connect flow may need from the app while it runs. */
export interface ConnectIo {
  clock: Clock;
  log: Logger;
  /**
   * Show the network's authorization page to the user (the system browser in the app; the
   * renderer shows the address too, so the user can open it again).
   */
  authorize(url: string): void;
  /** Abort when the user cancels. */
  signal: AbortSignal;
}

export interface NetworkModule<C = unknown> {
  network: ConnectRequest['network'];
  /** Checks stored or refreshed credentials, answering them typed; throws when they do not fit. */
  parseCredentials(raw: unknown): Promise<C>;
  /** Run the connect flow for this request, answering the credentials to store. */
  connect(request: ConnectRequest, io: ConnectIo): Promise<C>;
  /** Async so a network's library loads only once an account of it exists. */
  createAdapter(credentials: C, ctx: AdapterContext<C>): Promise<NetworkAdapter>;
  /** The API base URL / instance / service the credentials point at, shown in the account list. */
  server(credentials: C): string;
  /** How credentials of this shape were obtained (for accounts stored before that was recorded). */
  connectMethod?(credentials: C): ConnectRequest['method'];
}
