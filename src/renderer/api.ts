// Typed calls on the contract. Components never call this directly: store actions do.
import type { AppError, Result } from '../shared/errors';
import type { RequestChannel } from '../shared/ipc/channels';
import type { RequestOf, ResponseOf } from '../shared/ipc/contract';
import type { Bridge } from './bridge';

export class ApiError extends Error {
  constructor(readonly error: AppError) {
    super(error.message);
    this.name = 'ApiError';
  }
}

export type Api = <C extends RequestChannel>(channel: C, request: RequestOf<C>) => Promise<ResponseOf<C>>;

export function makeApi(bridge: Pick<Bridge, 'invoke'>): Api {
  return async (channel, request) => {
    const result = (await bridge.invoke(channel, request)) as Result<never>;
    if (!result.ok) throw new ApiError(result.error);
    return result.value;
  };
}
