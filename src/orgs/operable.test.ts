import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../platform/db/index.js';
import { createTestApp, signedIn, type TestApp } from '../testing/app.js';
import { foldVi, sortKeyVi } from '../platform/text/index.js';
import type { InstitutionRow, UnitRow } from './model.js';
import { operableInstitutions } from './operable.js';
import { institutions } from './schema.js';
import { makeActor, makeInstitution, makeUnit } from './testing.js';

let t: TestApp;
let db: Db;
let district: UnitRow;
let museum: InstitutionRow;
let closed: InstitutionRow;
const COMMUNE_LIBRARIES = 620;

/** A district with more commune libraries than any one page of institutions holds, a museum and a closed library. */
beforeAll(async () => {
  t = await createTestApp();
  db = t.database.db;
  district = await makeUnit(db, { level: 'district' });
  const commune = await makeUnit(db, { parent: district });
  const rows = Array.from({ length: COMMUNE_LIBRARIES }, (_, i) => {
    const name = `Thư viện xã số ${String(i + 1).padStart(4, '0')}`;
    return { code: `TVX-${i + 1}`, name, nameFolded: foldVi(name), sortKey: sortKeyVi(name), type: 'library_commune' as const, unitId: commune.id };
  });
  for (let i = 0; i < rows.length; i += 200) await db.insert(institutions).values(rows.slice(i, i + 200));
  museum = await makeInstitution(db, { unit: district, type: 'memorial_house', name: 'Nhà lưu niệm Thử' });
  closed = await makeInstitution(db, { unit: commune, type: 'library_commune', name: 'Thư viện xã đã đóng', closedOn: '2020-01-01' });
});
afterAll(() => t.close());

describe('operableInstitutions', () => {
  it('lists every institution a unit-wide grant covers, past any page size, of the types the permission allows', async () => {
    const admin = await makeActor(db, [{ role: 'dept_admin', unit: district }]);
    const libraries = await operableInstitutions(db, admin, 'catalogue.write');
    expect(libraries).toHaveLength(COMMUNE_LIBRARIES);
    expect(libraries.map((l) => l.name)).toContain('Thư viện xã số 0620');
    expect(libraries.map((l) => l.id)).not.toContain(museum.id);
    expect(libraries.map((l) => l.id)).not.toContain(closed.id);
    expect(libraries.at(-1)?.name).toBe('Thư viện xã số 0620');
    expect((await operableInstitutions(db, admin, 'programmes.operate')).map((i) => i.id)).toContain(museum.id);
    expect(await operableInstitutions(db, admin, 'programmes.operate', { types: ['memorial_house'] })).toEqual([
      expect.objectContaining({ id: museum.id, type: 'memorial_house', unitId: district.id, unitName: district.name }),
    ]);
    expect(await operableInstitutions(db, admin, 'museum.write', { types: ['library_commune'] })).toEqual([]);
  });

  it('gives an institution grant its institution and those inside it, and a role without the permission nothing', async () => {
    const main = await makeInstitution(db, { type: 'library_district' });
    const branch = await makeInstitution(db, { unit: await makeUnit(db, { level: 'district' }), type: 'library_school', parent: main });
    const staff = await makeActor(db, [{ role: 'staff', institution: main }]);
    expect((await operableInstitutions(db, staff, 'catalogue.write')).map((i) => i.id).sort()).toEqual([main.id, branch.id].sort());
    const officer = await makeActor(db, [{ role: 'unit_officer', unit: district }]);
    expect(await operableInstitutions(db, officer, 'catalogue.write')).toEqual([]);
  });

  it('puts every library, grouped by type, in the catalogue and programme forms, which work without scripts', async () => {
    const admin = await signedIn(t.app, db, (await makeActor(db, [{ role: 'dept_admin', unit: district }])).userId);
    const form = await admin.get('/catalogue/records/new');
    expect(form.statusCode).toBe(200);
    expect(form.body.match(/<option value="[0-9a-f-]{36}"/g)).toHaveLength(COMMUNE_LIBRARIES);
    expect(form.body).toContain('<optgroup label="Thư viện cấp xã">');
    expect(form.body).toContain('Thư viện xã số 0620');
    const programme = await admin.get('/programmes/new');
    expect(programme.statusCode).toBe(200);
    expect(programme.body).toContain('Thư viện xã số 0620');
    expect(programme.body).toContain('Nhà lưu niệm Thử');
  });
});
