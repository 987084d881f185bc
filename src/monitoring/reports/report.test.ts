import { inflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../platform/access.js';
import type { Database } from '../../platform/db/index.js';
import type { DomainError } from '../../platform/errors.js';
import { createTestDatabase } from '../../platform/testing/db.js';
import { openPeriod, saveForm, transition } from '../cycle/cycle.js';
import { ensurePlanIndicators } from '../indicators/indicators.js';
import { generateAnnualReport } from './report.js';
import { planIndicators } from '../indicators/seed.js';
import { makeInstitution, makeStaff, makeUnit } from '../testing.js';

/** The files of a ZIP archive (DOCX, XLSX), read from its central directory. */
function unzip(buf: Buffer): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const end = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = buf.readUInt16LE(end + 10);
  let p = buf.readUInt32LE(end + 16);
  for (let i = 0; i < count; i++) {
    const method = buf.readUInt16LE(p + 10);
    const size = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.subarray(p + 46, p + 46 + nameLen).toString('utf8');
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = buf.subarray(start, start + size);
    out.set(name, method === 8 ? inflateRawSync(data) : Buffer.from(data));
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

let database: Database;
let province: Awaited<ReturnType<typeof makeUnit>>;
let libraryCode = '';
beforeAll(async () => {
  database = await createTestDatabase();
  const db = database.db;
  await ensurePlanIndicators(db);
  province = await makeUnit(db, { level: 'province', name: 'Tỉnh Vĩnh Long' });
  const district = await makeUnit(db, { level: 'district', parent: province, name: 'Huyện Long Hồ' });
  const lib = await makeInstitution(db, { unit: district, type: 'library_district', name: 'Thư viện huyện Long Hồ' });
  const pending = await makeInstitution(db, { unit: district, type: 'library_district', name: 'Thư viện huyện chưa duyệt' });
  libraryCode = lib.code;
  const period = await openPeriod(db, systemActor, { year: 2026 });
  const staff = await makeStaff(db, [
    { role: 'staff', institution: lib },
    { role: 'staff', institution: pending },
  ]);
  const values = { visitsInPerson: 5000, programmesHeld: 4, sessionsHeld: 8, registrations: 50, attendance: 300, staffTrained: 2 };
  const s = await saveForm(
    db,
    staff,
    period.id,
    lib.id,
    {
      values,
      declarations: {
        lll_services: { declared: true, evidenceText: 'Câu lạc bộ đọc sách hằng tháng' },
        it_applied: { declared: true, evidenceUrl: 'https://thuvien.example.vn/so-hoa' },
      },
    },
    true,
  );
  await saveForm(db, staff, period.id, pending.id, { values, declarations: { lll_services: { declared: true, evidenceText: 'Có' } } }, true);
  await transition(db, systemActor, s.id, 'accept');
  await transition(db, systemActor, s.id, 'approve');
});
afterAll(async () => {
  await database.close();
});

describe('the yearly report', () => {
  it('is a DOCX in the layout of Decree 30/2020 with a table per indicator, from approved data only', async () => {
    const steps: number[] = [];
    const buf = await generateAnnualReport(database.db, systemActor, {
      year: 2026,
      unitCode: province.code,
      format: 'docx',
      onProgress: (done) => steps.push(done),
    });
    const files = unzip(buf);
    const xml = files.get('word/document.xml')?.toString('utf8') ?? '';
    const text = xml.replace(/<w:tab\/>/g, '\t').replace(/<[^>]+>/g, '');
    expect(text).toContain('UBND TỈNH VĨNH LONG');
    expect(text).toContain('SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH');
    expect(text).toContain('Số:');
    expect(text).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(text).toContain('Độc lập - Tự do - Hạnh phúc');
    expect(text).toMatch(/Vĩnh Long, ngày \d{2} tháng \d{2} năm \d{4}/);
    expect(text).toContain('I. TÌNH HÌNH TRIỂN KHAI THỰC HIỆN');
    expect(text).toContain('II. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU');
    expect(text).toContain('Thư viện công cộng cấp huyện có cung cấp dịch vụ phục vụ học tập suốt đời');
    expect(text).toContain('Huyện Long Hồ');
    expect(text).toContain('Nơi nhận:');
    expect(xml.match(/<w:tbl>/g)?.length).toBe(planIndicators.length + 2);
    expect(xml).toMatch(/<w:pgSz w:w="11906" w:h="16838"/);
    const margins = /<w:pgMar ([^>]*)\/>/.exec(xml)?.[1] ?? '';
    const attr = (n: string) => Number(new RegExp(`w:${n}="(\\d+)"`).exec(margins)?.[1]);
    expect([attr('top'), attr('bottom'), attr('left'), attr('right')]).toEqual([1134, 1134, 1701, 850]);
    const styles = files.get('word/styles.xml')?.toString('utf8') ?? '';
    expect(styles + xml).toContain('Times New Roman');
    expect(steps.at(-1)).toBe(steps.length);
  });

  it('has XLSX annexes: a summary and one sheet per indicator with institution rows', async () => {
    const buf = await generateAnnualReport(database.db, systemActor, { year: 2026, unitCode: province.code, format: 'xlsx' });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
    expect(wb.worksheets.length).toBe(planIndicators.length + 1);
    const lll = wb.getWorksheet('lll.district');
    const rows: unknown[][] = [];
    lll?.eachRow((r) => rows.push((r.values as unknown[]).slice(1)));
    expect(rows[2]).toEqual(['TT', 'Mã thiết chế', 'Tên thiết chế', 'Loại', 'Đơn vị hành chính', 'Kết quả', 'Căn cứ', 'Ghi chú, minh chứng']);
    const approved = rows.find((r) => r[1] === libraryCode);
    expect(approved?.slice(2, 3)).toEqual(['Thư viện huyện Long Hồ']);
    expect(approved?.slice(4, 8)).toEqual(['Huyện Long Hồ', 'Đạt', 'Thiết chế tự khai', 'Câu lạc bộ đọc sách hằng tháng']);
    const other = rows.find((r) => r[2] === 'Thư viện huyện chưa duyệt');
    expect(other?.[5]).toBe('Chưa đạt');
    const summary = wb.worksheets[0];
    const lllRow: unknown[] = [];
    summary?.eachRow((r) => {
      const v = (r.values as unknown[]).slice(1);
      if (v[0] === 'lll.district') lllRow.push(...v);
    });
    expect(lllRow[3]).toBe(50);
    const visits = wb.getWorksheet('visits.libraries');
    const visitRows: unknown[][] = [];
    visits?.eachRow((r) => visitRows.push((r.values as unknown[]).slice(1)));
    expect(visitRows.find((r) => r[1] === libraryCode)?.[5]).toBe(5000);
  });

  it('is refused to people outside the unit', async () => {
    const stranger = await makeStaff(database.db, [{ role: 'unit_officer', unit: await makeUnit(database.db, { level: 'district' }) }]);
    const err = await generateAnnualReport(database.db, stranger, { year: 2026, unitCode: province.code, format: 'xlsx' }).catch((e: unknown) => e);
    expect((err as DomainError).status).toBe(403);
  });
});
