import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  chromiumAvailable,
  confirmRegistration,
  demo,
  expectAccessible,
  launchBrowser,
  logIn,
  newestMail,
  newVisitor,
  phone,
  screenshot,
  startServer,
  type RunningServer,
} from './support.js';

const staffLogin = 'canbo.thuvien@demo.suotdoi.vn';

function vnDatePlus(days: number): string {
  return new Date(Date.now() + 7 * 3_600_000 + days * 86_400_000).toISOString().slice(0, 10);
}

describe.skipIf(!chromiumAvailable)('programmes journey in Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const stamp = Date.now();
  const title = `Lớp kỹ năng số ${stamp}`;
  const citizens = ['Nguyễn Văn An', 'Lê Thị Bình', 'Trần Văn Cường'].map((name, i) => ({
    name,
    email: `hocvien${i}.${stamp}@example.vn`,
    password: `mat-khau-${i}-dai-du`,
  }));
  let programmeUrl = '';

  async function visitor(): Promise<Page> {
    const context = await newVisitor(browser, server.url, phone);
    contexts.push(context);
    return context.newPage();
  }

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    if (server) await server.stop();
  });

  const pages: Page[] = [];

  test('staff create a class with 2 seats and publish it', async () => {
    const page = await visitor();
    pages[0] = page;
    await logIn(page, staffLogin, demo.password);
    await page.goto('/programmes/manage');
    await expectAccessible(page, 'manage programmes');
    await page.getByRole('link', { name: 'Tạo chương trình' }).click();
    await page.getByLabel('Loại chương trình').selectOption('class');
    await page.getByLabel('Tên', { exact: true }).fill(title);
    await page.getByLabel('Mô tả').fill('Hướng dẫn dùng điện thoại thông minh, Zalo và dịch vụ công trực tuyến.');
    await page.getByLabel('Địa điểm').fill('Phòng đa phương tiện, tầng 2');
    await page.getByLabel('Ngày bắt đầu').fill(vnDatePlus(7));
    await page.getByLabel('Giờ bắt đầu').fill('09:00');
    await page.getByLabel('Giờ kết thúc').fill('10:30');
    await page.locator('#f-repeat').selectOption('weekly');
    await page.getByLabel('Lặp lại đến ngày').fill(vnDatePlus(35));
    await page.getByLabel('Số chỗ').fill('2');
    await page.getByLabel('Kỹ năng số', { exact: true }).check();
    await page.getByLabel('Người cao tuổi', { exact: true }).check();
    await expectAccessible(page, 'programme form');
    await screenshot(page, 'programmes-form-phone');
    await page.getByRole('button', { name: 'Lưu bản nháp' }).click();
    await page.waitForURL(/\/programmes\/[0-9a-f-]{36}\?notice=created/);
    programmeUrl = new URL(page.url()).pathname;
    await page.getByRole('button', { name: 'Công bố' }).click();
    await page.waitForURL(/notice=published/);
    expect(await page.locator('h1').textContent()).toBe(title);
    await expectAccessible(page, 'programme page (staff)');
  });

  test('three citizens register; the third is waitlisted', async () => {
    for (const [i, c] of citizens.entries()) {
      const page = await visitor();
      pages[i + 1] = page;
      await page.goto('/register');
      await page.getByLabel('Họ và tên').fill(c.name);
      await page.getByLabel('Email').fill(c.email);
      await page.getByLabel('Mật khẩu').fill(c.password);
      const registeredAt = Date.now();
      await page.getByRole('button', { name: 'Tạo tài khoản' }).click();
      await confirmRegistration(page, server.dataDir, c.email, registeredAt);
      await page.waitForURL((u) => !u.pathname.startsWith('/register'));
      await page.goto(`/programmes?q=${encodeURIComponent('ky nang so')}`);
      await page.getByRole('link', { name: title }).click();
      if (i === 0) {
        await expectAccessible(page, 'programme page (citizen)');
        await screenshot(page, 'programmes-detail-phone');
      }
      await page.getByRole('button', { name: i < 2 ? 'Đăng ký' : 'Đăng ký chờ chỗ', exact: true }).click();
      await page.waitForURL(new RegExp(`notice=${i < 2 ? 'registered' : 'waitlisted'}`));
    }
    const third = pages[3]!;
    expect(await third.locator('main').textContent()).toContain('vị trí 1 trong danh sách chờ');
  });

  test('one cancels and the third is promoted and told', async () => {
    const since = Date.now();
    const first = pages[1]!;
    await first.goto('/my/programmes');
    await expectAccessible(first, 'my programmes');
    await first.getByRole('button', { name: 'Hủy đăng ký' }).click();
    await first.waitForURL(/notice=cancelled/);
    await expect
      .poll(async () => (await newestMail(server.dataDir, citizens[2]!.email, since)).subject, { timeout: 20_000 })
      .toContain('Bạn đã có chỗ');
    const third = pages[3]!;
    await third.goto('/my/programmes');
    expect(await third.locator('main').textContent()).toContain('Đã có chỗ');
    await screenshot(third, 'programmes-my-phone');
  });

  test('staff check one in on the QR code page', async () => {
    const second = pages[2]!;
    await second.goto('/my/programmes');
    const code = (await second.locator('figcaption code').first().textContent()) ?? '';
    expect(code).toMatch(/^[A-Z0-9]{10}$/);
    const staff = pages[0]!;
    await staff.goto(`${programmeUrl}/registrations`);
    await expectAccessible(staff, 'registrations');
    expect(await staff.locator('main').textContent()).toContain(citizens[2]!.name);
    await staff.getByRole('link', { name: 'Điểm danh' }).first().click();
    await expectAccessible(staff, 'attendance page');
    await screenshot(staff, 'programmes-attendance-phone');
    await staff.getByLabel('Mã đăng ký').fill(code);
    await staff.getByRole('button', { name: 'Điểm danh', exact: true }).click();
    await staff.waitForURL(/notice=checkedIn/);
    expect(await staff.getByRole('status').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining(citizens[1]!.name)]));
    expect(await staff.locator(`input[type=checkbox]:checked`).count()).toBe(1);
  });

  test('the calendar and the .ics feed show the class', async () => {
    const page = await visitor();
    await page.goto(`/calendar?view=list&date=${vnDatePlus(7)}`);
    expect(await page.locator('main').textContent()).toContain(title);
    await expectAccessible(page, 'calendar (list)');
    await page.goto(`/calendar?view=month&date=${vnDatePlus(7)}`);
    expect(await page.locator('main').textContent()).toContain(title);
    await expectAccessible(page, 'calendar (month)');
    await screenshot(page, 'programmes-calendar-month-phone');
    const feed = await page.request.get('/calendar/feed.ics');
    expect(feed.headers()['content-type']).toContain('text/calendar');
    const body = await feed.text();
    expect(body).toContain('BEGIN:VCALENDAR');
    expect(body.replace(/\r\n /g, '')).toContain(`SUMMARY:${title}`);
  });

  test('the search and statistics pages are accessible on a phone', async () => {
    const page = await visitor();
    await page.goto(`/programmes?q=${encodeURIComponent('kỹ năng số')}&topic=digital_skills`);
    expect(await page.locator('main').textContent()).toContain(title);
    await expectAccessible(page, 'programme search');
    await screenshot(page, 'programmes-search-phone');
    const staff = pages[0]!;
    await staff.goto(`/programmes/stats?from=${vnDatePlus(0)}&to=${vnDatePlus(40)}`);
    expect(await staff.locator('main').textContent()).toContain('Thư viện tỉnh Vĩnh Long');
    await expectAccessible(staff, 'statistics');
    await screenshot(staff, 'programmes-stats-phone');
    const csv = await staff.request.get('/programmes/stats.csv');
    expect(csv.headers()['content-type']).toContain('text/csv');
  });
});
