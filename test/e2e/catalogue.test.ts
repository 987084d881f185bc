import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  chromiumAvailable, demo, expectAccessible, launchBrowser, newVisitor, phone, repoRoot, screenshot, startServer, type RunningServer,
} from './support.js';

const librarian = 'canbo.thuvien@demo.suotdoi.vn';
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

  test('a librarian imports MARC; a citizen finds it without marks, narrows by a facet and sees the holding', async () => {
    const staff = await visitor();
    await staff.goto('/login');
    await staff.getByLabel('Email hoặc số điện thoại').fill(librarian);
    await staff.getByLabel('Mật khẩu').fill(demo.password);
    await staff.getByRole('button', { name: 'Đăng nhập' }).click();
    await staff.waitForURL((u) => !u.pathname.startsWith('/login'));
    await staff.goto('/catalogue/import');
    await expectAccessible(staff, 'import form');
    await staff.getByLabel('Thư viện').selectOption({ label: 'Thư viện tỉnh Vĩnh Long (TV-86)' });
    await staff.getByLabel('Tệp MARC').setInputFiles(fixture);
    await staff.getByRole('button', { name: 'Nhập' }).click();
    await expect.poll(() => staff.getByText('Thêm mới: 5').count()).toBe(1);
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
    await expectAccessible(citizen, 'record page');
    await screenshot(citizen, 'catalogue-record-phone');
  });
});
