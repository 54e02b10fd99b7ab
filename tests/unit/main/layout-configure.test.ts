// LayoutService.configureColumn (issue 7, "Reading"): a column's options, alert rule and monitor
// query, saved in the layout document and kept across a restart; a missing column is `not-found`.
import { describe, expect, it } from 'vitest';
import { LayoutService } from '../../../src/main/core/layout-service';
import { ColonnadeError } from '../../../src/shared/errors';
import { AlertRuleSchema, ColumnOptionsSchema, type Layout } from '../../../src/shared/model';
import { MemoryDocuments, MemoryLogger } from '../../doubles/ports';

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
