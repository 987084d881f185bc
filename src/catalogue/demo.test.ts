import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { seedDemoOrgs } from '../orgs/index.js';
import { systemActor } from '../platform/access.js';
import type { Database } from '../platform/db/index.js';
import { createTestDatabase } from '../platform/testing/db.js';
import { DEMO_NOTE, seedDemoCatalogue } from './demo.js';
import { items, records } from './schema.js';
import { searchCatalogue } from './search.js';

describe('demo catalogue', () => {
  let database: Database;
  let added = 0;

  beforeAll(async () => {
    database = await createTestDatabase();
    await seedDemoOrgs(database.db, systemActor, '/nonexistent/fixtures');
    added = await seedDemoCatalogue(database.db, systemActor);
  }, 60_000);
  afterAll(() => database.close());

  test('adds about forty records, every one labelled as demo', async () => {
    expect(added).toBeGreaterThanOrEqual(35);
    const rows = await database.db.select({ title: records.title, notes: records.notes }).from(records);
    expect(rows).toHaveLength(added);
    for (const r of rows) expect(r.notes, r.title).toContain(DEMO_NOTE);
  });

  test('a search without marks finds Truyện Kiều', async () => {
    const result = await searchCatalogue(database.db, { q: 'truyen kieu' });
    expect(result.hits[0]).toMatchObject({ title: 'Truyện Kiều', authors: ['Nguyễn Du'], year: 2015 });
  });

  test('copies are held by more than one library, and some titles are all out on loan', async () => {
    const result = await searchCatalogue(database.db, { pageSize: 100 });
    expect(result.total).toBe(added);
    expect(result.facets.library.length).toBeGreaterThan(1);
    expect(result.facets.available).toBeGreaterThan(0);
    expect(result.facets.available).toBeLessThan(added);
    expect(result.facets.material.map((m) => m.value)).toEqual(expect.arrayContaining(['book', 'video', 'map']));
    for (const hit of result.hits) expect([1, 2, 3], hit.title).toContain(hit.copies);
  });

  test('seeding again adds nothing', async () => {
    const before = await database.db.select({ n: count() }).from(items);
    expect(await seedDemoCatalogue(database.db, systemActor)).toBe(0);
    expect(await database.db.select({ n: count() }).from(records)).toEqual([{ n: added }]);
    expect(await database.db.select({ n: count() }).from(items)).toEqual(before);
  });
});
