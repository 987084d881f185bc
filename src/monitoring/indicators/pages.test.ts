import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '../../platform/errors.js';
import { Browser, createTestApp, signedIn, type TestApp } from '../../testing/app.js';
import { changedParts, definitionFromForm, formValues, readIndicatorForm, type IndicatorFormValues } from './form.js';
import { getIndicator, indicatorHistory } from './indicators.js';
import type { IndicatorDefinition } from '../model.js';
import { makeStaff, makeUnit } from '../testing.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

const as = (person: { userId: string }) => signedIn(t.app, t.database.db, person.userId);

const base: IndicatorDefinition = {
  name: { vi: 'Tỷ lệ thư viện huyện', en: 'District libraries' },
  section: 'II.2.1',
  groupName: { vi: 'Thư viện huyện', en: 'District libraries' },
  types: ['library_district'],
  formula: { kind: 'share', criterion: 'lll_services' },
  targets: [
    { year: 2025, value: 70 },
    { year: 2030, value: 90 },
  ],
};

function form(patch: Partial<IndicatorFormValues>): IndicatorFormValues {
  return { ...formValues(base), note: 'Điều chỉnh', ...patch };
}

function issuesOf(fn: () => unknown): Array<{ field: string; key: string }> {
  try {
    fn();
  } catch (err) {
    if (err instanceof DomainError) return err.issues.map((i) => ({ field: i.field, key: i.key }));
    throw err;
  }
  throw new Error('expected the form to be refused');
}

describe('the indicator form', () => {
  it('reads every kind of formula, skips blank target rows and accepts decimal commas', () => {
    const body = {
      nameVi: ' Tăng trưởng lượt người ',
      nameEn: 'Visits growth',
      section: 'II.2.3',
      groupVi: 'Thư viện',
      groupEn: 'Libraries',
      types: ['library_district', 'library_commune', 'library_district'],
      kind: 'growth',
      measure: 'library_visits',
      baseYear: '2020',
      criterion: 'lll_services',
      targetRows: '3',
      target_0_year: '2025',
      target_0_value: '12,5',
      target_1_year: '',
      target_1_value: '',
      target_2_year: '2030',
      target_2_value: '10',
      target_2_upper: '15',
      note: 'QĐ mới',
    };
    expect(definitionFromForm(readIndicatorForm(body))).toEqual({
      name: { vi: 'Tăng trưởng lượt người', en: 'Visits growth' },
      section: 'II.2.3',
      groupName: { vi: 'Thư viện', en: 'Libraries' },
      types: ['library_district', 'library_commune'],
      formula: { kind: 'growth', measure: 'library_visits', baseYear: 2020 },
      targets: [
        { year: 2025, value: 12.5 },
        { year: 2030, value: 10, upper: 15 },
      ],
    });
    expect(definitionFromForm(form({ kind: 'count', criterion: 'classes_clubs' })).formula).toEqual({ kind: 'count', criterion: 'classes_clubs' });
    expect(definitionFromForm(form({ kind: 'sum', measure: 'museum_visitors' })).formula).toEqual({ kind: 'sum', measure: 'museum_visitors' });
    expect(readIndicatorForm({ types: 'museum_provincial', targetRows: '999' }).targets).toHaveLength(30);
  });

  it('names the field of every problem, target rows included', () => {
    expect(issuesOf(() => definitionFromForm(form({ nameVi: '', types: [], note: '' })))).toEqual([
      { field: 'nameVi', key: 'monitoring.indicator.needed.nameVi' },
      { field: 'note', key: 'monitoring.indicator.needed.note' },
      { field: 'types', key: 'monitoring.indicator.typesNeeded' },
    ]);
    expect(issuesOf(() => definitionFromForm(form({ types: ['library_district', 'cinema'] })))).toEqual([
      { field: 'types', key: 'monitoring.indicator.badType' },
    ]);
    expect(issuesOf(() => definitionFromForm(form({ kind: 'ratio' })))).toEqual([{ field: 'kind', key: 'monitoring.indicator.kindNeeded' }]);
    expect(issuesOf(() => definitionFromForm(form({ kind: 'share', criterion: '' })))).toEqual([
      { field: 'criterion', key: 'monitoring.indicator.criterionNeeded' },
    ]);
    expect(issuesOf(() => definitionFromForm(form({ kind: 'growth', measure: 'visits', baseYear: '20' })))).toEqual([
      { field: 'measure', key: 'monitoring.indicator.measureNeeded' },
      { field: 'baseYear', key: 'monitoring.indicator.badYear' },
    ]);
    expect(issuesOf(() => definitionFromForm(form({ kind: 'growth', measure: 'library_visits', baseYear: '' })))).toEqual([
      { field: 'baseYear', key: 'monitoring.indicator.baseYearNeeded' },
    ]);
    expect(
      issuesOf(() =>
        definitionFromForm(
          form({
            targets: [
              { year: '2025', value: '120', upper: '' },
              { year: '2025', value: '50', upper: '40' },
              { year: '', value: 'bảy mươi', upper: '' },
              { year: '1999', value: '', upper: 'x' },
            ],
          }),
        ),
      ),
    ).toEqual([
      { field: 'target_0_value', key: 'errors.maximum' },
      { field: 'target_1_year', key: 'monitoring.indicator.duplicateYear' },
      { field: 'target_1_upper', key: 'monitoring.indicator.upperBelow' },
      { field: 'target_2_year', key: 'monitoring.indicator.yearNeeded' },
      { field: 'target_2_value', key: 'monitoring.indicator.badNumber' },
      { field: 'target_3_year', key: 'monitoring.indicator.badYear' },
      { field: 'target_3_value', key: 'monitoring.indicator.valueNeeded' },
      { field: 'target_3_upper', key: 'monitoring.indicator.badNumber' },
    ]);
    expect(definitionFromForm(form({ kind: 'sum', measure: 'attendance', targets: [{ year: '2030', value: '5000', upper: '' }] })).targets).toEqual([
      { year: 2030, value: 5000 },
    ]);
  });

  it('tells which parts changed between two versions', () => {
    expect(changedParts(undefined, base)).toEqual([]);
    expect(changedParts(base, { ...base, types: ['library_district'] })).toEqual([]);
    expect(changedParts(base, { ...base, section: 'II.3', formula: { kind: 'count', criterion: 'lll_services' }, targets: [] })).toEqual([
      'monitoring.indicator.section',
      'monitoring.indicator.kind',
      'monitoring.indicator.targets',
    ]);
  });
});

describe('the indicator pages', () => {
  it('lets the Department edit every part of an indicator as a new, audited version and shows the history', async () => {
    const db = t.database.db;
    const province = await makeUnit(db, { level: 'province' });
    const dept = await as(await makeStaff(db, [{ role: 'dept_admin', unit: province }]));
    const edit = await dept.get('/monitoring/indicators/lll.commune/edit');
    expect(edit.statusCode).toBe(200);
    expect(edit.body).toContain('name="types" value="library_commune" checked');
    expect(edit.body).toContain('id="f-kind-share" name="kind" value="share" checked');
    expect(edit.body).toContain('name="target_1_value" type="text" value="60"');

    const fields = {
      expectedVersion: '1',
      targetRows: '4',
      nameVi: 'Số thư viện xã có dịch vụ học tập suốt đời',
      nameEn: 'Commune libraries with LLL services',
      section: 'II.2.1',
      groupVi: 'Thư viện xã',
      groupEn: 'Commune libraries',
      types: 'library_commune',
      kind: 'count',
      criterion: 'lll_services',
      measure: '',
      baseYear: '',
      target_0_year: '2025',
      target_0_value: '40',
      target_1_year: '2030',
      target_1_value: '60',
      target_2_year: '2028',
      target_2_value: '50',
      note: 'Đếm số thư viện',
    };
    const bad = await dept.post('/monitoring/indicators/lll.commune/edit', { ...fields, nameEn: '', target_2_value: 'năm mươi', note: '' });
    expect(bad.statusCode).toBe(422);
    for (const f of ['nameEn', 'target_2_value', 'note']) expect(bad.body).toContain(`href="#f-${f}"`);
    expect(bad.body).toContain('value="năm mươi"');
    expect((await getIndicator(db, 'lll.commune')).version).toBe(1);

    const saved = await dept.post('/monitoring/indicators/lll.commune/edit', fields);
    expect(saved.statusCode).toBe(200);
    expect(saved.body).toContain('Đã lưu phiên bản 2.');
    const row = await getIndicator(db, 'lll.commune');
    expect(row.version).toBe(2);
    expect(row.definition).toMatchObject({
      formula: { kind: 'count', criterion: 'lll_services' },
      groupName: { vi: 'Thư viện xã' },
      targets: [{ year: 2025 }, { year: 2028, value: 50 }, { year: 2030 }],
    });
    expect((await indicatorHistory(db, row.id)).map((h) => h.version)).toEqual([2, 1]);
    const audit = await t.database.query<{ action: string; entity_id: string }>(
      `select action, entity_id from audit_log where action = 'monitoring.indicator.update'`,
    );
    expect(audit).toEqual([{ action: 'monitoring.indicator.update', entity_id: 'lll.commune' }]);

    const stale = await dept.post('/monitoring/indicators/lll.commune/edit', fields);
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('href="#f-expectedVersion"');
    expect(stale.body).toContain('id="f-expectedVersion"');

    const history = await dept.get('/monitoring/indicators/lll.commune/history');
    expect(history.statusCode).toBe(200);
    expect(history.body).toContain('Đếm số thư viện');
    expect(history.body).toContain('data-version="2"');
    expect(history.body).toMatch(/Nội dung thay đổi<\/dt><dd>[^<]*Tên \(tiếng Việt\)[^<]*Loại công thức/);
    expect(history.body).toContain('Phiên bản đầu tiên');
  });

  it('refuses editing to everyone but the Department, and the history to the public', async () => {
    const db = t.database.db;
    const province = await makeUnit(db, { level: 'province' });
    const district = await makeUnit(db, { level: 'district', parent: province });
    const officer = await as(await makeStaff(db, [{ role: 'unit_officer', unit: district }]));
    expect((await officer.get('/monitoring/indicators/it.district/edit')).statusCode).toBe(403);
    const post = await officer.post('/monitoring/indicators/it.district/edit', { expectedVersion: '1', nameVi: 'x', note: 'y' });
    expect(post.statusCode).toBe(403);
    expect((await getIndicator(db, 'it.district')).version).toBe(1);
    const history = await officer.get('/monitoring/indicators/it.district/history');
    expect(history.statusCode).toBe(200);
    expect(history.body).not.toContain('/monitoring/indicators/it.district/edit');
    const anonymous = new Browser(t.app);
    expect((await anonymous.get('/monitoring/indicators/it.district/history')).statusCode).toBe(401);
    expect((await anonymous.get('/monitoring/indicators/it.district/edit')).statusCode).toBe(401);
    expect((await anonymous.get('/api/v1/monitoring/indicators/it.district/versions')).statusCode).toBe(401);
    const versions = await officer.get('/api/v1/monitoring/indicators/it.district/versions');
    expect(versions.statusCode).toBe(200);
    expect((JSON.parse(versions.body) as { versions: unknown[] }).versions).toHaveLength(1);
    const dept = await as(await makeStaff(db, [{ role: 'dept_admin', unit: province }]));
    expect((await dept.get('/monitoring/indicators/no.such/edit')).statusCode).toBe(404);
    expect((await dept.get('/monitoring/indicators/no.such/history')).statusCode).toBe(404);
  });
});
