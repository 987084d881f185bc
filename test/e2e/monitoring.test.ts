import fs from 'node:fs';
import { inflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  chromiumAvailable,
  demo,
  desktop,
  expectAccessible,
  launchBrowser,
  newestMail,
  newVisitor,
  phone,
  screenshot,
  startServer,
  type RunningServer,
} from './support.js';

/** The files of a ZIP archive (DOCX), read from its central directory. */
function unzip(buf: Buffer): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const end = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  let p = buf.readUInt32LE(end + 16);
  for (let i = 0; i < buf.readUInt16LE(end + 10); i++) {
    const size = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.subarray(p + 46, p + 46 + nameLen).toString('utf8');
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = buf.subarray(start, start + size);
    out.set(name, buf.readUInt16LE(p + 10) === 8 ? inflateRawSync(data) : Buffer.from(data));
    p += 46 + nameLen + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32);
  }
  return out;
}

const department = 'so.vhttdl@demo.suotdoi.vn';
const libraryStaff = 'canbo.thuvien@demo.suotdoi.vn';
const year = new Date().getFullYear();
const evidencePdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

describe.skipIf(!chromiumAvailable)('monitoring journey in Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  async function logIn(viewport: { width: number; height: number }, email: string): Promise<Page> {
    const context = await newVisitor(browser, server.url, viewport);
    contexts.push(context);
    const page = await context.newPage();
    await page.goto('/login');
    await page.getByLabel('Email hoặc số điện thoại').fill(email);
    await page.getByLabel('Mật khẩu').fill(demo.password);
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.waitForURL(/\/account/);
    return page;
  }

  async function itProvincial(page: Page): Promise<string> {
    await page.goto(`/monitoring?year=${year}&unit=86`);
    return (await page.locator('[data-indicator="it.provincial"] .indicator-value').textContent()) ?? '';
  }

  beforeAll(async () => {
    server = await startServer('monitoring-server');
    browser = await launchBrowser();
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    if (server) await server.stop();
  });

  test('a library reports, the Department returns, it is fixed, accepted and approved; the dashboard changes; the reports download', async () => {
    const dept = await logIn(desktop, department);
    await dept.goto('/monitoring/periods');
    await expectAccessible(dept, 'reporting periods');
    await dept.locator('#f-year').fill(String(year));
    await dept.getByRole('button', { name: 'Mở kỳ báo cáo' }).click();
    await dept.getByText('Đã mở kỳ báo cáo.').waitFor();
    expect(await itProvincial(dept)).toBe('0%');
    await expectAccessible(dept, 'dashboard');
    await screenshot(dept, 'monitoring-dashboard-desktop');

    const staff = await logIn(phone, libraryStaff);
    await staff.goto('/monitoring/periods');
    await staff.getByRole('link', { name: 'Thư viện tỉnh Vĩnh Long' }).first().click();
    await staff.locator('#f-visitsInPerson').fill('-12');
    await staff.getByRole('button', { name: 'Nộp báo cáo' }).click();
    await staff.locator('.error-summary').waitFor();
    expect(await staff.locator('.error-summary').textContent()).toContain('Không được là số âm');
    await expectAccessible(staff, 'form with errors (phone)');
    const figures = {
      visitsInPerson: '48000',
      visitsDigital: '12000',
      programmesHeld: '24',
      sessionsHeld: '60',
      registrations: '300',
      attendance: '2100',
      staffTrained: '12',
    };
    for (const [name, value] of Object.entries(figures)) await staff.locator(`#f-${name}`).fill(value);
    await staff.locator('#f-decl_lll_services').check();
    await staff.locator('#f-evidence_lll_services').fill('Câu lạc bộ đọc sách và lớp kỹ năng số hằng tháng');
    await staff.locator('#f-decl_it_applied').check();
    await staff.locator('#f-evidenceUrl_it_applied').fill('https://thuvien.vinhlong.gov.vn/so-hoa');
    const submittedAt = Date.now();
    await staff.getByRole('button', { name: 'Nộp báo cáo' }).click();
    await staff.getByText('Đã nộp báo cáo.').waitFor();
    expect((await newestMail(server.dataDir, department, submittedAt)).subject).toBe(
      `Thư viện tỉnh Vĩnh Long đã nộp báo cáo năm ${year}, chờ xem xét`,
    );
    await screenshot(staff, 'monitoring-form-submitted-phone');

    const formUrl = staff.url().split('?')[0] ?? '';
    await dept.goto(formUrl);
    await expectAccessible(dept, 'submitted form (reviewer)');
    await dept.locator('#f-comment_return').fill('Số lượt truy cập số cần tách theo tháng; kiểm tra lại số buổi.');
    const returnedAt = Date.now();
    await dept.getByRole('button', { name: 'Trả lại' }).click();
    await dept.getByText('Đã trả lại báo cáo.').waitFor();
    expect((await newestMail(server.dataDir, libraryStaff, returnedAt)).body).toContain('kiểm tra lại số buổi');

    await staff.goto(formUrl);
    expect(await staff.locator('main').textContent()).toContain('kiểm tra lại số buổi');
    await expectAccessible(staff, 'returned form (phone)');
    await screenshot(staff, 'monitoring-form-returned-phone');
    await staff.locator(`a[href="${new URL(formUrl).pathname}/criteria/it_applied"]`).click();
    await staff.locator('#f-file').setInputFiles({ name: 'Quyết định số hóa.pdf', mimeType: 'application/pdf', buffer: evidencePdf });
    await staff.getByRole('button', { name: 'Tải lên', exact: true }).click();
    await staff.getByText('Đã tải lên tệp minh chứng.').waitFor();
    await expectAccessible(staff, 'criterion evidence (phone)');
    await staff.goto(formUrl);
    await staff.locator('#f-sessionsHeld').fill('64');
    await staff.getByRole('button', { name: 'Nộp báo cáo' }).click();
    await staff.getByText('Đã nộp báo cáo.').waitFor();

    await dept.goto(formUrl);
    await dept.getByRole('button', { name: 'Tiếp nhận' }).click();
    await dept.getByText('Đã tiếp nhận báo cáo.').waitFor();
    expect(await itProvincial(dept)).toBe('0%');
    await dept.goto(formUrl);
    await dept.getByRole('button', { name: 'Phê duyệt' }).click();
    await dept.getByText('Đã phê duyệt báo cáo.').waitFor();
    await screenshot(dept, 'monitoring-form-approved-desktop');
    expect(await itProvincial(dept)).toBe('100%');
    await screenshot(dept, 'monitoring-dashboard-approved-desktop');

    await staff.goto(`/monitoring?year=${year}`);
    await staff.goto(formUrl);
    expect(await staff.locator('[data-status]').getAttribute('data-status')).toBe('approved');
    expect(await staff.getByRole('button', { name: 'Nộp báo cáo' }).count()).toBe(0);

    const phoneDept = await logIn(phone, department);
    await phoneDept.goto(`/monitoring?year=${year}&unit=86`);
    await screenshot(phoneDept, 'monitoring-dashboard-phone');
    await phoneDept.goto(`/monitoring/indicators/it.provincial?year=${year}&unit=86`);
    await expectAccessible(phoneDept, 'indicator drill-down (phone)');
    expect(await phoneDept.locator('[data-institution="TV-86"]').textContent()).toContain('Thiết chế tự khai');
    const evidence = phoneDept.locator('[data-institution="TV-86"]').getByRole('link', { name: 'Quyết định số hóa.pdf' });
    const downloaded = await phoneDept.request.get((await evidence.getAttribute('href')) ?? '');
    expect(downloaded.headers()['content-type']).toBe('application/pdf');
    expect(Buffer.from(await downloaded.body()).equals(evidencePdf)).toBe(true);

    await dept.goto('/monitoring/periods');
    await dept.getByRole('link', { name: 'Tiến độ nộp báo cáo' }).first().click();
    await expectAccessible(dept, 'completeness');

    await dept.goto(`/monitoring/report?year=${year}&unit=86`);
    await expectAccessible(dept, 'report page');
    const [docx] = await Promise.all([dept.waitForEvent('download'), dept.getByRole('link', { name: 'Tải báo cáo (DOCX)' }).click()]);
    const docxBuf = fs.readFileSync(await docx.path());
    const xml =
      unzip(docxBuf)
        .get('word/document.xml')
        ?.toString('utf8')
        .replace(/<[^>]+>/g, '') ?? '';
    expect(xml).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(xml).toContain('Thư viện tỉnh ứng dụng công nghệ thông tin và chuyển đổi số');
    const [xlsx] = await Promise.all([dept.waitForEvent('download'), dept.getByRole('link', { name: 'Tải phụ lục (XLSX)' }).click()]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(fs.readFileSync(await xlsx.path()) as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('it.provincial');
    const names: unknown[] = [];
    sheet?.eachRow((r) => names.push((r.values as unknown[])[3]));
    expect(names).toContain('Thư viện tỉnh Vĩnh Long');

    const anonymous = await newVisitor(browser, server.url, phone);
    contexts.push(anonymous);
    const pub = await anonymous.newPage();
    await pub.goto(`/transparency?year=${year}`);
    await expectAccessible(pub, 'public transparency page');
    expect(await pub.locator('[data-indicator="it.provincial"] .indicator-value').textContent()).toBe('100%');
    await screenshot(pub, 'monitoring-public-phone');
  });

  test('the Department edits an indicator on a phone, is told what is wrong, saves a new version and reads the history', async () => {
    const dept = await logIn(phone, department);
    await dept.goto(`/monitoring/indicators/lll.district?year=${year}`);
    await dept.getByRole('link', { name: 'Sửa chỉ tiêu' }).click();
    await dept.waitForURL('**/monitoring/indicators/lll.district/edit');
    await expectAccessible(dept, 'indicator edit page (phone)');
    await screenshot(dept, 'monitoring-indicator-edit-phone');
    await dept.locator('#f-nameEn').fill('');
    await dept.locator('#f-target_2_year').fill('2028');
    await dept.locator('#f-target_2_value').fill('tám mươi');
    await dept.getByRole('button', { name: 'Lưu phiên bản mới' }).click();
    await dept.locator('.error-summary').waitFor();
    const summary = (await dept.locator('.error-summary').textContent()) ?? '';
    for (const text of ['Nhập tên chỉ tiêu bằng tiếng Anh', 'Nhập một số không âm']) expect(summary).toContain(text);
    await expectAccessible(dept, 'indicator edit page with errors (phone)');
    await screenshot(dept, 'monitoring-indicator-edit-errors-phone');
    await dept.locator('#f-nameEn').fill('District libraries providing lifelong-learning services');
    await dept.locator('#f-target_2_value').fill('80');
    await dept.locator('#f-types-library_commune').check();
    await dept.locator('#f-groupVi').fill('Thư viện công cộng cấp huyện và cấp xã');
    await dept.locator('#f-note').fill('Chỉ tiêu trung gian năm 2028');
    await dept.getByRole('button', { name: 'Lưu phiên bản mới' }).click();
    await dept.getByText('Đã lưu phiên bản 2.').waitFor();
    await dept.getByRole('link', { name: 'Xem lịch sử thay đổi' }).click();
    await dept.waitForURL('**/monitoring/indicators/lll.district/history');
    expect(await dept.locator('[data-version="2"]').textContent()).toContain('Chỉ tiêu trung gian năm 2028');
    expect(await dept.locator('[data-version="2"]').textContent()).toContain('Loại thiết chế trong nhóm');
    await expectAccessible(dept, 'indicator history (phone)');
    await screenshot(dept, 'monitoring-indicator-history-phone');
  });
});
