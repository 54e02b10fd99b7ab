// The account's session with its PDS: @atproto/api's CredentialSession, made to save every new
// session (login or refresh) through the caller BEFORE it is used. The library calls its
// persistSession hook without waiting for it (atp-agent.js: `this.persistSession?.('update', …)`,
// then retries the request with the new token at once); refresh tokens are single-use, so a
// session used but never saved would strand the account at the next start. Here the refresh and
// every request wait until the newest session is saved; when saving fails the request fails.
import { Agent, CredentialSession, type AtpPersistSessionHandler, type AtpSessionData } from '@atproto/api';
import { ColonnadeError } from '../../../shared/errors';
import type { Clock, Logger } from '../../core/ports';
import type { BlueskyCredentials, BlueskySession } from './credentials';
import { isAuthFailure, toColonnadeError, type ErrorContext } from './errors';
import { deadlineFetch } from './http';

export class SaveFailedError extends Error {
  constructor(cause: unknown) {
    super('Colonnade could not save the refreshed Bluesky session.', { cause });
    this.name = 'SaveFailedError';
  }
}

/** Saves sessions in order, one at a time; `flush()` waits for the newest to be saved. */
class Persister {
  private unsaved: AtpSessionData | null = null;
  private pending: Promise<void> | null = null;

  constructor(private readonly save: (session: AtpSessionData) => Promise<void>) {}

  readonly handler: AtpPersistSessionHandler = (event, session) => {
    if ((event === 'create' || event === 'update') && session) {
      this.unsaved = { ...session };
      void this.flush().catch(() => undefined); // start now; callers see failures through flush()
    }
  };

  async flush(): Promise<void> {
    while (this.unsaved) {
      if (!this.pending) {
        const session = this.unsaved;
        this.pending = this.save(session)
          .then(
            () => {
              if (this.unsaved === session) this.unsaved = null;
            },
            (err: unknown) => {
              throw new SaveFailedError(err);
            },
          )
          .finally(() => {
            this.pending = null;
          });
      }
      await this.pending;
    }
  }
}

class PersistingSession extends CredentialSession {
  constructor(
    service: URL,
    fetchFn: typeof globalThis.fetch,
    private readonly persister: Persister,
  ) {
    super(service, fetchFn, persister.handler);
  }

  override async refreshSession(): ReturnType<CredentialSession['refreshSession']> {
    const res = await super.refreshSession();
    await this.persister.flush();
    return res;
  }

  override async fetchHandler(url: string, init?: RequestInit): Promise<Response> {
    await this.refreshSessionPromise?.catch(() => undefined);
    await this.persister.flush();
    return super.fetchHandler(url, init);
  }
}

/** Told of every answer: its headers and the URL asked. */
export interface RateLimitListener {
  (headers: Headers, url: string): void;
}

export interface SessionOptions {
  credentials: BlueskyCredentials;
  clock: Clock;
  log: Logger;
  save(next: BlueskyCredentials): Promise<void>;
  onResponse?: RateLimitListener;
  /** For tests: the fetch underneath (default: the global one). */
  fetch?: typeof globalThis.fetch;
  /** How long one request may take, in ms (default REQUEST_DEADLINE_MS; tests shorten it). */
  deadlineMs?: number;
}

const asSession = (s: AtpSessionData): BlueskySession => ({
  did: s.did,
  handle: s.handle,
  accessJwt: s.accessJwt,
  refreshJwt: s.refreshJwt,
});

/**
 * An authenticated Agent that starts lazily (resuming the saved session, else logging in with
 * the app password), and runs calls with one re-login when the server rejects the session.
 */
export class AccountSession {
  readonly agent: Agent;
  private readonly session: PersistingSession;
  private readonly persister: Persister;
  private credentials: BlueskyCredentials;
  private starting: Promise<void> | null = null;
  private relogging: Promise<void> | null = null;

  constructor(private readonly options: SessionOptions) {
    this.credentials = options.credentials;
    this.persister = new Persister(async (s) => {
      const next: BlueskyCredentials = { ...this.credentials, session: asSession(s) };
      await options.save(next);
      this.credentials = next;
    });
    // Every request, sign-in and session refresh included, has a deadline (http.ts).
    const fetchFn = deadlineFetch(options.fetch ?? globalThis.fetch, {
      ...(options.deadlineMs !== undefined ? { deadlineMs: options.deadlineMs } : {}),
      ...(options.onResponse ? { onResponse: options.onResponse } : {}),
    });
    this.session = new PersistingSession(new URL(options.credentials.service), fetchFn, this.persister);
    this.agent = new Agent(this.session);
  }

  get did(): string {
    const did = this.session.did;
    if (!did)
      throw new ColonnadeError('auth-expired', 'This Bluesky account is not signed in: reconnect it.', {
        reason: 'session-expired',
      });
    return did;
  }

  private fail(err: unknown, context?: ErrorContext): ColonnadeError {
    if (err instanceof SaveFailedError) {
      this.options.log.error('bluesky: saving the refreshed session failed', { account: this.credentials.identifier });
      return new ColonnadeError('transient', 'Colonnade could not save the refreshed Bluesky session; try again.', {
        reason: 'session-not-saved',
      });
    }
    return toColonnadeError(err, this.options.clock.now(), context);
  }

  private async login(): Promise<void> {
    const { identifier, appPassword } = this.credentials;
    try {
      await this.session.login({ identifier: identifier.replace(/^@/, ''), password: appPassword });
      await this.persister.flush();
    } catch (err) {
      if (isAuthFailure(err)) {
        // The saved session is gone and the app password no longer signs in: revoked, most likely.
        const detail = err instanceof Error ? err.message : undefined;
        throw new ColonnadeError(
          'auth-expired',
          'Bluesky did not accept the app password for this account: create a new app password and reconnect.',
          {
            reason: 'app-password-revoked',
            params: { name: `@${identifier.replace(/^@/, '')}` },
            ...(detail ? { detail } : {}),
          },
        );
      }
      throw this.fail(err);
    }
  }

  private async start(): Promise<void> {
    const saved = this.credentials.session;
    if (saved) {
      try {
        // Forces one refresh: proves the session, learns the PDS from the DID document, saves.
        await this.session.resumeSession({ ...saved, active: true });
        await this.persister.flush();
        return;
      } catch (err) {
        if (!isAuthFailure(err)) throw this.fail(err);
        this.options.log.info('bluesky: saved session no longer valid; signing in with the app password', {
          account: this.credentials.identifier,
        });
      }
    }
    await this.login();
  }

  /** Signs in if needed. A failed start is retried by the next call. */
  async ready(): Promise<void> {
    this.starting ??= this.start().catch((err: unknown) => {
      this.starting = null;
      throw err;
    });
    await this.starting;
    // The library drops a session whose refresh token the server refused.
    if (!this.session.hasSession) await this.relogin();
  }

  /**
   * Runs `fn` signed in; when the server rejects the session, signs in again once and retries.
   * Failures are ColonnadeErrors (errors.ts), named with `context` (who a block is about…).
   */
  async call<T>(fn: (agent: Agent) => Promise<T>, context?: ErrorContext): Promise<T> {
    await this.ready();
    try {
      return await fn(this.agent);
    } catch (err) {
      if (!isAuthFailure(err)) throw this.fail(err, context);
    }
    await this.relogin();
    try {
      return await fn(this.agent);
    } catch (err) {
      throw this.fail(err, context);
    }
  }

  private relogin(): Promise<void> {
    this.relogging ??= this.login().finally(() => {
      this.relogging = null;
    });
    return this.relogging;
  }
}
