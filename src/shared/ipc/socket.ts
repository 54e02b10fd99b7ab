// The envelope the headless host and the browser renderer exchange over the loopback WebSocket.
// It carries the same contract as Electron IPC: requests with an id, results, and events.
import { z } from 'zod';
import { AppErrorSchema } from '../errors';

export const SocketRequestSchema = z.object({
  id: z.number().int().nonnegative(),
  channel: z.string().max(100),
  payload: z.unknown(),
});
export type SocketRequest = z.infer<typeof SocketRequestSchema>;

export const SocketServerMessageSchema = z.union([
  z.object({
    id: z.number().int(),
    result: z.union([
      z.object({ ok: z.literal(true), value: z.unknown() }),
      z.object({ ok: z.literal(false), error: AppErrorSchema }),
    ]),
  }),
  z.object({ event: z.string(), payload: z.unknown() }),
]);
export type SocketServerMessage = z.infer<typeof SocketServerMessageSchema>;

/** Path of the WebSocket endpoint on the host; the token travels as `?token=`. */
export const SOCKET_PATH = '/ipc';
