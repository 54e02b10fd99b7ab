// LayoutService.configureColumn (issue 7, "Reading"): a column's options, alert rule and monitor
// query, saved in the layout document and kept across a restart; a missing column is `not-found`.
import { describe, expect, it } from 'vitest';
import { createCore } from '../../../src/main/core/app-core';
import { LayoutService } from '../../../src/main/core/layout-service';
import { ColonnadeError } from '../../../src/shared/errors';
import { AlertRuleSchema, ColumnOptionsSchema, type Layout } from '../../../src/shared/model';
import { MemoryDocuments, MemoryLogger, memoryPorts } from '../../doubles/ports';

const start = (docs = new MemoryDocuments()) => {
  const changes: Layout[] = [];
  const service = new LayoutService(docs.open('layout'), new MemoryLogger(), 'sandbox:practice', (l) =>
    changes.push(l),
  );
  return { service, changes, docs };
};

describe('configureColumn', () => {
  it('saves a column’s options and alert rule, keeps what the change leaves out, and survives a restart', () => {
    const { service, changes, docs } = start();
    const deck = service.get().decks[0]!;
    const home = deck.columns[0]!;
    const options = ColumnOptionsSchema.parse({
      density: 'compact',
      filters: { excludeReposts: true, mute: ['/x/i'] },
    });
    const alerts = AlertRuleSchema.parse({ enabled: true, when: 'every' });
    service.configureColumn(deck.id, home.id, { options });
    service.configureColumn(deck.id, home.id, { alerts });
    expect(service.findColumn(home.id)).toMatchObject({ options, alerts, width: home.width, kind: 'home' });
    expect(changes).toHaveLength(2);
    // A restart reads the same layout back.
    const again = start(docs).service;
    expect(again.findColumn(home.id)).toMatchObject({ options, alerts });
    // null removes the alert rule; the options stay.
    again.configureColumn(deck.id, home.id, { alerts: null });
    expect(again.findColumn(home.id)).not.toHaveProperty('alerts');
    expect(again.findColumn(home.id)?.options).toEqual(options);
  });

  it('answers not-found for a column that is gone or on another deck, bad-request for a query on a non-monitor', () => {
    const { service } = start();
    const deck = service.get().decks[0]!;
    const other = service.createDeck('Other').decks[1]!;
    const options = ColumnOptionsSchema.parse({});
    const code = (work: () => unknown) => {
      try {
        work();
      } catch (err) {
        return err instanceof ColonnadeError ? err.code : String(err);
      }
      return 'ok';
    };
    expect(code(() => service.configureColumn(deck.id, 'nope', { options }))).toBe('not-found');
    expect(code(() => service.configureColumn(other.id, deck.columns[0]!.id, { options }))).toBe('not-found');
    expect(code(() => service.configureColumn('no-deck', deck.columns[0]!.id, { options }))).toBe('not-found');
    const monitor = { hashtags: ['IFPower'], keywords: [], exclude: [], profileIds: ['sandbox:practice'] };
    expect(code(() => service.configureColumn(deck.id, deck.columns[0]!.id, { monitor }))).toBe('bad-request');
  });
});

describe('configureColumn with a monitor query ("Edit monitor")', () => {
  const query = (profileIds: string[], hashtags = ['IFPower']) => ({ hashtags, keywords: [], exclude: [], profileIds });

  it('saves the new query; the column’s profile follows its first profile when that one is removed', () => {
    const { service, docs } = start();
    const deck = service.get().decks[0]!;
    const added = service.addColumn(deck.id, {
      kind: 'monitor',
      profileId: 'x:brand',
      monitor: query(['x:brand', 'bluesky:brand.bsky.social', 'sandbox:practice']),
    });
    const column = added.decks[0]!.columns.at(-1)!;
    expect(column.profileId).toBe('x:brand');

    // X is unticked: the column now belongs to the next profile, Bluesky.
    service.configureColumn(deck.id, column.id, {
      monitor: query(['bluesky:brand.bsky.social', 'sandbox:practice'], ['IFPower', 'Launch']),
    });
    expect(service.findColumn(column.id)).toMatchObject({
      kind: 'monitor',
      profileId: 'bluesky:brand.bsky.social',
      monitor: { hashtags: ['IFPower', 'Launch'], profileIds: ['bluesky:brand.bsky.social', 'sandbox:practice'] },
    });
    // Saved in the layout document: a restart reads the same.
    expect(start(docs).service.findColumn(column.id)).toMatchObject({ profileId: 'bluesky:brand.bsky.social' });
  });

  it('refuses a monitor left with no profile, saying so, and changes nothing', () => {
    const { service } = start();
    const deck = service.get().decks[0]!;
    const added = service.addColumn(deck.id, { kind: 'monitor', profileId: 'x:brand', monitor: query(['x:brand']) });
    const column = added.decks[0]!.columns.at(-1)!;
    let refusal: unknown;
    try {
      service.configureColumn(deck.id, column.id, { monitor: query([]) });
    } catch (err) {
      refusal = err;
    }
    expect(refusal).toBeInstanceOf(ColonnadeError);
    expect((refusal as ColonnadeError).toJSON()).toMatchObject({
      code: 'bad-request',
      reason: 'monitor-needs-profile',
      field: 'monitor.profileIds',
    });
    expect(service.findColumn(column.id)).toMatchObject({ profileId: 'x:brand', monitor: { profileIds: ['x:brand'] } });
  });

  it('through the contract, `column.configure` with a monitor of no profile is a bad request with that reason', async () => {
    const core = await createCore(memoryPorts());
    const got = await core.dispatch('layout.get', {});
    if (!got.ok) throw new Error('no layout');
    const deck = (got.value as Layout).decks[0]!;
    const column = deck.columns[0]!;
    const result = await core.dispatch('column.configure', {
      deckId: deck.id,
      columnId: column.id,
      monitor: query([]),
    });
    core.stop();
    expect(result).toMatchObject({
      ok: false,
      error: {
        code: 'bad-request',
        reason: 'monitor-needs-profile',
        message: 'A monitor needs at least one profile to search with: tick one.',
      },
    });
  });
});
