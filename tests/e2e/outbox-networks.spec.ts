// The composer, the outbox and the drafts end to end (issue 8), as a CM uses them, in Chromium
// against the headless host, on real protocol servers: the X and Mastodon emulators and a local
// Bluesky network (PLC, PDS, AppView). Everything goes through the UI; the servers are read only
// to count what arrived.
// - One post to three profiles on three networks, with its own text for X, scheduled at a whole
//   minute a little ahead (the composer takes times to the minute: the first whole minute at least
//   30 s away): in the calendar and the Scheduled list with each profile's state. The last test,
//   once that minute has come (the tests between run meanwhile: 30 to 90 s of real time), finds it
//   on each server exactly once (X with its own text), then "Sent" with a link per profile.
// - A Mastodon post an hour ahead is handed to the instance's own scheduled statuses, and the
//   Outbox says so; cancelling it there takes it off the instance.
// - A profile's posting times set in the Outbox's "Posting queues…": two posts added to the queue
//   take its next free slot and the one after.
// - A draft typed with the core unreachable (the IPC socket cut, the browser offline) is saved in
//   IndexedDB by itself; after a reload it is in the Drafts column and opens with its text.
// With SCREENSHOTS_DIR set, the composer, the Outbox and the Drafts column are saved as PNG.
import path from 'node:path';
import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import { enGB } from 'date-fns/locale';
import type { Locator, Page, WebSocketRoute } from '@playwright/test';
import {
  startRemoteBlueskyNetwork,
  type RemoteBlueskyAccount,
  type RemoteBlueskyNetwork,
} from '../support/bluesky-network-client';
import { OWNER_USERNAME, startMastodonEmulator, type MastodonEmulator } from '../emulators/mastodon';
import { ME_ID, ME_USERNAME, startXEmulator, type XEmulator } from '../emulators/x';
import { addColumn } from './support/deck';
import { startHarness, type Harness } from './support/harness';
import {
  checkAndStopServers,
  connectBluesky,
  connectMastodonWithToken,
  connectXWithKeys,
  freePort,
} from './support/networks';
import { blueskyPostsOf, nextWholeMinute, storedDrafts, wallClockIn } from './support/outbox-networks';
import { expect, test } from '@playwright/test';

const ZONE = 'Europe/Paris';
test.use({ timezoneId: ZONE, locale: 'en-GB' });
test.describe.configure({ mode: 'serial' });

let x: XEmulator;
let mastodon: MastodonEmulator;
let bluesky: RemoteBlueskyNetwork;
let ada: RemoteBlueskyAccount;
let harness: Harness;
let mastodonHandle: string;
/** Set by the scheduling test; checked by the last test, once its minute has come. */
let scheduledForThree:
  { due: number; shared: string; forX: string; profiles: { x: string; mastodon: string; bluesky: string } } | undefined;
/** A mark in every text of this run, to find its posts among the servers' seeded ones. */
const RUN = `r${Date.now().toString(36)}`;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  [x, mastodon, bluesky] = await Promise.all([startXEmulator(), startMastodonEmulator(), startRemoteBlueskyNetwork()]);
  ada = await bluesky.createAccount('ada');
  // A fixed port: the drafts test starts the host again on it (same origin, same IndexedDB).
  harness = await startHarness({ port: await freePort() });
});

checkAndStopServers(() => ({ x, mastodon, bluesky, harness }));

async function shot(page: Page, name: string) {
  const dir = process.env.SCREENSHOTS_DIR;
  if (dir) await page.screenshot({ path: path.join(dir, `${name}.png`) });
}

/** Opens the composer and ticks exactly these profiles ("@handle Network") under "Post as". */
async function compose(page: Page, profiles: string[]): Promise<Locator> {
  await page.getByRole('button', { name: 'New post' }).click();
  const dialog = page.getByRole('dialog', { name: 'New post' });
  const postAs = dialog.getByRole('group', { name: 'Post as' });
  // The composer is loaded on first opening: its profiles are there before any is unticked.
  await expect(postAs.getByRole('checkbox').first()).toBeVisible();
  for (const box of await postAs.getByRole('checkbox', { checked: true }).all()) await box.uncheck();
  for (const p of profiles) await postAs.getByRole('checkbox', { name: p, exact: true }).check();
  await expect(postAs.getByRole('checkbox', { checked: true })).toHaveCount(profiles.length);
  return dialog;
}

/** Chooses "At a date and time" and types this instant's date and time in the CM's zone. */
async function scheduleAt(dialog: Locator, at: number) {
  const when = dialog.getByRole('group', { name: 'When' });
  await when.getByRole('radio', { name: 'At a date and time' }).check();
  await expect(when.getByRole('combobox', { name: 'Time zone' })).toHaveValue(ZONE);
  const local = wallClockIn(at, ZONE);
  await when.getByLabel('Date', { exact: true }).fill(local.date);
  await when.getByLabel('Time', { exact: true }).fill(local.time);
}

async function openOutbox(page: Page): Promise<Locator> {
  await page.getByRole('button', { name: /^Outbox/ }).click();
  const outbox = page.getByRole('dialog', { name: 'Outbox' });
  await expect(outbox).toBeVisible();
  return outbox;
}

/** A job of the Outbox's list `section` ("Scheduled", "Sent"…) by a piece of its text. */
const jobIn = (outbox: Locator, section: string, text: string) =>
  outbox
    .getByRole('region', { name: new RegExp(`^${section} \\(\\d+\\)$`) })
    .getByRole('listitem')
    .filter({ has: outbox.page().locator('.outbox-text', { hasText: text }) });

/** One target profile's line of a job ("@handle on Network"…). */
const targetOf = (job: Locator, profile: string) =>
  job.getByRole('list', { name: 'Profiles' }).getByRole('listitem').filter({ hasText: profile });

/** "Sun 30 Nov, 09:00": an instant as the Outbox says it in the CM's zone (date-fns, en-GB). */
const dayAndTime = (at: number, zone = ZONE) => format(new TZDate(at, zone), 'EEE d MMM, HH:mm', { locale: enGB });
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

test('connect an X, a Mastodon and a Bluesky profile', async ({ page }) => {
  await page.goto(harness.url);
  await connectXWithKeys(page, x);
  mastodonHandle = await connectMastodonWithToken(page, mastodon);
  await connectBluesky(page, bluesky.pdsUrl, ada);
});

test('one post to three networks with a version for X, scheduled: calendar, servers, sent with links', async ({
  page,
}) => {
  test.setTimeout(180_000);
  const shared = `Spring collection ${RUN} is out today: linen, wool and the new Harbour jacket in three colours.`;
  const forX = `Spring collection ${RUN} is out: linen, wool, the Harbour jacket.`;
  const profiles = {
    x: `@${ME_USERNAME} on X`,
    mastodon: `@${mastodonHandle} on Mastodon`,
    bluesky: `@${ada.handle} on Bluesky`,
  };
  await page.goto(harness.url);
  const dialog = await compose(page, [`@${ME_USERNAME} X`, `@${mastodonHandle} Mastodon`, `@${ada.handle} Bluesky`]);
  await dialog.getByRole('textbox', { name: 'Text', exact: true }).fill(shared);
  await dialog
    .getByRole('group', { name: 'A different version for' })
    .getByRole('checkbox', { name: 'Version for X' })
    .check();
  const xText = dialog.getByRole('textbox', { name: 'Text for X' });
  await expect(xText).toHaveValue(shared); // starts as the shared text
  await xText.fill(forX);
  // The time last, so that it is still ahead when sent.
  const due = nextWholeMinute(30_000);
  await scheduleAt(dialog, due);
  // Less than 5 minutes ahead the Mastodon instance cannot hold it: Colonnade sends all three.
  await expect(dialog.getByText('X, Mastodon, and Bluesky: Colonnade must be running at that time.')).toBeVisible();
  await expect(dialog.getByText(/the instance posts it by itself/)).toHaveCount(0);
  await shot(page, 'composer-three-networks');
  await dialog.getByRole('button', { name: 'Schedule', exact: true }).scrollIntoViewIfNeeded();
  await shot(page, 'composer-three-networks-end');
  await dialog.getByRole('button', { name: 'Schedule', exact: true }).click();
  await expect(dialog).toBeHidden();

  // In the Outbox before its time: one job, each profile scheduled for that minute.
  const outbox = await openOutbox(page);
  const job = jobIn(outbox, 'Scheduled', RUN);
  await expect(job).toHaveCount(1);
  const scheduled = `Scheduled for ${dayAndTime(due)}`;
  await expect(targetOf(job, profiles.x)).toContainText(scheduled);
  await expect(targetOf(job, profiles.x)).toContainText('Colonnade must be running at that time.');
  await expect(targetOf(job, profiles.bluesky)).toContainText(scheduled);
  await expect(targetOf(job, profiles.bluesky)).toContainText('Colonnade must be running at that time.');
  // Less than the instance's 5 minutes ahead: Colonnade sends it itself, it is not on the server.
  await expect(targetOf(job, profiles.mastodon)).toContainText(scheduled);
  await expect(targetOf(job, profiles.mastodon)).not.toContainText('schedule: posts even when Colonnade is closed');
  await expect(targetOf(job, profiles.mastodon)).toContainText('Colonnade must be running at that time.');
  // The calendar: one entry at that time, for the three networks.
  const entry = outbox
    .getByRole('grid')
    .getByRole('button', { name: new RegExp(escape(RUN)) })
    .and(outbox.locator('.cal-entry'));
  await expect(entry).toHaveCount(1);
  await expect(entry.locator('.cal-time')).toHaveText(wallClockIn(due, ZONE).time);
  await expect(entry.locator('.cal-who')).toHaveText('X · Mastodon · Bluesky');
  await expect(entry).toHaveAccessibleName(new RegExp(`^${escape(dayAndTime(due))}: `));
  await shot(page, 'outbox-scheduled');
  expect(Date.now()).toBeLessThan(due); // all of the above was seen before its time

  scheduledForThree = { due, shared, forX, profiles };
});

test('a Mastodon post an hour ahead is on the instance’s scheduled statuses, and the Outbox says so', async ({
  page,
}) => {
  const text = `Webinar ${RUN} on Thursday: bring your questions about the spring collection.`;
  await page.goto(harness.url);
  const dialog = await compose(page, [`@${mastodonHandle} Mastodon`]);
  await dialog.getByRole('textbox', { name: 'Text', exact: true }).fill(text);
  const due = nextWholeMinute(60 * 60_000);
  await scheduleAt(dialog, due);
  await expect(
    dialog.getByText(
      'Mastodon profiles: the instance posts it by itself at that time (at least 5 minutes ahead), even if Colonnade is closed.',
    ),
  ).toBeVisible();
  await dialog.getByRole('button', { name: 'Schedule', exact: true }).click();
  await expect(dialog).toBeHidden();

  // The instance holds it, for that minute; it has not posted it.
  await expect
    .poll(() => mastodon.scheduledOf(OWNER_USERNAME).filter((s) => s.text === text))
    .toEqual([expect.objectContaining({ scheduledAt: due })]);
  expect(mastodon.statusesBy(OWNER_USERNAME).filter((s) => s.text.includes(`Webinar ${RUN}`))).toEqual([]);

  const outbox = await openOutbox(page);
  const job = jobIn(outbox, 'Scheduled', `Webinar ${RUN}`);
  const target = targetOf(job, `@${mastodonHandle} on Mastodon`);
  await expect(target).toContainText(`Scheduled for ${dayAndTime(due)}`);
  await expect(target).toContainText('On 127.0.0.1’s schedule: posts even when Colonnade is closed.');
  const entry = outbox
    .getByRole('grid')
    .getByRole('button', { name: new RegExp(`Webinar ${escape(RUN)}`) })
    .and(outbox.locator('.cal-entry'));
  if ((await entry.count()) === 0) await outbox.getByRole('button', { name: 'Next week' }).click();
  await expect(entry.locator('.cal-who')).toHaveText('Mastodon (on the server)');

  // Cancelled in the Outbox (once confirmed): the instance no longer holds it.
  await job.getByRole('button', { name: /^Cancel the post “/ }).click();
  await job.getByRole('button', { name: /^Yes, cancel the post “/ }).click();
  await expect(outbox.getByRole('status').first()).toHaveText('Cancelled.');
  await expect.poll(() => mastodon.scheduledOf(OWNER_USERNAME).filter((s) => s.text === text)).toEqual([]);
});

/**
 * The next `count` instants of weekly slots in `zone` strictly after `from`: on ISO weekdays
 * `days`, at each "HH:MM" of `times`, ascending.
 */
function nextSlots(from: number, zone: string, days: number[], times: string[], count: number): number[] {
  const out: number[] = [];
  const today = wallClockIn(from, zone).date;
  for (let d = 0; d < 14 && out.length < count; d++) {
    const [y, m, day] = today.split('-').map(Number) as [number, number, number];
    const noon = new TZDate(y, m - 1, day + d, 12, 0, zone);
    const iso = ((noon.getDay() + 6) % 7) + 1;
    if (!days.includes(iso)) continue;
    for (const time of [...times].sort()) {
      const [hh, mm] = time.split(':').map(Number) as [number, number];
      const at = new TZDate(noon.getFullYear(), noon.getMonth(), noon.getDate(), hh, mm, zone).getTime();
      if (at > from && out.length < count) out.push(at);
    }
  }
  return out;
}

test('“Add to queue” takes the profile’s next free posting time', async ({ page }) => {
  const audience = 'America/New_York';
  await page.goto(harness.url);
  let outbox = await openOutbox(page);
  await outbox.getByRole('button', { name: 'Posting queues…' }).click();
  const queues = page.getByRole('dialog', { name: 'Posting queues' });
  await queues.getByRole('combobox', { name: 'Profile' }).selectOption({ label: `@${ada.handle} on Bluesky` });
  await queues.getByRole('combobox', { name: 'Time zone of its audience' }).fill(audience);
  // Two posting times, Monday to Friday: 9:00 and 12:30 in New York.
  await queues.getByRole('button', { name: 'Add a posting time' }).click();
  await queues.getByRole('button', { name: 'Add a posting time' }).click();
  const second = queues.getByRole('group', { name: 'Posting time 2' });
  await second.getByLabel('Time', { exact: true }).fill('12:30');
  for (const day of ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'])
    await expect(
      queues.getByRole('group', { name: 'Posting time 1' }).getByRole('checkbox', { name: day }),
    ).toBeChecked();
  for (const day of ['Saturday', 'Sunday']) await expect(second.getByRole('checkbox', { name: day })).not.toBeChecked();
  await queues.getByRole('button', { name: 'Save' }).click();
  await expect(queues.getByRole('status').filter({ hasText: /\S/ })).toHaveText('Queue saved.');
  await queues.getByRole('button', { name: 'Cancel' }).click();
  await outbox.getByRole('button', { name: 'Close the outbox' }).click();

  // Two posts added to the queue, one after the other: the first takes the next slot, the second
  // the one after it (the first is no longer free).
  const texts = [`Tip of the week ${RUN}-a: wash linen cold.`, `Tip of the week ${RUN}-b: air wool, do not wash it.`];
  const expected = nextSlots(Date.now(), audience, [1, 2, 3, 4, 5], ['09:00', '12:30'], 2);
  for (const text of texts) {
    const dialog = await compose(page, [`@${ada.handle} Bluesky`]);
    await dialog.getByRole('textbox', { name: 'Text', exact: true }).fill(text);
    await dialog
      .getByRole('group', { name: 'When' })
      .getByRole('radio', { name: /^Add to the queue/ })
      .check();
    await expect(dialog.getByText('Each profile takes the next free slot of its queue.')).toBeVisible();
    await dialog.getByRole('button', { name: 'Add to queue', exact: true }).click();
    await expect(dialog).toBeHidden();
  }

  outbox = await openOutbox(page);
  for (const [i, text] of texts.entries()) {
    const at = expected[i]!;
    const ny = format(new TZDate(at, audience), 'HH:mm', { locale: enGB });
    await expect(targetOf(jobIn(outbox, 'Scheduled', text), `@${ada.handle} on Bluesky`)).toContainText(
      `Scheduled for ${dayAndTime(at)} Paris · ${ny} New York`,
    );
  }
  // In the calendar at the first one's cell (it may be next week).
  const entry = outbox
    .getByRole('grid')
    .getByRole('button', { name: new RegExp(escape(texts[0]!.slice(0, 30))) })
    .and(outbox.locator('.cal-entry'));
  if ((await entry.count()) === 0) await outbox.getByRole('button', { name: 'Next week' }).click();
  await expect(entry.locator('.cal-time')).toHaveText(
    `${format(new TZDate(expected[0]!, ZONE), 'HH:mm')} Paris · ${format(new TZDate(expected[0]!, audience), 'HH:mm')} New York`,
  );
  await shot(page, 'outbox-queue');
});

test('a draft typed with the core unreachable is saved, and is in the Drafts column after a reload', async ({
  page,
  context,
}) => {
  const text = `Train notes ${RUN}: ask the Lyon shop for photos of the window display.`;
  // The IPC socket passes through this route: it can be cut as if the core were gone.
  const live: Array<{ page: WebSocketRoute; server: WebSocketRoute }> = [];
  let cut = false;
  let sentWhileCut = 0;
  await page.routeWebSocket(/\/ipc\?/, (ws) => {
    if (cut) {
      ws.onMessage(() => sentWhileCut++);
      return ws.close({ code: 1001, reason: 'core unreachable' });
    }
    live.push({ page: ws, server: ws.connectToServer() });
  });
  await page.goto(harness.url);
  const dialog = await compose(page, [`@${ada.handle} Bluesky`, `@${mastodonHandle} Mastodon`]);
  const box = dialog.getByRole('textbox', { name: 'Text', exact: true });

  // Offline, and the core out of reach: the drafts never need it.
  cut = true;
  await context.setOffline(true);
  for (const s of live.splice(0)) {
    await s.server.close();
    await s.page.close({ code: 1001, reason: 'core unreachable' });
  }
  // The app knows the core is gone (and keeps trying): nothing it types can reach main.
  await expect(page.getByRole('alert').filter({ hasText: 'Lost the connection to Colonnade' })).toBeVisible();
  await box.pressSequentially(text);
  await expect
    .poll(async () => (await storedDrafts(page)).filter((d) => !d.deleted && d.texts[0] === text).length)
    .toBe(1);
  expect(sentWhileCut).toBe(0);

  // Back online, the app reloaded (the composer was never closed: nothing more was saved on close).
  cut = false;
  await context.setOffline(false);
  await page.reload();
  await addColumn(page, /^Drafts/);
  const drafts = page.locator('section.column').last();
  await expect(drafts.getByRole('heading', { level: 2 })).toHaveText('Drafts');
  // The drafts are this computer's: the column is not the practice profile's.
  await expect(drafts.getByText('Practice data')).toHaveCount(0);
  const item = drafts.getByRole('article', { name: text });
  await expect(item).toBeVisible();
  await expect(item).toContainText(`@${ada.handle} (Bluesky), @${mastodonHandle} (Mastodon)`);
  await shot(page, 'drafts-column');

  await item.getByRole('button', { name: /^Open draft: / }).click();
  const reopened = page.getByRole('dialog', { name: 'New post' });
  await expect(reopened.getByRole('textbox', { name: 'Text', exact: true })).toHaveValue(text);
  const postAs = reopened.getByRole('group', { name: 'Post as' });
  await expect(postAs.getByRole('checkbox', { name: `@${ada.handle} Bluesky`, exact: true })).toBeChecked();
  await expect(postAs.getByRole('checkbox', { name: `@${mastodonHandle} Mastodon`, exact: true })).toBeChecked();
  await expect(postAs.getByRole('checkbox', { name: `@${ME_USERNAME} X`, exact: true })).not.toBeChecked();
  await shot(page, 'draft-reopened');
});

// Last, so that the tests above run while its minute comes (30 to 90 s of real time).
test('the post scheduled for three networks goes out at its time: once on each server, “Sent” with links', async ({
  page,
}) => {
  test.setTimeout(180_000);
  expect(scheduledForThree, 'the scheduling test ran first').toBeDefined();
  const { due, shared, forX, profiles } = scheduledForThree!;
  await page.goto(harness.url);
  const outbox = await openOutbox(page);
  const entry = outbox
    .getByRole('grid')
    .getByRole('button', { name: new RegExp(`Spring collection ${escape(RUN)}`) })
    .and(outbox.locator('.cal-entry'));
  if ((await entry.count()) === 0) await outbox.getByRole('button', { name: 'Next week' }).click();

  // At its time it goes out: the job moves to "Sent", each profile with its link.
  // (Only this job of the run: the webinar above was cancelled, the queue's tips are still ahead.)
  const sent = jobIn(outbox, 'History', `Spring collection ${RUN}`);
  await expect(sent).toHaveCount(1, { timeout: 150_000 });
  for (const p of Object.values(profiles)) await expect(targetOf(sent, p)).toContainText(/^.*Sent on /);
  await expect(entry.locator('.cal-who')).toHaveText('X (sent) · Mastodon (sent) · Bluesky (sent)');

  // On each server, exactly once; X with its own text.
  const onX = x.state.timeline((t) => t.authorId === ME_ID && t.text.includes(RUN));
  expect(onX.map((t) => t.text)).toEqual([forX]);
  const onMastodon = mastodon.statusesBy(OWNER_USERNAME).filter((s) => s.text.includes(RUN));
  expect(onMastodon.map((s) => s.text)).toEqual([shared]);
  const onBluesky = (await blueskyPostsOf(bluesky.pdsUrl, ada.did)).filter((r) => r.text.includes(RUN));
  expect(onBluesky.map((r) => r.text)).toEqual([shared]);
  // Nothing went out before its minute.
  expect(onX[0]!.createdAt).toBeGreaterThanOrEqual(due);

  // The links open those very posts.
  const link = (p: string, network: string) =>
    targetOf(sent, p).getByRole('link', { name: `Open the post on ${network} (${p})` });
  await expect(link(profiles.x, 'X')).toHaveAttribute('href', new RegExp(`/status/${onX[0]!.id}$`));
  await expect(link(profiles.mastodon, 'Mastodon')).toHaveAttribute('href', new RegExp(`/${onMastodon[0]!.id}$`));
  await expect(link(profiles.bluesky, 'Bluesky')).toHaveAttribute('href', new RegExp(`/post/${onBluesky[0]!.rkey}$`));
  await shot(page, 'outbox-sent');
});
