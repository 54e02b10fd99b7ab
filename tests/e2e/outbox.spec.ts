// The Outbox in Chromium against the headless host (issue 8): a post scheduled for 03:00 New York
// shows in the calendar at its Paris time and its New York time; dragged two hours later, the real
// scheduler moves it, keeping its zone; moved with the keyboard to a time that has passed, the
// scheduler refuses and the Move dialog says so in words; its text changed with "Edit…", the
// Outbox shows the new one. Posts are made through the host's own
// socket (the composer is tested apart). With SCREENSHOTS_DIR set, the Outbox is saved as PNG.
import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import WebSocket from 'ws';
import type { Harness } from './support/harness';
import { expect, test } from './support/fixtures';

test.use({ timezoneId: 'Europe/Paris', locale: 'en-GB' });

async function shot(page: Page, name: string) {
  const dir = process.env.SCREENSHOTS_DIR;
  if (dir) await page.screenshot({ path: path.join(dir, `${name}.png`) });
}

/** The host's contract over its socket, as the renderer reaches it. */
async function contract(harness: Harness) {
  const url = new URL(harness.url);
  const token = new URLSearchParams(url.hash.slice(1)).get('token')!;
  const socket = new WebSocket(`ws://127.0.0.1:${url.port}/ipc?token=${encodeURIComponent(token)}`);
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  let n = 0;
  const waiting = new Map<number, (result: { ok: boolean; value?: unknown; error?: unknown }) => void>();
  socket.on('message', (data) => {
    const message = JSON.parse(String(data)) as { id?: number; result?: { ok: boolean } };
    if (message.id !== undefined) waiting.get(message.id)?.(message.result!);
  });
  const call = <T>(channel: string, payload: unknown) =>
    new Promise<T>((resolve, reject) => {
      const id = ++n;
      waiting.set(id, (result) =>
        result.ok ? resolve(result.value as T) : reject(new Error(JSON.stringify(result.error))),
      );
      socket.send(JSON.stringify({ id, channel, payload }));
    });
  return { call, close: () => socket.close() };
}

/** Tomorrow's date in New York, "YYYY-MM-DD". */
function tomorrowInNewYork(): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York', dateStyle: 'short' }).format(
    Date.now() + 24 * 60 * 60_000,
  );
  return parts; // en-CA's short date is YYYY-MM-DD
}

test('a scheduled post in the calendar: both zones, dragged later, refused in the past', async ({ page, harness }) => {
  const main = await contract(harness);
  try {
    const [account] = await main.call<Array<{ id: string }>>('accounts.list', {});
    const local = `${tomorrowInNewYork()}T03:00`;
    await main.call('outbox.submit', {
      id: 'e2e-outbox-launch',
      content: { parts: [{ text: 'Launch day in New York', media: [] }] },
      profileIds: [account!.id],
      when: { kind: 'at', local, zone: 'America/New_York' },
    });

    await page.goto(harness.url);
    await page.getByRole('button', { name: /^Outbox/ }).click();
    const outbox = page.getByRole('dialog', { name: 'Outbox' });
    const grid = outbox.getByRole('grid');
    // The post in the calendar (beside it, its "Edit…" is named with its text too).
    const postIn = (scope: Locator) =>
      scope.getByRole('button', { name: /Launch day in New York/ }).and(scope.locator('.cal-entry'));
    const post = postIn(grid);
    // Listed first (the calendar is then drawn with it); tomorrow may be in next week's calendar.
    await expect(outbox.getByRole('listitem').filter({ hasText: 'Launch day in New York' }).first()).toBeVisible();
    if ((await post.count()) === 0) await outbox.getByRole('button', { name: 'Next week' }).click();
    await expect(post).toBeVisible();
    await expect(post.locator('.cal-time')).toHaveText(/^\d\d:00 Paris · 03:00 New York$/);
    await expect(outbox.getByRole('listitem').filter({ hasText: 'Launch day in New York' }).first()).toContainText(
      'Colonnade must be running at that time.',
    );
    await shot(page, 'outbox-week');

    // Drag it two rows down: two hours later on the same day, still a New York time.
    const from = await post.evaluate((el) => el.closest('td')!.dataset.cell!);
    const hour = Number(from.slice(11, 13));
    const to = grid.locator(`td[data-cell="${from.slice(0, 11)}${String(hour + 2).padStart(2, '0')}"]`);
    const a = (await post.boundingBox())!;
    const b = (await to.boundingBox())!;
    await page.mouse.move(a.x + 8, a.y + 8);
    await page.mouse.down();
    await page.mouse.move(a.x + 20, a.y + 20, { steps: 4 });
    await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 10 });
    await page.mouse.up();
    await expect(outbox.getByRole('status').first()).toHaveText(/^Moved to .* Paris · 05:00 New York\.$/);
    const [job] = await main.call<Array<{ id: string; when: unknown }>>('outbox.list', {});
    expect(job!.when).toEqual({ kind: 'at', local: local.replace('T03:00', 'T05:00'), zone: 'America/New_York' });
    await expect(postIn(to)).toBeVisible();

    // The keyboard: the grid's tab stop, to the post's cell, Enter into it, Enter on the post.
    await grid.locator('td[tabindex="0"]').focus();
    const target = Number((await to.getAttribute('data-cell'))!.slice(11, 13));
    for (let i = 0; i < 30; i++) {
      const at = await page.evaluate(() => (document.activeElement as HTMLElement).dataset.cell ?? '');
      if (at === (await to.getAttribute('data-cell'))) break;
      const day = at.slice(0, 10);
      const wanted = from.slice(0, 10);
      await page.keyboard.press(
        day < wanted
          ? 'ArrowRight'
          : day > wanted
            ? 'ArrowLeft'
            : Number(at.slice(11, 13)) < target
              ? 'ArrowDown'
              : 'ArrowUp',
      );
    }
    await page.keyboard.press('Enter');
    await expect(postIn(to)).toBeFocused();
    await page.keyboard.press('Enter');
    const move = page.getByRole('dialog', { name: 'Move the post' });
    await move.getByLabel('Date').fill('2020-01-06');
    await move.getByRole('button', { name: 'Move', exact: true }).click();
    await expect(move.getByRole('alert')).toHaveText(
      'The post could not be moved: That time has passed. Choose a time to come.',
    );
    await shot(page, 'outbox-refused');
    await move.getByRole('button', { name: 'Cancel' }).click();
    // Nothing moved.
    await expect(postIn(to)).toBeVisible();

    // Its text changed from the Outbox: "Edit…" opens the composer on it, "Save changes" sends it
    // to the scheduler (`outbox.edit`), and the Outbox shows the new text.
    await outbox
      .locator('.outbox-lists')
      .getByRole('button', { name: /^Edit “Launch day in New York” \(/ })
      .click();
    const composer = page.getByRole('dialog', { name: 'Edit scheduled post' });
    const text = composer.getByRole('textbox', { name: 'Text', exact: true });
    await expect(text).toHaveValue('Launch day in New York');
    await text.fill('Launch day in New York, doors at nine');
    await composer.getByRole('button', { name: 'Save changes' }).click();
    await expect(composer).toBeHidden();
    await expect(outbox.locator('.outbox-lists .outbox-text')).toHaveText(['Launch day in New York, doors at nine']);
    await expect(outbox.getByRole('status').first()).toHaveText('Changes saved.');
    const [edited] = await main.call<Array<{ content: { parts: Array<{ text: string }> } }>>('outbox.list', {});
    expect(edited!.content.parts.map((p) => p.text)).toEqual(['Launch day in New York, doors at nine']);
  } finally {
    main.close();
  }
});
