// The shared error taxonomy. Every network failure maps to one of these kinds, and every
// column, job and dialog shows it in words (the renderer's i18n has a message per code).
import { z } from 'zod';

export const NETWORK_ERROR_CODES = [
  'auth-expired',
  'rate-limited',
  'not-allowed',
  'not-found',
  'invalid',
  'transient',
  'offline',
] as const;

/** Codes that are not about a network: a request the contract refused, or a bug in main. */
export const APP_ERROR_CODES = ['bad-request', 'internal'] as const;

export const ErrorCodeSchema = z.enum([...NETWORK_ERROR_CODES, ...APP_ERROR_CODES]);
export type ErrorCode = z.infer<typeof ErrorCodeSchema>;

export const AppErrorSchema = z.object({
  code: ErrorCodeSchema,
  /** English words for logs and as a fallback; the UI shows its own translation of `code`. */
  message: z.string(),
  /** For rate-limited: when the limit resets (ISO instant). */
  resetAt: z.string().optional(),
  /** For bad-request: which field was wrong, as a dotted path. */
  field: z.string().optional(),
  /**
   * Why, when Colonnade knows it: a key of the UI's `reasons` translations ("wrong-app-password",
   * "duplicate-post", "blocked-by", "too-long"…), with its words in `params`. The UI says this
   * instead of the code's generic text.
   */
  reason: z.string().max(100).optional(),
  params: z.record(z.string(), z.string().max(500)).optional(),
  /** The network's own words for the refusal (X problem `detail`, Mastodon `error`, XRPC `message`). */
  detail: z.string().max(1000).optional(),
});
export type AppError = z.infer<typeof AppErrorSchema>;

/** Thrown inside main by services and adapters; the IPC layer turns it into an error result. */
export class ColonnadeError extends Error {
  readonly code: ErrorCode;
  readonly resetAt: string | undefined;
  readonly field: string | undefined;
  readonly reason: string | undefined;
  readonly params: Record<string, string> | undefined;
  readonly detail: string | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    extra: {
      resetAt?: string | undefined;
      field?: string | undefined;
      reason?: string | undefined;
      params?: Record<string, string> | undefined;
      detail?: string | undefined;
    } = {},
  ) {
    super(message);
    this.name = 'ColonnadeError';
    this.code = code;
    this.resetAt = extra.resetAt;
    this.field = extra.field;
    this.reason = extra.reason;
    this.params = extra.params;
    this.detail = extra.detail === undefined ? undefined : extra.detail.slice(0, 1000);
  }

  toJSON(): AppError {
    return {
      code: this.code,
      message: this.message,
      ...(this.resetAt === undefined ? {} : { resetAt: this.resetAt }),
      ...(this.field === undefined ? {} : { field: this.field }),
      ...(this.reason === undefined ? {} : { reason: this.reason }),
      ...(this.params === undefined ? {} : { params: this.params }),
      ...(this.detail === undefined ? {} : { detail: this.detail }),
    };
  }
}

/**
 * The reasons with which a network says, when acting on a post (like, repost, delete…), that the
 * post itself is gone for this account; every one comes with code `not-found`:
 * - `deleted`: X `resource-not-found` about the tweet (x/refusals.ts), a Bluesky post the AppView
 *   no longer shows or an XRPC NotFound (bluesky/adapter.ts `viewOf`, bluesky/errors.ts), a post
 *   the Sandbox does not have;
 * - `x-not-found`, `x-unavailable`: X's problem types `resource-not-found` (or a bare 404) and
 *   `resource-unavailable` (a suspended or withheld tweet) on the call itself (x/client.ts);
 * - `x-deleted-or-hidden`: X's 403 "deleted or not visible to you";
 * - `not-found`, `gone`: Mastodon's 404 "Record not found" and 410 (mastodon/errors.ts).
 * A `not-found` with any other reason, or none (a profile that is no longer connected), is not
 * about the post.
 */
export const POST_GONE_REASONS: ReadonlySet<string> = new Set([
  'deleted',
  'x-not-found',
  'x-unavailable',
  'x-deleted-or-hidden',
  'not-found',
  'gone',
  'post-gone',
]);

/** True when `error` (an answer to acting on a post) says the post itself is gone: see POST_GONE_REASONS. */
export function isPostGone(error: AppError): boolean {
  return error.code === 'not-found' && error.reason !== undefined && POST_GONE_REASONS.has(error.reason);
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (error: AppError): Result<never> => ({ ok: false, error });

/** Any thrown value as an AppError; unknown errors become 'internal' without leaking details. */
export function toAppError(err: unknown): AppError {
  if (err instanceof ColonnadeError) return err.toJSON();
  return { code: 'internal', message: 'Something went wrong inside Colonnade.' };
}
