// @vitest-environment jsdom
// Reading a column in the DOM (jsdom, Dexie on fake-indexeddb): the filters' count and "Show",
// "N new posts" kept across a reload of the page, the options dialog refusing a bad regular
// expression, the gap marker's "Load them", and shortcuts that stay out of text fields.
import 'fake-indexeddb/auto';
import { act, type ReactNode } from 'react';
import { describe, expect, it } from 'vitest';
import { ApiError, type Api } from '../../../src/renderer/api';
import { appShortcut } from '../../../src/renderer/components/App';
import { ColumnOptionsDialog } from '../../../src/renderer/components/ColumnOptionsDialog';
import { GapMarker } from '../../../src/renderer/components/GapMarker';
import {
  advanceReadPosition,
  readPosition,
  storeColumnEntries,
  type ColonnadeDb,
} from '../../../src/renderer/db/database';
import { useAppStore } from '../../../src/renderer/state/store';
import type { Column, TimelineEntry } from '../../../src/shared/model';
import { sampleEntry, sampleProfile } from './samples';
import { columnView, fakeApi, freshAppPerTest, seedDeck, servicesOver, show, testDatabase, until } from './test-app';

freshAppPerTest();

const at = (minute: number) => new Date(Date.UTC(2026, 10, 25, 8, minute)).toISOString();
const entries = (from: number, to: number, extra: (n: number) => Partial<TimelineEntry> = () => ({})) =>
  Array.from({ length: to - from + 1 }, (_, i) => ({ ...sampleEntry(from + i, at(from + i)), ...extra(from + i) }));

const column = (options?: Column['options']): Column => ({
  id: 'home',
  kind: 'home',
  profileId: 'sandbox:practice',
  width: 340,
  ...(options ? { options } : {}),
});

async function mount(db: ColonnadeDb, api: Api, node: ReactNode) {
  const view = await show(node, servicesOver(api, db));
  return { host: view.container, unmount: view.unmount };
}

const button = (root: ParentNode, name: string | RegExp) => {
  const found = [...root.querySelectorAll('button')].find((b) =>
    typeof name === 'string' ? b.textContent === name : name.test(b.textContent ?? ''),
  );
  if (!found) throw new Error(`no button ${String(name)}`);
  return found;
};

function setUp(name: string, col: Column) {
  const db = testDatabase(name);
  const layout = seedDeck([col]);
  return { db, layout };
}

describe('a filtered column', () => {
  it('says how many posts the filters hid, shows them on one click, and hides them again', async () => {
    const col = column({
      density: 'comfortable',
      media: true,
      filters: {
        excludeReposts: true,
        excludeReplies: false,
        mediaOnly: false,
        minLikes: 0,
        minReposts: 0,
        minReplies: 0,
        from: [],
        mentioning: [],
        mute: ['post 4'],
      },
    });
    const { db, layout } = setUp('reading-filters', col);
    // Posts 1–9; 3, 6 and 9 reposted; post 4 muted: 4 hidden.
    await storeColumnEntries(
      db,
      'home',
      entries(1, 9, (n) => (n % 3 === 0 ? { repostedBy: sampleProfile('bob') } : {})),
    );
    const { api } = fakeApi(layout);
    const { host } = await mount(db, api, columnView(col));
    await until(() => expect(host.textContent).toContain('4 posts hidden by filters'));
    act(() => button(host, 'Show').click());
    await until(() => expect(host.textContent).toContain('Showing 4 posts hidden by filters'));
    expect(button(host, 'Hide again').getAttribute('aria-pressed')).toBe('true');
    act(() => button(host, 'Hide again').click());
    await until(() => expect(host.textContent).toContain('4 posts hidden by filters'));
  });

  it('names a mute pattern that does not compile, and still shows the column', async () => {
    const col = column();
    const { db, layout } = setUp('reading-bad-global', col);
    useAppStore.setState({ settings: { language: 'en', mute: ['/(oops/'] } });
    await storeColumnEntries(db, 'home', entries(1, 3));
    const { host } = await mount(db, fakeApi(layout).api, columnView(col));
    await until(() =>
      expect(host.textContent).toContain(
        'Not a valid regular expression, ignored: /(oops/. Fix it in the column options.',
      ),
    );
    expect(host.querySelector('[role="feed"], .column-note')).not.toBeNull();
  });
});

describe('"N new posts" across a reload', () => {
  it('opens the column at its reading position with what arrived since waiting, again after a reload', async () => {
    const col = column();
    const { db, layout } = setUp('reading-reload', col);
    await storeColumnEntries(db, 'home', entries(1, 10));
    await advanceReadPosition(db, 'home', at(7));
    const first = await mount(db, fakeApi(layout).api, columnView(col));
    await until(() => expect(button(first.host, /new posts?$/).textContent).toBe('3 new posts'));
    // The page reloads: a new tree on the same database.
    first.unmount();
    expect(await readPosition(db, 'home')).toBe(at(7));
    const again = await mount(db, fakeApi(layout).api, columnView(col));
    await until(() => expect(button(again.host, /new posts?$/).textContent).toBe('3 new posts'));
    // "Mark all read" from the column menu: nothing waits any more, and it says so.
    const menu = again.host.querySelector<HTMLButtonElement>('button[aria-haspopup="menu"]')!;
    expect(menu.getAttribute('aria-label')).toBe('Column menu: Home');
    act(() => menu.click());
    const mark = [...again.host.querySelectorAll<HTMLElement>('[role="menuitem"]')].find(
      (m) => m.textContent === 'Mark all read',
    )!;
    act(() => mark.click());
    await until(() => expect(again.host.textContent).toContain('All posts in this column are marked read.'));
    expect(again.host.textContent).not.toMatch(/new posts?/);
    expect(document.activeElement).toBe(menu);
  });
});

describe('the options dialog', () => {
  it('refuses a bad regular expression in words and saves nothing; saves valid options through main', async () => {
    const col = column();
    const { db, layout } = setUp('reading-options', col);
    const { api, calls } = fakeApi(layout, (c) =>
      c.channel === 'settings.update' ? { language: 'en', mute: ['spoiler'] } : layout,
    );
    let closed = false;
    const { host } = await mount(
      db,
      api,
      <ColumnOptionsDialog column={col} title="Home" onClose={() => (closed = true)} language="en" />,
    );
    const dialog = host.querySelector('dialog')!;
    const [columnMute, globalMute] = [...dialog.querySelectorAll('textarea')];
    const type = (el: HTMLTextAreaElement | HTMLInputElement, value: string) => {
      const setter = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(el), 'value')!.set!;
      setter.call(el, value);
      el.dispatchEvent(new Event('input', { bubbles: true }));
    };
    act(() => type(columnMute!, 'bike\n/(unclosed/'));
    act(() => dialog.querySelector('form')!.requestSubmit());
    await until(() =>
      expect(dialog.textContent).toMatch(/“\/\(unclosed\/” is not a valid regular expression: .*Unterminated group/),
    );
    expect(columnMute!.getAttribute('aria-invalid')).toBe('true');
    expect(dialog.querySelector('[role="alert"]')!.textContent).toBe(
      'Some mute patterns are not valid regular expressions: fix them to save.',
    );
    expect(calls).toEqual([]);

    act(() => type(columnMute!, 'bike\n/range\\s+estim/i'));
    act(() => type(globalMute!, 'spoiler'));
    act(() => dialog.querySelector<HTMLInputElement>('input[type="checkbox"]:not(:checked)')!.click()); // media previews off
    act(() => dialog.querySelector('form')!.requestSubmit());
    await until(() => expect(closed).toBe(true));
    expect(calls.map((c) => c.channel)).toEqual(['column.configure', 'settings.update']);
    expect(calls[0]!.payload).toMatchObject({
      deckId: 'd',
      columnId: 'home',
      options: { filters: { mute: ['bike', '/range\\s+estim/i'] } },
    });
    expect(calls[1]!.payload).toEqual({ mute: ['spoiler'] });
  });
});

describe('a gap marker', () => {
  const gap = {
    key: 'gap:g1',
    at: at(30),
    post: null,
    gap: { id: 'g1', from: null, to: new Date().toISOString(), why: 'budget' as const },
  };

  it('says what is missing, loads on demand while saying so, and says why loading failed', async () => {
    const { db, layout } = setUp('reading-gap', column());
    let fail = true;
    let release: () => void = () => undefined;
    const { api, calls } = fakeApi(
      layout,
      () =>
        new Promise((resolve, reject) => {
          release = () =>
            fail ? reject(new ApiError({ code: 'rate-limited', message: 'Too many requests' })) : resolve({});
        }),
    );
    const { host } = await mount(
      db,
      api,
      <GapMarker entry={gap} columnId="home" position={3} total={-1} language="en" network="x" />,
    );
    const article = host.querySelector('article')!;
    const time = new Date(gap.gap.to).toTimeString().slice(0, 5);
    expect(article.textContent).toContain(`Posts before ${time} could not be loaded`);
    expect(host.querySelector('#' + CSS.escape(article.getAttribute('aria-labelledby')!))!.textContent).toBe(
      `Posts before ${time} could not be loaded`,
    );
    act(() => button(host, 'Load them').click());
    expect(button(host, 'Loading…').getAttribute('aria-disabled')).toBe('true');
    expect(calls).toEqual([{ channel: 'gap.load', payload: { columnId: 'home', gapId: 'g1' } }]);
    await act(async () => release());
    await until(() => expect(host.querySelector('[role="alert"]')?.textContent).toMatch(/.+/));
    expect(button(host, 'Load them').getAttribute('aria-disabled')).toBeNull();
    fail = false;
    act(() => button(host, 'Load them').click());
    await act(async () => release());
    await until(() => expect(host.querySelector('[role="alert"]')).toBeNull());
  });

  it('in French, with a day when it is not today', async () => {
    const { db, layout } = setUp('reading-gap-fr', column());
    const { container: host } = await show(
      <GapMarker
        entry={{ ...gap, gap: { ...gap.gap, from: '2026-11-24T13:05:00.000Z', to: '2026-11-24T15:40:00.000Z' } }}
        columnId="home"
        position={1}
        total={-1}
        language="fr"
        network="x"
      />,
      servicesOver(fakeApi(layout).api, db),
      'fr',
    );
    const local = (iso: string) => new Date(iso).toTimeString().slice(0, 5);
    expect(host.textContent).toContain(
      `Les publications entre 24 nov., ${local('2026-11-24T13:05:00.000Z')} et 24 nov., ${local('2026-11-24T15:40:00.000Z')} n’ont pas pu être chargées`,
    );
    expect(button(host, 'Les charger')).toBeTruthy();
  });
});

describe('shortcuts', () => {
  const key = (init: KeyboardEventInit, target: EventTarget) => {
    const e = new KeyboardEvent('keydown', { bubbles: true, cancelable: true, ...init });
    Object.defineProperty(e, 'target', { value: target });
    return e;
  };

  it('act from the deck, never while typing, with a modifier, or with a dialog open', () => {
    const article = document.createElement('article');
    const input = document.createElement('input');
    const textarea = document.createElement('textarea');
    const checkbox = Object.assign(document.createElement('input'), { type: 'checkbox' });
    document.body.append(article, input, textarea, checkbox);
    expect(appShortcut(key({ key: '?' }, article))).toBe('shortcuts');
    expect(appShortcut(key({ key: 'n' }, article))).toBe('compose');
    expect(appShortcut(key({ key: '/' }, checkbox))).toBe('search');
    expect(appShortcut(key({ key: '?' }, input))).toBeNull();
    expect(appShortcut(key({ key: 'n' }, textarea))).toBeNull();
    expect(appShortcut(key({ key: 'n', ctrlKey: true }, article))).toBeNull();
    const handled = key({ key: 'n' }, article);
    handled.preventDefault();
    expect(appShortcut(handled)).toBeNull();
    const dialog = document.createElement('dialog');
    dialog.setAttribute('open', '');
    document.body.append(dialog);
    expect(appShortcut(key({ key: '?' }, article))).toBeNull();
  });
});
