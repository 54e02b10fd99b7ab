// Decks and columns. Owner: main (this service, persisted in the "layout" document).
// Mirror: the renderer's layout slice, refreshed from every response and 'layout.changed' event.
import { randomUUID } from 'node:crypto';
import { ColonnadeError } from '../../shared/errors';
import {
  COLUMN_WIDTH,
  LayoutSchema,
  type AlertRule,
  type Column,
  type ColumnOptions,
  type ColumnSpec,
  type Deck,
  type Layout,
  type MonitorQuery,
} from '../../shared/model';
import type { DocumentStore, Logger } from './ports';
import { openVersionedDocument, type VersionedDocument } from './versioned-document';

export const LAYOUT_VERSION = 1;

export function defaultLayout(sandboxProfileId: string): Layout {
  const deckId = randomUUID();
  return {
    activeDeckId: deckId,
    decks: [
      {
        id: deckId,
        name: 'Sandbox',
        columns: [
          { id: randomUUID(), kind: 'home', profileId: sandboxProfileId, width: COLUMN_WIDTH.default },
          {
            id: randomUUID(),
            kind: 'hashtag',
            profileId: sandboxProfileId,
            query: 'IFPower',
            width: COLUMN_WIDTH.default,
          },
        ],
      },
    ],
  };
}

/** Hashtag and handle queries are stored without their sigil, keywords as typed. */
function normalizeQuery(spec: ColumnSpec): string | undefined {
  const q = spec.query?.trim();
  if (!q) return undefined;
  if (spec.kind === 'hashtag') return q.replace(/^#+/, '');
  if (spec.kind === 'user') return q.replace(/^@+/, '');
  return q;
}

export class LayoutService {
  private readonly doc: VersionedDocument<Layout>;

  constructor(
    store: DocumentStore,
    log: Logger,
    sandboxProfileId: string,
    private readonly onChange: (layout: Layout) => void,
  ) {
    this.doc = openVersionedDocument(
      store,
      {
        name: 'layout',
        schema: LayoutSchema,
        version: LAYOUT_VERSION,
        migrations: {},
        defaults: () => defaultLayout(sandboxProfileId),
      },
      log,
    );
  }

  get(): Layout {
    return this.doc.get();
  }

  findColumn(columnId: string): Column | undefined {
    for (const deck of this.get().decks) {
      const column = deck.columns.find((c) => c.id === columnId);
      if (column) return column;
    }
    return undefined;
  }

  allColumns(): Column[] {
    return this.get().decks.flatMap((d) => d.columns);
  }

  createDeck(name: string): Layout {
    const deck: Deck = { id: randomUUID(), name: name.trim(), columns: [] };
    return this.commit((l) => ({ decks: [...l.decks, deck], activeDeckId: deck.id }));
  }

  renameDeck(deckId: string, name: string): Layout {
    return this.updateDeck(deckId, (d) => ({ ...d, name: name.trim() }));
  }

  deleteDeck(deckId: string): Layout {
    return this.commit((l) => {
      this.deck(l, deckId);
      if (l.decks.length === 1) throw new ColonnadeError('bad-request', 'The last deck cannot be deleted.');
      const index = l.decks.findIndex((d) => d.id === deckId);
      const decks = l.decks.filter((d) => d.id !== deckId);
      const fallback = decks[Math.min(index, decks.length - 1)] ?? decks[0];
      return { decks, activeDeckId: l.activeDeckId === deckId && fallback ? fallback.id : l.activeDeckId };
    });
  }

  activateDeck(deckId: string): Layout {
    return this.commit((l) => {
      this.deck(l, deckId);
      return { ...l, activeDeckId: deckId };
    });
  }

  addColumn(deckId: string, spec: ColumnSpec): Layout {
    const query = normalizeQuery(spec);
    const column: Column = {
      id: randomUUID(),
      kind: spec.kind,
      // A monitor column's profile is the first of its profiles.
      profileId: spec.monitor?.profileIds[0] ?? spec.profileId,
      ...(query === undefined ? {} : { query }),
      ...(spec.label ? { label: spec.label } : {}),
      ...(spec.monitor ? { monitor: spec.monitor } : {}),
      width: COLUMN_WIDTH.default,
    };
    return this.updateDeck(deckId, (d) => {
      if (d.columns.length >= 50) throw new ColonnadeError('bad-request', 'A deck holds at most 50 columns.');
      return { ...d, columns: [...d.columns, column] };
    });
  }

  removeColumn(deckId: string, columnId: string): Layout {
    return this.updateDeck(deckId, (d) => {
      this.column(d, columnId);
      return { ...d, columns: d.columns.filter((c) => c.id !== columnId) };
    });
  }

  moveColumn(deckId: string, columnId: string, toIndex: number): Layout {
    return this.updateDeck(deckId, (d) => {
      const column = this.column(d, columnId);
      const rest = d.columns.filter((c) => c.id !== columnId);
      const at = Math.min(Math.max(0, toIndex), rest.length);
      return { ...d, columns: [...rest.slice(0, at), column, ...rest.slice(at)] };
    });
  }

  resizeColumn(deckId: string, columnId: string, width: number): Layout {
    return this.updateDeck(deckId, (d) => {
      this.column(d, columnId);
      return { ...d, columns: d.columns.map((c) => (c.id === columnId ? { ...c, width } : c)) };
    });
  }

  /**
   * Change a column's options (density, media previews, filters), its alert rule (null removes
   * it) or, for a monitor column, its query: the column's `profileId` follows the query's first
   * profile, so removing that profile from the monitor moves the column to the next one.
   * What `change` leaves out stays as it was. Throws `not-found` when the deck or the column is
   * gone, `bad-request` for a query on a column that is not a monitor, and `bad-request` with
   * reason `monitor-needs-profile` (field `monitor.profileIds`) for a query left with no profile.
   */
  configureColumn(
    deckId: string,
    columnId: string,
    change: {
      options?: ColumnOptions | undefined;
      alerts?: AlertRule | null | undefined;
      monitor?: MonitorQuery | undefined;
    },
  ): Layout {
    return this.updateDeck(deckId, (d) => {
      const column = this.column(d, columnId);
      if (change.monitor && column.kind !== 'monitor') {
        throw new ColonnadeError('bad-request', 'Only a monitor column has a monitor query.');
      }
      const first = change.monitor?.profileIds[0];
      if (change.monitor && first === undefined) {
        throw new ColonnadeError('bad-request', 'A monitor needs at least one profile to search with.', {
          field: 'monitor.profileIds',
          reason: 'monitor-needs-profile',
        });
      }
      const next: Column = { ...column };
      if (change.options !== undefined) next.options = change.options;
      if (change.alerts === null) delete next.alerts;
      else if (change.alerts !== undefined) next.alerts = change.alerts;
      if (change.monitor !== undefined && first !== undefined) {
        next.monitor = change.monitor;
        next.profileId = first;
      }
      return { ...d, columns: d.columns.map((c) => (c.id === columnId ? next : c)) };
    });
  }

  private deck(l: Layout, deckId: string): Deck {
    const deck = l.decks.find((d) => d.id === deckId);
    if (!deck) throw new ColonnadeError('not-found', 'That deck no longer exists.');
    return deck;
  }

  private column(d: Deck, columnId: string): Column {
    const column = d.columns.find((c) => c.id === columnId);
    if (!column) throw new ColonnadeError('not-found', 'That column no longer exists.');
    return column;
  }

  private updateDeck(deckId: string, change: (d: Deck) => Deck): Layout {
    return this.commit((l) => {
      this.deck(l, deckId);
      return { ...l, decks: l.decks.map((d) => (d.id === deckId ? change(d) : d)) };
    });
  }

  private commit(change: (l: Layout) => Layout): Layout {
    const next = change(this.get());
    this.doc.set(next);
    this.onChange(this.get());
    return this.get();
  }
}
