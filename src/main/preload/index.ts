// The sandboxed preload: exposes window.colonnade with invoke/on for the contract's channels only.
// No Node, no ipcRenderer, no process reach the renderer. Bundled into one CommonJS file.
import { contextBridge, ipcRenderer } from 'electron';
import { isEventChannel, isRequestChannel, ipcEventName, ipcRequestName } from '../../shared/ipc/channels';

contextBridge.exposeInMainWorld('colonnade', {
  invoke(channel: unknown, payload: unknown): Promise<unknown> {
    if (!isRequestChannel(channel)) return Promise.reject(new Error(`Unknown channel ${String(channel)}`));
    return ipcRenderer.invoke(ipcRequestName(channel), payload);
  },
  on(channel: unknown, handler: (payload: unknown) => void): () => void {
    if (!isEventChannel(channel) || typeof handler !== 'function') throw new Error(`Unknown event ${String(channel)}`);
    const name = ipcEventName(channel);
    const listener = (_event: unknown, payload: unknown) => handler(payload);
    ipcRenderer.on(name, listener);
    return () => {
      ipcRenderer.removeListener(name, listener);
    };
  },
});
