// A column's troubles in words, naming where they happened: a monitor column over several
// profiles says each profile in trouble on its own line with its handle and network; a column of
// one profile says its error with that profile's network. English and French.
import { describe, expect, it } from 'vitest';
import { tFor } from './translate';
import type { ColumnStatus } from '../../../src/shared/ipc/contract';
import type { Account } from '../../../src/shared/model';
import { problemLines } from '../../../src/renderer/components/column-problems';

const account = (network: Account['network'], handle: string): Account =>
  ({
    id: `${network}:${handle}`,
    network,
    profile: { id: `${network}:${handle}`, network, handle, displayName: handle, avatarUrl: null, url: null },
    health: { state: 'ok' },
    practice: false,
    columnKinds: [],
    server: null,
  }) as unknown as Account;

const accounts = [account('x', 'brand'), account('mastodon', 'brand@social.example')];

describe('a column’s troubles', () => {
  const monitorStatus: ColumnStatus = {
    columnId: 'mon',
    state: 'error',
    profileId: 'bluesky:gone',
    profiles: [
      {
        profileId: 'mastodon:brand@social.example',
        state: 'paused',
        error: { code: 'auth-expired', message: 'Reconnect.' },
      },
      {
        profileId: 'bluesky:gone',
        state: 'error',
        error: { code: 'not-found', message: 'gone', reason: 'profile-not-connected' },
      },
    ],
  };

  it('a monitor column: one line per profile in trouble, with its handle and its own network', () => {
    const lines = problemLines(tFor('en'), monitorStatus, accounts, 'en', 'x').map((l) => l.text);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^@brand@social\.example · Mastodon: /);
    expect(lines[0]).not.toContain(' X ');
    expect(lines[1]).toBe(
      'A Bluesky profile no longer connected: This profile is no longer connected: connect it again in Accounts, or take it out of the column.',
    );
  });

  it('in French, with the narrow no-break space before the colon and no English words', () => {
    const lines = problemLines(tFor('fr'), monitorStatus, accounts, 'fr', 'x').map((l) => l.text);
    expect(lines[0]).toMatch(/^@brand@social\.example · Mastodon\u202f: /);
    expect(lines[1]).toContain('Un profil Bluesky qui n’est plus connecté');
    expect(lines[1]).toContain('Ce profil n’est plus connecté');
    expect(lines.join(' ')).not.toMatch(/Reconnect\.|gone/);
  });

  it('a column of one profile: its error with that profile’s network; live or paused says nothing here', () => {
    const status: ColumnStatus = {
      columnId: 'c',
      state: 'error',
      profileId: 'mastodon:brand@social.example',
      error: { code: 'transient', message: 'slow down', detail: 'Service unavailable' },
    };
    const [line] = problemLines(tFor('en'), status, accounts, 'en', 'x');
    expect(line!.text).toMatch(/Mastodon/);
    expect(problemLines(tFor('en'), { columnId: 'c', state: 'live' }, accounts, 'en')).toEqual([]);
    expect(
      problemLines(
        tFor('en'),
        { columnId: 'c', state: 'paused', error: { code: 'offline', message: 'x' } },
        accounts,
        'en',
      ),
    ).toEqual([]);
  });
});
