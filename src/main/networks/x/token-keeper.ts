// Keeps one X account's OAuth 2.0 sign-in alive. X's refresh tokens are single-use: each refresh
// answers a new pair and spends the refresh token presented; presenting a spent one again makes X
// revoke the whole grant (every token of it), so the account must be reconnected. Hence, per
// account (the accounts service keeps one adapter, so one keeper, per account):
// - one refresh at a time, shared by every caller (columns, publishing, the account check);
// - the new pair is saved (awaited) before anything uses it, and the spent token is dropped at once;
// - the refresh happens a margin before expiry that fits the token's lifetime;
// - a 401 on a token that should still be valid triggers one refresh (and the caller one retry);
// - a refused refresh (`invalid_grant`, or the `invalid_request` X answers for a spent or revoked
//   token) is remembered in the stored credentials (`refusedAt`): that token is never presented
//   again, and every call answers `auth-expired` until the account is reconnected.
// OAuth 1.0a keys do not expire: the keeper just holds them.
import { createHash } from 'node:crypto';
import { ApiResponseError, TwitterApi } from 'twitter-api-v2';
import { ColonnadeError } from '../../../shared/errors';
import type { Clock, Logger } from '../../core/ports';
import { clientSettings, toColonnadeError, type XCredentials, type XOAuth2Credentials } from './client';

/** The largest refresh margin: renew an access token at most this long (ms) before it expires. */
export const REFRESH_MARGIN_MS = 5 * 60_000;
/** Share of an access token's lifetime kept as margin when that is less than REFRESH_MARGIN_MS. */
export const REFRESH_MARGIN_SHARE = 0.25;

/** What X's token endpoint answers to a refresh_token grant (twitter-api-v2's parsed result). */
export interface TokenGrant {
  accessToken: string;
  /** X always rotates it; absent only if a server does not rotate (then the old one stays). */
  refreshToken?: string | undefined;
  /** Lifetime of the access token in seconds (X: 7200). */
  expiresIn: number;
}

/** Presents `creds.refreshToken` to the token endpoint once; throws what the library threw. */
export type RefreshGrant = (creds: XOAuth2Credentials) => Promise<TokenGrant>;

/** The real grant: POST /2/oauth2/token with grant_type=refresh_token, on the account's API base. */
export const refreshWithX: RefreshGrant = async (creds) => {
  const app = new TwitterApi(
    { clientId: creds.clientId, ...(creds.clientSecret ? { clientSecret: creds.clientSecret } : {}) },
    clientSettings(creds.apiBase),
  );
  const { accessToken, refreshToken, expiresIn } = await app.refreshOAuth2Token(creds.refreshToken);
  return { accessToken, refreshToken, expiresIn };
};

/**
 * How long before expiry (ms) an access token is renewed: REFRESH_MARGIN_MS, or a quarter of the
 * token's lifetime when that is shorter (a 60 s token is renewed 15 s before it expires, not on
 * every call). Without `issuedAt` (credentials stored before it existed) the lifetime is unknown:
 * the full margin applies until the first refresh records it.
 */
export function refreshMarginMs(creds: Pick<XOAuth2Credentials, 'expiresAt' | 'issuedAt'>): number {
  if (creds.issuedAt === undefined) return REFRESH_MARGIN_MS;
  const lifetime = creds.expiresAt - creds.issuedAt;
  if (lifetime <= 0) return 0;
  return Math.min(REFRESH_MARGIN_MS, Math.floor(lifetime * REFRESH_MARGIN_SHARE));
}

/**
 * OAuth errors of the token endpoint that mean the refresh token will never work again
 * (RFC 6749 §5.2). X answers `invalid_request` ("Value passed for the token was invalid.") for
 * a spent, revoked or unknown refresh token; `invalid_grant` is the RFC's name for it;
 * `invalid_client` / `unauthorized_client` mean the developer app's keys no longer fit.
 */
const REFUSALS: Record<string, string> = {
  invalid_grant: 'x-refresh-refused',
  invalid_request: 'x-refresh-refused',
  invalid_client: 'x-app-refused',
  unauthorized_client: 'x-app-refused',
};

function refusalOf(err: unknown): { reason: string; detail?: string } | null {
  if (!(err instanceof ApiResponseError) || (err.code !== 400 && err.code !== 401)) return null;
  const data = (typeof err.data === 'object' && err.data !== null ? err.data : {}) as Record<string, unknown>;
  const reason = typeof data['error'] === 'string' ? REFUSALS[data['error']] : undefined;
  if (!reason) return null;
  const detail = typeof data['error_description'] === 'string' ? data['error_description'] : undefined;
  return detail ? { reason, detail } : { reason };
}

/**
 * Refresh tokens this process has already presented and got an answer for (a new pair, or a
 * refusal), as SHA-256 digests. A keeper built later from older credentials (a stale copy) must
 * not present one of them again: that would make X revoke the grant another keeper now holds.
 */
const presented = new Set<string>();
const digest = (token: string) => createHash('sha256').update(token).digest('base64url');

export interface TokenKeeperDeps {
  clock: Clock;
  log: Logger;
  /** Persists credentials (the accounts service encrypts and stores them); awaited before use. */
  save(next: XCredentials): Promise<void>;
  /** The token endpoint call; tests may replace it. */
  grant?: RefreshGrant;
}

export class TokenKeeper {
  private creds: XCredentials;
  private refreshing: Promise<XCredentials> | null = null;
  /** A renewed pair the store did not take yet (it is kept in memory, and saved again). */
  private unsaved = false;
  /** Why X refused the last refresh (a `reasons.*` translation key). */
  private refusedReason = 'x-refresh-refused';

  constructor(
    credentials: XCredentials,
    private readonly deps: TokenKeeperDeps,
  ) {
    this.creds = credentials;
  }

  /** The credentials held now (possibly about to be renewed). */
  get credentials(): XCredentials {
    return this.creds;
  }

  /**
   * Credentials fit for a request now: waits for a refresh under way, renews the access token
   * first when it is within the refresh margin of expiry.
   * Throws `auth-expired` (reason `x-refresh-refused` / `x-app-refused`) when X refused to renew
   * the sign-in, and what the token endpoint's failure maps to otherwise (`offline`, `transient`…).
   */
  async current(): Promise<XCredentials> {
    // Callers arriving during a refresh share its outcome (its pair, or its failure).
    if (this.refreshing) return this.refreshing;
    await this.retrySave();
    const creds = this.creds;
    if (creds.kind !== 'oauth2') return creds;
    if (creds.refusedAt !== undefined) throw this.refusedError();
    if (creds.expiresAt - this.deps.clock.now() < refreshMarginMs(creds)) return this.refresh();
    return creds;
  }

  /**
   * X answered 401 to a request made with `accessToken`: renew once (unless another caller
   * already did since that request) and answer the credentials to retry with, or null when there
   * is nothing to renew (OAuth 1.0a keys). Throws like current().
   */
  async afterRejection(accessToken: string): Promise<XCredentials | null> {
    if (this.refreshing) return this.refreshing;
    const creds = this.creds;
    if (creds.kind !== 'oauth2') return null;
    if (creds.refusedAt !== undefined) throw this.refusedError();
    // Another caller renewed the pair since that request: retry with it (renewed if need be).
    if (creds.accessToken !== accessToken) return this.current();
    this.deps.log.warn('x: the access token was refused before its expiry; renewing it once');
    return this.refresh();
  }

  private refusedError(detail?: string): ColonnadeError {
    return new ColonnadeError('auth-expired', 'X no longer accepts this account’s sign-in. Reconnect it.', {
      reason: this.refusedReason,
      ...(detail ? { detail } : {}),
    });
  }

  /** Renews the pair: one refresh at a time, saved before anyone uses it. */
  private refresh(): Promise<XCredentials> {
    this.refreshing ??= this.renew().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private async renew(): Promise<XCredentials> {
    const creds = this.creds;
    if (creds.kind !== 'oauth2') return creds;
    const { clock, log } = this.deps;
    const spent = digest(creds.refreshToken);
    if (presented.has(spent)) {
      // Another keeper of this process already presented it: presenting it again would revoke
      // the grant. This copy of the credentials is stale; the account needs reconnecting here.
      log.warn('x: these credentials hold a refresh token already used; not presenting it again');
      return this.refuse(creds, 'x-refresh-refused');
    }
    let grant: TokenGrant;
    try {
      grant = await (this.deps.grant ?? refreshWithX)(creds);
    } catch (err) {
      const refusal = refusalOf(err);
      if (!refusal) throw toColonnadeError(err, 'sign-in');
      presented.add(spent);
      log.warn('x: X refused to renew the sign-in; the account needs reconnecting', {
        reason: refusal.reason,
        ...(refusal.detail ? { detail: refusal.detail } : {}),
      });
      return this.refuse(creds, refusal.reason, refusal.detail);
    }
    presented.add(spent);
    const now = clock.now();
    const next: XCredentials = {
      ...creds,
      accessToken: grant.accessToken,
      refreshToken: grant.refreshToken ?? creds.refreshToken,
      expiresAt: now + grant.expiresIn * 1000,
      issuedAt: now,
    };
    try {
      await this.deps.save(next);
      this.unsaved = false;
    } catch (err) {
      // The old refresh token is spent: the new pair is the only way on. Keep it, save it later.
      this.unsaved = true;
      log.error('x: the renewed sign-in could not be saved; keeping it in memory and trying again', {
        error: String(err),
      });
    }
    this.creds = next;
    log.info('x: access token refreshed', { expiresAt: new Date(next.expiresAt).toISOString() });
    return next;
  }

  private async refuse(creds: XOAuth2Credentials, reason: string, detail?: string): Promise<never> {
    const refused: XOAuth2Credentials = { ...creds, refusedAt: this.deps.clock.now() };
    this.creds = refused;
    this.refusedReason = reason;
    try {
      await this.deps.save(refused);
    } catch (err) {
      this.deps.log.error('x: could not record the refused sign-in', { error: String(err) });
    }
    throw this.refusedError(detail);
  }

  private async retrySave(): Promise<void> {
    if (!this.unsaved) return;
    try {
      await this.deps.save(this.creds);
      this.unsaved = false;
    } catch {
      // Still failing: keep going with the pair in memory; logged when it first failed.
    }
  }
}
