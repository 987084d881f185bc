import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  chromiumAvailable,
  demo,
  expectAccessible,
  launchBrowser,
  logIn,
  newVisitor,
  phone,
  repoRoot,
  screenshot,
  startServer,
  type RunningServer,
} from './support.js';

const fixture = path.join(repoRoot, 'test/fixtures/catalogue-vinh-long.mrc');

describe.skipIf(!chromiumAvailable)('catalogue journey in Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  async function visitor(): Promise<Page> {
    const context = await newVisitor(browser, server.url, phone);
    contexts.push(context);
    return context.newPage();
  }

  beforeAll(async () => {
    server = await startServer('catalogue');
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await server?.stop();
  });

  test('a librarian imports MARC; a citizen finds it without marks, narrows, sees the holding and citations; the librarian exports it', async () => {
    const staff = await visitor();
    await logIn(staff, demo.librarian);
    await staff.goto('/catalogue/import');
    await expectAccessible(staff, 'import form');
    await staff.getByRole('button', { name: 'Nhập' }).click();
    await expect.poll(() => staff.evaluate(() => document.activeElement?.classList.contains('error-summary') ?? false)).toBe(true);
    await expect.poll(() => staff.getByRole('alert').getByText('Hãy chọn một tệp MARC không rỗng.').count()).toBe(1);
    await staff.getByLabel('Thư viện').selectOption({ label: 'Thư viện tỉnh Vĩnh Long (TV-86)' });
    await staff.getByLabel('Tệp MARC').setInputFiles(fixture);
    await staff.getByRole('button', { name: 'Nhập' }).click();
    await expect.poll(() => staff.getByText('Thêm mới: 5').count()).toBe(1);
    // The upload went through the progress script: the page stayed put and the report took focus.
    expect(new URL(staff.url()).search).toBe('');
    await expect.poll(() => staff.evaluate(() => document.activeElement?.id)).toBe('report-title');
    await expectAccessible(staff, 'import report');
    await screenshot(staff, 'catalogue-import-report');

    const citizen = await visitor();
    await citizen.goto('/catalogue');
    await citizen.getByLabel('Tìm sách, tài liệu').fill('vinh long');
    await citizen.getByRole('button', { name: 'Tìm', exact: true }).click();
    await expect.poll(() => citizen.getByText('Tìm thấy 4 biểu ghi').count()).toBe(1);
    await expectAccessible(citizen, 'search results');
    await citizen.getByRole('link', { name: 'Tiếng Việt' }).click();
    await expect.poll(() => citizen.getByText('Tìm thấy 3 biểu ghi').count()).toBe(1);
    await screenshot(citizen, 'catalogue-results-phone');
    await citizen.getByRole('link', { name: 'Địa chí tỉnh Vĩnh Long' }).click();
    await citizen.waitForURL(/\/catalogue\/records\//);
    const holdings = citizen.getByRole('table');
    await expect.poll(() => holdings.getByText('Thư viện tỉnh Vĩnh Long').count()).toBe(2);
    await expect.poll(() => holdings.getByText('959.78 Đ').count()).toBe(2);
    const citations = citizen.getByRole('region', { name: 'Trích dẫn' });
    await expect.poll(() => citations.getByRole('heading', { name: 'Kiểu Vancouver' }).count()).toBe(1);
    await expect
      .poll(() => citations.getByText('Nguyễn VH. Địa chí tỉnh Vĩnh Long. Hà Nội: Nxb. Chính trị Quốc gia Sự thật; 2005.', { exact: true }).count())
      .toBe(1);
    await expectAccessible(citizen, 'record page');
    await screenshot(citizen, 'catalogue-record-phone');

    await staff.goto('/catalogue/import');
    await staff.getByRole('link', { name: 'Xuất biểu ghi MARC' }).click();
    await staff.waitForURL('**/catalogue/export');
    await expectAccessible(staff, 'export page');
    await screenshot(staff, 'catalogue-export-phone');
    await staff.getByLabel('Phạm vi').selectOption('TV-86');
    await staff.getByLabel('MARCXML (.xml)').check();
    const [download] = await Promise.all([staff.waitForEvent('download'), staff.getByRole('button', { name: 'Tải xuống' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^tv-86-\d{4}-\d{2}-\d{2}\.xml$/);
    const xml = fs.readFileSync(await download.path(), 'utf8');
    expect(xml.match(/<record>/g)).toHaveLength(5 + (xml.match(/Biểu ghi mẫu \(demo\)/g)?.length ?? 0));
    expect(xml).toContain('Địa chí tỉnh Vĩnh Long');
  });

  test('without JavaScript the import form still posts and shows its report', async () => {
    const context = await browser.newContext({ baseURL: server.url, viewport: phone, locale: 'vi-VN', javaScriptEnabled: false });
    contexts.push(context);
    const page = await context.newPage();
    await logIn(page, demo.librarian);
    await page.goto('/catalogue/import');
    await page.getByLabel('Thư viện').selectOption({ label: 'Thư viện tỉnh Vĩnh Long (TV-86)' });
    await page.getByLabel('Tệp MARC').setInputFiles(fixture);
    await page.getByRole('button', { name: 'Nhập' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Kết quả nhập' }).count()).toBe(1);
    expect(await page.locator('#upload-progress').isHidden()).toBe(true);
  });

  test('a librarian catalogues a record with the quick form, then deletes it through the confirmation page', async () => {
    const staff = await visitor();
    await logIn(staff, demo.librarian);
    await staff.goto('/catalogue/records/new');
    await staff.getByLabel('Thư viện biên mục').selectOption({ label: 'Thư viện tỉnh Vĩnh Long' });
    await staff.getByLabel('Nhan đề', { exact: true }).fill('Biểu ghi nhập nhầm');
    await staff.getByRole('button', { name: 'Lưu biểu ghi' }).click();
    await staff.waitForURL(/\/catalogue\/records\/[0-9a-f-]+\?notice=saved$/);
    const record = new URL(staff.url()).pathname;
    await staff.getByRole('link', { name: 'Xóa biểu ghi', exact: true }).click();
    await staff.waitForURL(new RegExp(`${record}/delete$`));
    await expect.poll(() => staff.getByRole('heading', { name: 'Xóa biểu ghi: Biểu ghi nhập nhầm' }).count()).toBe(1);
    await expectAccessible(staff, 'delete confirmation');
    await screenshot(staff, 'catalogue-delete-phone');
    await staff.getByRole('button', { name: 'Xóa biểu ghi' }).click();
    await staff.waitForURL(/\/catalogue\?notice=deleted$/);
    await expect.poll(() => staff.getByRole('status').getByText('Đã xóa biểu ghi.', { exact: true }).count()).toBe(1);
    expect((await staff.goto(record))?.status()).toBe(404);
  });
});
