// Turns (channel, payload) from any transport into a validated handler call and a result object.
// Nothing thrown here crosses the process boundary: a malformed payload is a 'bad-request'
// result, a failing handler an error result in the shared taxonomy.
import { fail, ok, toAppError, type Result } from '../../shared/errors';
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
    return fail({ code: 'bad-request', message: 'Unknown request.' });
  }
  const contract = requestContract[channel];
  const parsed = contract.request.safeParse(payload ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return fail({
      code: 'bad-request',
      message: issue?.message ?? 'The request is not valid.',
      ...(issue && issue.path.length > 0 ? { field: issue.path.join('.') } : {}),
    });
  }
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
