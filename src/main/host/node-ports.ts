// Ports for running the core under plain Node (headless host, tests of the whole core).
import Conf from 'conf';
import type { Logger, Ports } from '../core/ports';
import { systemClock } from '../core/ports';
import { confDocuments } from '../platform/conf-documents';
import { fileSecrets } from '../platform/file-secrets';
import { fileBlobs } from '../platform/file-blobs';
import { fileJournals } from '../platform/file-journal';
import path from 'node:path';

export function nodePorts(opts: {
  dataDir: string;
  log: Logger;
  version: string;
  sandboxSeed?: number | undefined;
}): Ports {
  return {
    clock: systemClock,
    log: opts.log,
    documents: confDocuments(
      opts.dataDir,
      (name, cwd) => new Conf({ configName: name, cwd, projectName: 'colonnade' }),
    ),
    journals: fileJournals(opts.dataDir, opts.log),
    blobs: fileBlobs(path.join(opts.dataDir, 'media')),
    secrets: fileSecrets(opts.dataDir),
    // No desktop here: alerts are logged, and the page shows them ('alert.fired').
    notifier: {
      notify: ({ title, body }) => opts.log.info('notification', { title, body }),
      badge: (count) => opts.log.info('badge', { count }),
    },
    // The host runs on a server or in tests: no sleep to hear about.
    power: { onResume: () => () => undefined },
    online: { isOnline: () => true, onChange: () => () => undefined },
    // The headless host has no desktop: the renderer shows the address as a link instead.
    openExternal: (url) => opts.log.info('authorization page to open', { host: new URL(url).host }),
    osLocales: () => {
      const env = process.env.LC_ALL || process.env.LC_MESSAGES || process.env.LANG || '';
      const fromEnv = env && env !== 'C' && env !== 'POSIX' ? [env.split('.')[0]!.replace('_', '-')] : [];
      return [...fromEnv, Intl.DateTimeFormat().resolvedOptions().locale];
    },
    host: 'headless',
    version: opts.version,
    platform: process.platform,
    sandboxSeed: opts.sandboxSeed,
  };
}
