// Turns (channel, payload) from any transport into a validated handler call and a result object.
// Nothing thrown here crosses the process boundary: a malformed payload is a 'bad-request'
// result, a failing handler an error result in the shared taxonomy.
import type { z } from 'zod';
import { fail, ok, toAppError, type AppError, type Result } from '../../shared/errors';
import en from '../../shared/i18n/en.json';
import { isRequestChannel, type EventChannel, type RequestChannel } from '../../shared/ipc/channels';
import {
  eventContract,
  requestContract,
  type EventOf,
  type ParsedRequestOf,
  type ResponseOf,
} from '../../shared/ipc/contract';
import type { Logger } from './ports';

export type Handlers = {
  [C in RequestChannel]: (request: ParsedRequestOf<C>) => Promise<ResponseOf<C>> | ResponseOf<C>;
};

export async function dispatch(
  handlers: Handlers,
  channel: unknown,
  payload: unknown,
  log: Logger,
): Promise<Result<unknown>> {
  if (!isRequestChannel(channel)) {
    return fail({ code: 'bad-request', message: 'Colonnade does not know this request.', reason: 'unknown-request' });
  }
  const contract = requestContract[channel];
  const parsed = contract.request.safeParse(payload ?? {});
  if (!parsed.success) return fail(badRequestOf(parsed.error.issues[0]));
  try {
    const handler = handlers[channel] as (request: unknown) => unknown;
    const value = await handler(parsed.data);
    const checked = contract.response.safeParse(value);
    if (!checked.success) {
      log.error('handler answered outside the contract', { channel, issue: checked.error.issues[0]?.message });
      return fail({ code: 'internal', message: 'Something went wrong inside Colonnade.' });
    }
    return ok(checked.data);
  } catch (err) {
    const error = toAppError(err);
    if (error.code === 'internal') log.error('handler failed', { channel, error: String(err) });
    return fail(error);
  }
}

/** A schema's own message that is a key of the UI's `reasons` (e.g. 'deck-name-empty'), not zod's words. */
const REASON_KEY = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)+$/;

/**
 * A refused request as a bad-request error the UI can say in its own language: `reason` is a key
 * of the UI's `reasons` (the schema's custom message when it is one, else one derived from the zod
 * issue: `field-too-long`, `number-too-small`, `field-missing`…), `params` carries the field's
 * name (last path segment, `request` for the whole request) and `minimum` / `maximum` / `keys`;
 * `field` the dotted path; `message` the English words (en.json), for logs and tests.
 */
export function badRequestOf(issue: z.core.$ZodIssue | undefined): AppError {
  if (!issue) return withEnglish({ code: 'bad-request', message: '', reason: 'request-invalid' });
  const last = issue.path[issue.path.length - 1];
  const params: Record<string, string> = { field: last === undefined ? 'request' : String(last) };
  let reason = 'request-invalid';
  if (issue.code === 'too_small') params.minimum = String(issue.minimum);
  if (issue.code === 'too_big') params.maximum = String(issue.maximum);
  if (REASON_KEY.test(issue.message)) reason = issue.message;
  else if (issue.code === 'too_small' || issue.code === 'too_big') {
    const small = issue.code === 'too_small';
    const bound = small ? issue.minimum : issue.maximum;
    reason =
      issue.origin === 'string'
        ? small
          ? Number(bound) <= 1
            ? 'field-required'
            : 'field-too-short'
          : 'field-too-long'
        : issue.origin === 'array' || issue.origin === 'set'
          ? small
            ? 'too-few-items'
            : 'too-many-items'
          : small
            ? 'number-too-small'
            : 'number-too-large';
  } else if (issue.code === 'invalid_type') {
    reason = /received undefined/.test(issue.message) ? 'field-missing' : 'field-wrong-type';
  } else if (issue.code === 'invalid_format') reason = 'field-format';
  else if (issue.code === 'invalid_value') reason = 'field-not-allowed';
  else if (issue.code === 'unrecognized_keys') {
    reason = 'unknown-field';
    params.keys = issue.keys.join(', ');
  }
  return withEnglish({
    code: 'bad-request',
    message: '',
    reason,
    params,
    ...(issue.path.length > 0 ? { field: issue.path.join('.') } : {}),
  });
}

/** Fills `message` with the reason's English words from en.json (the UI translates the reason itself). */
function withEnglish(error: AppError): AppError {
  const reasons = en.reasons as Record<string, string>;
  const fields = en.fields as Record<string, string>;
  const template = (error.reason && reasons[error.reason]) ?? 'The request is not valid.';
  const message = template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
    const value = error.params?.[name] ?? '';
    return name === 'field' ? (fields[value] ?? value) : value;
  });
  return { ...error, message };
}

export type EventListener = (channel: EventChannel, payload: unknown) => void;

/** Fan-out of contract events to every connected renderer (Electron window, WebSocket clients). */
export class EventBus {
  private readonly listeners = new Set<EventListener>();

  constructor(private readonly log: Logger) {}

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit<C extends EventChannel>(channel: C, payload: EventOf<C>): void {
    const checked = eventContract[channel].safeParse(payload);
    if (!checked.success) {
      this.log.error('event outside the contract was not sent', { channel, issue: checked.error.issues[0]?.message });
      return;
    }
    for (const listener of this.listeners) listener(channel, checked.data);
  }
}
