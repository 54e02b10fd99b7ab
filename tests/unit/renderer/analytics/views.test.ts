import { describe, expect, it } from 'vitest';
import { deleteView, listViews, saveView } from '../../../../src/renderer/analytics/views';
import { openDb } from './fixtures';

describe('saved views of the posts table', () => {
  it('keeps a view’s name, filters and sort, lists views by name, replaces and deletes them', async () => {
    const db = openDb();
    let n = 0;
    const newId = () => `v${++n}`;
    const high = await saveView(
      db,
      {
        name: 'High engagement',
        filter: { rate: { min: 0.05 }, networks: ['bluesky'] },
        sort: { key: 'rate', dir: 'desc' },
      },
      1000,
      newId,
    );
    await saveView(
      db,
      { name: 'émissions', filter: { hashtag: 'ifpower' }, sort: { key: 'likes', dir: 'desc' } },
      2000,
      newId,
    );
    await saveView(
      db,
      { name: 'Bluesky replies', filter: { isReply: true }, sort: { key: 'createdAt', dir: 'asc' } },
      3000,
      newId,
    );
    expect((await listViews(db, 'fr')).map((v) => v.name)).toEqual(['Bluesky replies', 'émissions', 'High engagement']);

    const renamed = await saveView(db, { ...high, name: 'Top posts', filter: { rate: { min: 0.08 } } }, 5000, newId);
    expect(renamed).toMatchObject({ id: 'v1', createdAt: 1000, updatedAt: 5000, filter: { rate: { min: 0.08 } } });
    expect(await db.analyticsViews.count()).toBe(3);

    await deleteView(db, 'v2');
    expect((await listViews(db)).map((v) => v.id)).toEqual(['v3', 'v1']);
  });

  it('refuses a view without a name or with a sort it cannot apply', async () => {
    const db = openDb();
    await expect(saveView(db, { name: '  ', filter: {}, sort: { key: 'rate', dir: 'desc' } })).rejects.toMatchObject({
      reason: 'analytics-view-invalid',
      field: 'name',
    });
    await expect(
      saveView(db, { name: 'x', filter: {}, sort: { key: 'colour' as 'rate', dir: 'desc' } }),
    ).rejects.toMatchObject({ field: 'sort.key' });
    expect(await db.analyticsViews.count()).toBe(0);
  });
});
