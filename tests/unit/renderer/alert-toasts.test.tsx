// @vitest-environment jsdom
// Alerts in the page, from main's events to what the CM sees and does: a toast per alert (title,
// words, Show, Dismiss) in a polite live region, the unseen count on the top bar's Alerts button,
// `alerts.seen` when she opens the list or comes back to the window, and "Show" or a clicked
// desktop notification bringing the post's deck forward and asking its column for the post.
import { act } from 'react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeApi } from '../../../src/renderer/api';
import type { Bridge } from '../../../src/renderer/bridge';
import { AlertsButton, AlertToasts } from '../../../src/renderer/components/AlertToasts';
import type { AppServices } from '../../../src/renderer/components/context';
import type { ColonnadeDb } from '../../../src/renderer/db/database';
import { makeActions } from '../../../src/renderer/state/actions';
import { initialState, useAppStore } from '../../../src/renderer/state/store';
import { startSync } from '../../../src/renderer/state/sync';
import type { EventChannel } from '../../../src/shared/ipc/channels';
import type { EventOf } from '../../../src/shared/ipc/contract';
import type { Layout } from '../../../src/shared/model';
import type { Language } from '../../../src/shared/settings';
import { allByRole, byRole, click, nameOf, render, settle, textOf, type Rendered } from './dom';

const layout = (activeDeckId: string): Layout => ({
  decks: [
    {
      id: 'deck-home',
      name: 'Home',
      columns: [{ id: 'col-home', kind: 'home', profileId: 'sandbox:practice', width: 340 }],
    },
    {
      id: 'deck-watch',
      name: 'Watch',
      columns: [
        {
          id: 'col-monitor',
          kind: 'monitor',
          profileId: 'sandbox:practice',
          width: 340,
          monitor: { profileIds: ['sandbox:practice'], hashtags: ['IFPower'], keywords: [], exclude: [] },
        },
      ],
    },
  ],
  activeDeckId,
});

/** Main as the renderer meets it: requests recorded and answered, events sent by the test. */
function fakeMain() {
  const handlers = new Map<string, (p: unknown) => void>();
  const sent: Array<{ channel: string; request: unknown }> = [];
  let current = layout('deck-home');
  const bridge: Bridge = {
    invoke: async (channel, request) => {
      sent.push({ channel, request });
      switch (channel) {
        case 'layout.get':
          return { ok: true, value: current };
        case 'settings.get':
          return { ok: true, value: initialState.settings };
        case 'accounts.list':
        case 'usage.get':
        case 'notices.list':
        case 'column.statuses':
        case 'outbox.list':
        case 'events.pending':
          return { ok: true, value: [] };
        case 'deck.activate':
          current = layout((request as { deckId: string }).deckId);
          return { ok: true, value: current };
        case 'alerts.seen':
          return { ok: true, value: {} };
        default:
          return { ok: false, error: { code: 'bad-request', message: `unexpected ${channel}` } };
      }
    },
    on: (channel: EventChannel, handler) => {
      handlers.set(channel, handler);
      return () => handlers.delete(channel);
    },
    onConnection: () => undefined,
  };
  const api = makeApi(bridge);
  const services = { actions: makeActions(api, {} as ColonnadeDb), db: {} } as unknown as AppServices;
  const emit = async (channel: EventChannel, payload: unknown) => {
    await act(async () => handlers.get(channel)?.(payload));
    await settle();
  };
  /** The requests sent on one channel, in order. */
  const requests = (channel: string) => sent.filter((s) => s.channel === channel).map((s) => s.request);
  return { bridge, api, services, emit, requests };
}

let n = 0;
const fired = (extra: Partial<EventOf<'alert.fired'>> = {}): EventOf<'alert.fired'> => {
  n++;
  return {
    columnId: 'col-monitor',
    postId: `sandbox:${n}`,
    title: '#IFPower: new post',
    body: `Ada Lovelace: charging test number ${n} #IFPower`,
    at: '2026-11-25T08:0' + (n % 10) + ':00.000Z',
    unseen: n,
    ...extra,
  };
};

let view: Rendered;
let stop: () => void;
let main: ReturnType<typeof fakeMain>;

beforeEach(() => {
  n = 0;
  useAppStore.setState({ ...initialState });
});
afterEach(() => {
  view.unmount();
  stop();
});

async function start(language: Language = 'en') {
  main = fakeMain();
  stop = startSync(main.bridge, main.api, {} as ColonnadeDb);
  view = await render(
    <>
      <AlertsButton language={language} />
      <main id="deck-panel" tabIndex={-1} />
      <AlertToasts language={language} />
    </>,
    main.services,
    language,
  );
  await settle();
}

const toasts = () => allByRole(byRole(document, 'log'), 'listitem');

describe('alerts in the page', () => {
  it('a fired alert shows as a toast, its words in any direction, and counts on the Alerts button', async () => {
    await start();
    const region = byRole(document, 'log');
    expect(region.getAttribute('aria-live')).toBe('polite');
    expect(nameOf(region)).toBe('New alerts');
    expect(nameOf(byRole(document, 'button', /^Alerts/))).toBe('Alerts');

    await main.emit('alert.fired', fired({ body: 'رنا: تجربة الشحن #IFPower', unseen: 1 }));
    const [toast] = toasts();
    expect(nameOf(toast!)).toBe('#IFPower: new post');
    const body = toast!.querySelector('.alert-body')!;
    expect(textOf(body)).toBe('رنا: تجربة الشحن #IFPower');
    expect(body.getAttribute('dir')).toBe('auto');
    expect(allByRole(toast!, 'button').map(nameOf)).toEqual(['Show', 'Dismiss']);

    await main.emit('alert.fired', fired({ unseen: 2 }));
    expect(toasts().map((t) => textOf(t.querySelector('.alert-body')))).toEqual([
      'Ada Lovelace: charging test number 2 #IFPower',
      'رنا: تجربة الشحن #IFPower',
    ]);
    const button = byRole(document, 'button', /^Alerts/);
    expect(nameOf(button)).toBe('Alerts, 2 not seen');
    expect(textOf(button.querySelector('.tool-badge'))).toBe('2');
    // Nothing was said to main: the CM has not looked yet.
    expect(main.requests('alerts.seen')).toEqual([]);
  });

  it('“Show” brings the column’s deck forward and asks the column for the post; the alerts are seen', async () => {
    await start();
    await main.emit('alert.fired', fired({ postId: 'sandbox:77' }));
    await click(byRole(toasts()[0]!, 'button', 'Show'));
    await settle();
    expect(main.requests('deck.activate')).toEqual([{ deckId: 'deck-watch' }]);
    expect(useAppStore.getState().layout?.activeDeckId).toBe('deck-watch');
    expect(useAppStore.getState().reveal).toEqual({ columnId: 'col-monitor', postId: 'sandbox:77' });
    expect(main.requests('alerts.seen')).toEqual([{}]);
    expect(nameOf(byRole(document, 'button', /^Alerts/))).toBe('Alerts');
    // Shown, the toast has done its work.
    expect(toasts()).toHaveLength(0);
  });

  it('“Dismiss” takes the toast away (focus to the next one) and leaves it in the list; opening the list is seeing', async () => {
    await start();
    await main.emit('alert.fired', fired({ unseen: 1 }));
    await main.emit('alert.fired', fired({ unseen: 2 }));
    const [newest, older] = toasts();
    await click(byRole(newest!, 'button', 'Dismiss'));
    await settle();
    expect(toasts()).toEqual([older]);
    expect(document.activeElement).toBe(byRole(older!, 'button', 'Dismiss'));
    expect(main.requests('alerts.seen')).toEqual([]);

    await click(byRole(document, 'button', 'Alerts, 2 not seen'));
    await settle();
    const list = byRole(document, 'dialog');
    expect(list.querySelector('h2')?.textContent).toBe('Alerts');
    expect(allByRole(list, 'listitem').map((li) => textOf(li.querySelector('.alert-body')))).toEqual([
      'Ada Lovelace: charging test number 2 #IFPower',
      'Ada Lovelace: charging test number 1 #IFPower',
    ]);
    expect(main.requests('alerts.seen')).toEqual([{}]);
    expect(nameOf(byRole(document, 'button', /^Alerts/))).toBe('Alerts');
  });

  it('coming back to the window is seeing the alerts (once, and only when some are unseen)', async () => {
    await start();
    await act(async () => window.dispatchEvent(new Event('focus')));
    expect(main.requests('alerts.seen')).toEqual([]);
    await main.emit('alert.fired', fired({ unseen: 1 }));
    await act(async () => window.dispatchEvent(new Event('focus')));
    await act(async () => window.dispatchEvent(new Event('focus')));
    await settle();
    expect(main.requests('alerts.seen')).toEqual([{}]);
    // The toast stays until the CM deals with it.
    expect(toasts()).toHaveLength(1);
  });

  it('a clicked desktop notification (alert.open) brings the deck forward and asks the column for the post', async () => {
    await start();
    await main.emit('alert.open', { columnId: 'col-monitor', postId: 'sandbox:9' });
    expect(main.requests('deck.activate')).toEqual([{ deckId: 'deck-watch' }]);
    expect(useAppStore.getState().reveal).toEqual({ columnId: 'col-monitor', postId: 'sandbox:9' });
    // A column on the deck already shown: no deck change, the post is asked for all the same.
    useAppStore.setState({ reveal: null });
    await main.emit('alert.open', { columnId: 'col-monitor', postId: 'sandbox:10' });
    expect(main.requests('deck.activate')).toHaveLength(1);
    expect(useAppStore.getState().reveal).toEqual({ columnId: 'col-monitor', postId: 'sandbox:10' });
  });

  it('three toasts at most; the others are counted, listed, and all can be dismissed at once', async () => {
    await start();
    for (let i = 0; i < 5; i++) await main.emit('alert.fired', fired());
    expect(toasts()).toHaveLength(3);
    expect(textOf(document.querySelector('.alert-toasts-more span'))).toBe('2 more alerts');
    await click(byRole(document, 'button', 'Dismiss all'));
    expect(toasts()).toHaveLength(0);
    expect(document.activeElement?.id).toBe('deck-panel');
    await click(byRole(document, 'button', /^Alerts/));
    expect(allByRole(byRole(document, 'dialog'), 'listitem')).toHaveLength(5);
  });

  it('says “that column is gone” when the alert’s column was removed since', async () => {
    await start();
    await main.emit('alert.fired', fired({ columnId: 'col-removed' }));
    await click(byRole(toasts()[0]!, 'button', 'Show'));
    await settle();
    expect(textOf(toasts()[0])).toContain('That column is no longer on any deck.');
    expect(main.requests('deck.activate')).toEqual([]);
    expect(useAppStore.getState().reveal).toBeNull();
  });

  it('speaks French', async () => {
    await start('fr');
    await main.emit('alert.fired', fired({ unseen: 1 }));
    await main.emit('alert.fired', fired({ unseen: 2 }));
    expect(nameOf(byRole(document, 'log'))).toBe('Nouvelles alertes');
    expect(allByRole(toasts()[0]!, 'button').map(nameOf)).toEqual(['Afficher', 'Fermer']);
    expect(nameOf(byRole(document, 'button', /^Alertes/))).toBe('Alertes, 2 non vues');
    byRole(document, 'button', 'Tout fermer');
  });
});
