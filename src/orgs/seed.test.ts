import { and, count, eq, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../platform/access.js';
import type { Database } from '../platform/db/index.js';
import { createTestDatabase } from '../platform/testing/db.js';
import { demoDistricts2023, demoInstitutions } from './demo-data.js';
import { adminUnits, institutions, unitSuccessions } from './schema.js';
import { seedDemoOrgs } from './seed.js';
import { fixturesDir, haveFixtures } from './testing.js';

describe('demo data without the shared fixtures (built-in lists)', () => {
  let database: Database;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.close());

  it('loads Vĩnh Long’s 2023 districts, some communes before and after 2025, and the demo institutions; again, nothing changes', async () => {
    const db = database.db;
    const first = await seedDemoOrgs(db, systemActor, '/nonexistent/fixtures');
    const communes2023 = demoDistricts2023.reduce((n, d) => n + d.communes.length, 0);
    expect(first).toEqual({ source: 'built-in', units: 1 + 8 + communes2023 + 10, successions: 28, institutions: demoInstitutions.length });
    const districts = await db.select().from(adminUnits).where(eq(adminUnits.level, 'district'));
    expect(districts.map((d) => d.code).sort()).toEqual(['855', '857', '858', '859', '860', '861', '862', '863']);
    expect(districts.find((d) => d.code === '859')?.name).toBe('Huyện Vũng Liêm');
    const [library] = await db.select().from(institutions).where(eq(institutions.code, 'TV-855'));
    const [centre] = await db.select().from(institutions).where(eq(institutions.code, 'TTVH-855'));
    expect(library).toMatchObject({ parentId: centre?.id, isDemo: true, type: 'library_district' });
    const [memorial] = await db
      .select({ unit: adminUnits })
      .from(institutions)
      .innerJoin(adminUnits, eq(adminUnits.id, institutions.unitId))
      .where(eq(institutions.code, 'KTN-VVK'));
    expect(memorial?.unit).toMatchObject({ code: '29683', validFrom: '2025-07-01' });
    expect(await seedDemoOrgs(db, systemActor, '/nonexistent/fixtures')).toEqual({ source: 'built-in', units: 0, successions: 0, institutions: 0 });
    const [notDemo] = await db.select({ n: count() }).from(institutions).where(eq(institutions.isDemo, false));
    expect(notDemo?.n).toBe(0);
  });
});

describe.skipIf(!haveFixtures)('demo data with the shared fixtures', () => {
  let database: Database;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.close());

  it('loads the real unit lists and places every demo institution', async () => {
    const db = database.db;
    const summary = await seedDemoOrgs(db, systemActor, fixturesDir);
    expect(summary).toMatchObject({ source: 'fixtures', successions: 361, institutions: demoInstitutions.length });
    const [open] = await db.select({ n: count() }).from(adminUnits).where(isNull(adminUnits.validTo));
    expect(open?.n).toBe(1 + 124);
    const [links] = await db.select({ n: count() }).from(unitSuccessions);
    expect(links?.n).toBe(361);
    const [districtLibraries] = await db
      .select({ n: count() })
      .from(institutions)
      .where(and(eq(institutions.type, 'library_district'), eq(institutions.isDemo, true)));
    expect(districtLibraries?.n).toBe(8);
  });
});
