import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Conf from 'conf';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createCore } from '../../../src/main/core/app-core';
import { startSocketServer, type SocketServer } from '../../../src/main/host/socket-server';
import { confDocuments } from '../../../src/main/platform/conf-documents';
import { fileSecrets } from '../../../src/main/platform/file-secrets';
import { memoryPorts, MemoryLogger } from '../../doubles/ports';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'colonnade-unit-'));

describe('the headless host socket', () => {
  let server: SocketServer | undefined;
  afterEach(async () => {
    await server?.close();
  });

  const start = async () => {
    const rendererDir = tmp();
    fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>t</title>');
    const core = await createCore(memoryPorts());
    server = await startSocketServer({ core, log: new MemoryLogger(), token: 'right-token', port: 0, rendererDir });
    return { core, server };
  };

  const connect = (url: string, origin?: string) =>
    new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(url, origin ? { origin } : {});
      ws.once('open', () => resolve(ws));
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    });

  it('listens on 127.0.0.1 only and serves the renderer with the CSP header', async () => {
    const { server } = await start();
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=right-token$/);
    const res = await fetch(`http://127.0.0.1:${server.port}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
  });

  it('refuses a wrong token and a foreign origin', async () => {
    const { server } = await start();
    await expect(connect(`ws://127.0.0.1:${server.port}/ipc?token=wrong`)).rejects.toThrow('HTTP 403');
    await expect(
      connect(`ws://127.0.0.1:${server.port}/ipc?token=right-token`, 'https://evil.example'),
    ).rejects.toThrow('HTTP 403');
  });

  it('answers requests, survives garbage, and pushes events', async () => {
    const { server } = await start();
    const ws = await connect(`ws://127.0.0.1:${server.port}/ipc?token=right-token`, `http://127.0.0.1:${server.port}`);
    const messages: Array<Record<string, unknown>> = [];
    ws.on('message', (d) => messages.push(JSON.parse(String(d)) as Record<string, unknown>));
    ws.send('not json at all');
    ws.send(JSON.stringify({ id: 'x' }));
    ws.send(JSON.stringify({ id: 1, channel: 'deck.create', payload: { name: '' } }));
    ws.send(JSON.stringify({ id: 2, channel: 'deck.create', payload: { name: 'Brand B' } }));
    await new Promise<void>((resolve) => {
      const check = () => (messages.some((m) => m.id === 2) ? resolve() : setTimeout(check, 10));
      check();
    });
    expect(messages.find((m) => m.id === 1)).toMatchObject({
      result: { ok: false, error: { code: 'bad-request', message: 'A deck needs a name.' } },
    });
    expect(messages.find((m) => m.id === 2)).toMatchObject({ result: { ok: true } });
    expect(messages.some((m) => m.event === 'layout.changed')).toBe(true);
    ws.close();
  });
});

describe('files on disk (conf)', () => {
  it('moves a damaged settings file aside and starts with defaults', async () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'settings.json'), '{"schemaVersion":1,"data":{"language":');
    const log = new MemoryLogger();
    const documents = confDocuments(dir, (name, cwd) => new Conf({ configName: name, cwd, projectName: 'colonnade' }));
    const core = await createCore(memoryPorts({ documents, log }));
    return core.dispatch('settings.get', {}).then((result) => {
      expect(result).toEqual({ ok: true, value: { language: 'system' } });
      const aside = fs.readdirSync(dir).filter((f) => f.startsWith('settings.json.') && f.endsWith('.bad'));
      expect(aside).toHaveLength(1);
      expect(fs.readFileSync(path.join(dir, aside[0]!), 'utf8')).toBe('{"schemaVersion":1,"data":{"language":');
      expect(log.text()).toContain('settings: the file is damaged');
      expect(JSON.parse(fs.readFileSync(path.join(dir, 'settings.json'), 'utf8'))).toEqual({
        schemaVersion: 1,
        data: { language: 'system' },
      });
      core.stop();
    });
  });

  it('keeps host secrets encrypted at rest and readable after a restart', async () => {
    const dir = tmp();
    const secrets = fileSecrets(dir);
    const cipher = await secrets.encrypt('refresh-token-123');
    expect(cipher).not.toContain('refresh-token-123');
    expect(await fileSecrets(dir).decrypt(cipher)).toBe('refresh-token-123');
    expect(fs.statSync(path.join(dir, 'host-secret.key')).mode & 0o777).toBe(0o600);
  });
});
