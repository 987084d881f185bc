import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Document, Packer, Paragraph } from 'docx';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../platform/access.js';
import { storageFor } from '../../platform/storage/index.js';
import { Browser, createTestApp, type TestApp } from '../../testing/app.js';
import { openPeriod } from './cycle.js';
import { adoptLegacyEvidence, evidenceKind, maxEvidenceBytes } from './evidence.js';
import { monitoringEvidenceFiles } from '../schema.js';
import { makeInstitution, makeStaff, makeUnit } from '../testing.js';

let t: TestApp;
let dataDir: string;
beforeAll(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'suotdoi-evidence-'));
  t = await createTestApp({ DATA_DIR: dataDir });
});
afterAll(async () => {
  await t.close();
  await fs.rm(dataDir, { recursive: true, force: true });
});

/** Files the store holds on disk. */
async function stored(): Promise<number> {
  const entries = await fs.readdir(path.join(dataDir, 'files'), { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).length;
}

const pdf = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
// The signature and the first chunk's header, as the sniffer reads them.
const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), Buffer.from('IHDR'), Buffer.alloc(32, 1)]);
const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(32, 2)]);

async function docxFile(): Promise<Buffer> {
  return Packer.toBuffer(new Document({ sections: [{ children: [new Paragraph('Biên bản kiểm tra')] }] }));
}

async function xlsxFile(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.addWorksheet('Số liệu').addRow(['Lớp học', 3]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function as(person: { email: string; password: string }): Promise<Browser> {
  const b = new Browser(t.app);
  await b.login(person.email, person.password);
  return b;
}

function upload(b: Browser, url: string, fileName: string, content: Buffer) {
  return b.upload(url, { field: 'file', name: fileName, bytes: content });
}

describe('evidence files for declared criteria', () => {
  it('knows PDF, JPEG, PNG, DOCX and XLSX by their bytes, whatever the name says', async () => {
    expect(await evidenceKind(pdf)).toBe('pdf');
    expect(await evidenceKind(jpeg)).toBe('jpg');
    expect(await evidenceKind(png)).toBe('png');
    expect(await evidenceKind(await docxFile())).toBe('docx');
    expect(await evidenceKind(await xlsxFile())).toBe('xlsx');
    expect(await evidenceKind(Buffer.from('MZ\x90\x00 not a document'))).toBeNull();
    expect(await evidenceKind(Buffer.from('<html><script>alert(1)</script></html>'))).toBeNull();
    expect(await evidenceKind(Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(64)]))).toBeNull();
    expect(await evidenceKind(Buffer.alloc(0))).toBeNull();
  });

  it('lets the institution upload while it can edit, officers above download, and refuses bad files and outsiders', async () => {
    const db = t.database.db;
    const province = await makeUnit(db, { level: 'province' });
    const district = await makeUnit(db, { level: 'district', parent: province });
    const lib = await makeInstitution(db, { unit: district, type: 'library_district', name: 'Thư viện huyện Minh Chứng' });
    const period = await openPeriod(db, systemActor, { year: 2026 });
    const staff = await as(await makeStaff(db, [{ role: 'staff', institution: lib }]));
    const officer = await as(await makeStaff(db, [{ role: 'unit_officer', unit: district }]));
    const dept = await as(await makeStaff(db, [{ role: 'dept_admin', unit: province }]));
    const outsider = await as(await makeStaff(db, [{ role: 'staff', institution: await makeInstitution(db) }]));
    const otherOfficer = await as(await makeStaff(db, [{ role: 'unit_officer', unit: await makeUnit(db, { level: 'district', parent: province }) }]));
    const formUrl = `/monitoring/periods/${period.id}/institutions/${lib.id}`;
    const pageUrl = `${formUrl}/criteria/lll_services`;

    expect((await staff.get(formUrl)).body).toContain(`href="${pageUrl}"`);
    const page = await staff.get(pageUrl);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('enctype="multipart/form-data"');

    const ok = await upload(staff, `${pageUrl}/evidence`, 'Biên bản lớp học.pdf', pdf);
    expect(ok.statusCode).toBe(303);
    const sheet = await upload(staff, `${pageUrl}/evidence`, 'so-lieu.xlsx', await xlsxFile());
    expect(sheet.statusCode).toBe(303);
    const listed = await staff.get(`${pageUrl}?notice=uploaded`);
    expect(listed.body).toContain('Biên bản lớp học.pdf');
    expect(listed.body).toContain('so-lieu.xlsx');
    const ids = [...listed.body.matchAll(/href="\/monitoring\/evidence\/([0-9a-f-]{36})"/g)].map((m) => m[1]);
    expect(ids).toHaveLength(2);
    expect(await stored()).toBe(2);

    const renamed = await upload(staff, `${pageUrl}/evidence`, 'bao-cao.pdf', Buffer.from('MZ\x90\x00 this is a program'));
    expect(renamed.statusCode).toBe(422);
    expect(renamed.body).toContain('Tệp phải là PDF, JPEG, PNG, DOCX hoặc XLSX');
    const big = await upload(staff, `${pageUrl}/evidence`, 'lon.pdf', Buffer.concat([pdf, Buffer.alloc(maxEvidenceBytes)]));
    expect(big.statusCode).toBe(422);
    expect(big.body).toContain('Tệp lớn hơn 10 MB');
    const empty = await upload(staff, `${pageUrl}/evidence`, 'rong.pdf', Buffer.alloc(0));
    expect(empty.statusCode).toBe(422);
    expect((await upload(outsider, `${pageUrl}/evidence`, 'x.pdf', pdf)).statusCode).toBe(403);
    expect((await upload(officer, `${pageUrl}/evidence`, 'x.pdf', pdf)).statusCode).toBe(403);
    expect((await upload(staff, `${formUrl}/criteria/museum_grade_ii/evidence`, 'x.pdf', pdf)).statusCode).toBe(404);

    const download = await officer.get(`/monitoring/evidence/${ids[0]}`);
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toBe('application/pdf');
    expect(download.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent('Biên bản lớp học.pdf')}`);
    expect(download.rawPayload.equals(pdf)).toBe(true);
    expect((await staff.get(`/monitoring/evidence/${ids[1]}`)).statusCode).toBe(200);
    expect((await outsider.get(`/monitoring/evidence/${ids[0]}`)).statusCode).toBe(403);
    expect((await otherOfficer.get(`/monitoring/evidence/${ids[0]}`)).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: `/monitoring/evidence/${ids[0]}` })).statusCode).toBe(401);
    expect((await dept.get(pageUrl)).body).toContain('Biên bản lớp học.pdf');
    expect((await dept.get(`/monitoring/evidence/${ids[0]}`)).statusCode).toBe(200);

    const wrongPage = await staff.post(`${formUrl}/criteria/it_applied/evidence/${ids[1]}/delete`, {});
    expect(wrongPage.statusCode).toBe(404);
    expect(await stored()).toBe(2);
    const removed = await staff.post(`${pageUrl}/evidence/${ids[1]}/delete`, {});
    expect(removed.statusCode).toBe(303);
    expect(await stored()).toBe(1);

    const api = `/api/v1${pageUrl}/evidence`;
    const viaApi = await upload(staff, api, 'anh.png', png);
    expect(viaApi.statusCode).toBe(201);
    const created = JSON.parse(viaApi.body) as { id: string; kind: string; fileName: string; url: string };
    expect(created).toMatchObject({ kind: 'png', fileName: 'anh.png', url: `/monitoring/evidence/${created.id}` });
    const listedApi = await dept.get(api);
    expect(listedApi.statusCode).toBe(200);
    expect((JSON.parse(listedApi.body) as { files: Array<{ fileName: string }> }).files.map((f) => f.fileName).sort()).toEqual([
      'Biên bản lớp học.pdf',
      'anh.png',
    ]);
    expect((await outsider.get(api)).statusCode).toBe(403);
    expect((await upload(outsider, api, 'x.pdf', pdf)).statusCode).toBe(403);
    const refused = await upload(staff, api, 'x.pdf', Buffer.from('MZ\x90\x00'));
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('"file"');
    expect((await staff.json('DELETE', `/api/v1/monitoring/periods/${period.id}/evidence/${created.id}`)).statusCode).toBe(204);
    expect(await stored()).toBe(1);

    // A declaration with a file attached needs no other evidence; once submitted, the data set and its files are locked.
    const submitted = await staff.post(formUrl, {
      intent: 'submit',
      visitsInPerson: '100',
      programmesHeld: '1',
      attendance: '20',
      staffTrained: '1',
      decl_lll_services: 'true',
    });
    expect(submitted.statusCode).toBe(303);
    const locked = await upload(staff, `${pageUrl}/evidence`, 'muon.png', png);
    expect(locked.statusCode).toBe(409);
    expect((await staff.get(pageUrl)).body).not.toContain('enctype="multipart/form-data"');
    const audit = await t.database.query<{ action: string }>(
      `select action from audit_log where entity_type = 'monitoring_evidence_file' order by at`,
    );
    expect(audit.map((a) => a.action)).toEqual([
      'monitoring.evidence.upload',
      'monitoring.evidence.upload',
      'monitoring.evidence.delete',
      'monitoring.evidence.upload',
      'monitoring.evidence.delete',
    ]);
  });

  it('stores the same bytes once, keeps them while another file refers to them, and moves files kept before the storage into it', async () => {
    const db = t.database.db;
    const lib = await makeInstitution(db, { unit: await makeUnit(db, { level: 'district' }), type: 'library_district' });
    const period = await openPeriod(db, systemActor, { year: 2027 });
    const staff = await as(await makeStaff(db, [{ role: 'staff', institution: lib }]));
    const pageUrl = `/monitoring/periods/${period.id}/institutions/${lib.id}/criteria/lll_services`;
    const same = Buffer.concat([pdf, Buffer.from('% một bản sao dùng hai lần\n')]);
    const before = await stored();
    expect((await upload(staff, `${pageUrl}/evidence`, 'ban-1.pdf', same)).statusCode).toBe(303);
    expect((await upload(staff, `${pageUrl}/evidence`, 'ban-2.pdf', same)).statusCode).toBe(303);
    expect(await stored()).toBe(before + 1);
    const ids = [...(await staff.get(pageUrl)).body.matchAll(/href="\/monitoring\/evidence\/([0-9a-f-]{36})"/g)].map((m) => m[1]);
    expect(ids).toHaveLength(2);
    expect((await staff.post(`${pageUrl}/evidence/${ids[0]}/delete`, {})).statusCode).toBe(303);
    expect(await stored()).toBe(before + 1);
    expect((await staff.get(`/monitoring/evidence/${ids[1]}`)).rawPayload.equals(same)).toBe(true);

    const legacy = path.join(dataDir, 'uploads', 'monitoring');
    await fs.mkdir(legacy, { recursive: true });
    await fs.writeFile(path.join(legacy, '0123456789abcdef0123456789abcdef.png'), png);
    const [old] = await db
      .insert(monitoringEvidenceFiles)
      .values({
        institutionId: lib.id,
        year: 2027,
        criterion: 'lll_services',
        fileName: 'cu.png',
        kind: 'png',
        bytes: png.length,
        storedName: '0123456789abcdef0123456789abcdef.png',
        uploadedBy: 'x',
      })
      .returning();
    const [lost] = await db
      .insert(monitoringEvidenceFiles)
      .values({
        institutionId: lib.id,
        year: 2027,
        criterion: 'lll_services',
        fileName: 'mat.pdf',
        kind: 'pdf',
        bytes: 10,
        storedName: 'fedcba9876543210fedcba9876543210.pdf',
        uploadedBy: 'x',
      })
      .returning();
    expect(await adoptLegacyEvidence(db, storageFor(t.app.deps.config), dataDir)).toBe(1);
    expect((await staff.get(`/monitoring/evidence/${lost?.id}`)).statusCode).toBe(404);
    expect(await adoptLegacyEvidence(db, storageFor(t.app.deps.config), dataDir)).toBe(0);
    expect(await fs.readdir(legacy)).toEqual([]);
    const download = await staff.get(`/monitoring/evidence/${old?.id}`);
    expect(download.statusCode).toBe(200);
    expect(download.rawPayload.equals(png)).toBe(true);
  });
});
