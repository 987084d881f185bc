import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  chromiumAvailable,
  confirmRegistration,
  demo,
  desktop,
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

describe.skipIf(!chromiumAvailable)('foundation journey in Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  const learner = {
    name: 'Trần Văn Học',
    email: `hocvien.${Date.now()}@example.vn`,
    password: 'mat-khau-dau-tien',
    newPassword: 'mat-khau-moi-2025',
  };

  async function visitor(viewport: { width: number; height: number }, locale?: string): Promise<Page> {
    const context = await newVisitor(browser, server.url, viewport, locale);
    contexts.push(context);
    return context.newPage();
  }

  beforeAll(async () => {
    server = await startServer('foundation-server');
    browser = await launchBrowser();
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    if (!server) return;
    const exit = await server.stop();
    expect(exit, `the server should stop cleanly on SIGTERM; it printed:\n${server.output()}`).toEqual({ code: 0, signal: null });
  });

  test('the server starts on a fresh data folder and prints the demo logins', () => {
    expect(server.output()).toContain(demo.sysadmin);
    expect(server.output()).toContain(demo.password);
  });

  test('the home page is in Vietnamese, even for an English browser, and switches to English and back', async () => {
    const page = await visitor(phone, 'en-US');
    await page.goto('/');
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('vi');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Học tập suốt đời cho mọi người');
    expect(await page.locator('main').textContent()).toContain('thư viện, bảo tàng và trung tâm văn hóa');
    await expectAccessible(page, 'home page (vi, phone)');
    await screenshot(page, 'home-vi-phone');

    await page.getByRole('link', { name: 'English' }).click();
    await page.waitForURL(/lang=en/);
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Lifelong learning for everyone');
    await expectAccessible(page, 'home page (en, phone)');
    await screenshot(page, 'home-en-phone');

    await page.getByRole('link', { name: 'Tiếng Việt' }).click();
    await page.waitForURL(/lang=vi/);
    expect(await page.locator('html').getAttribute('lang')).toBe('vi');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Học tập suốt đời cho mọi người');
  });

  test('an unknown address shows a 404 page in Vietnamese', async () => {
    const page = await visitor(phone);
    const response = await page.goto('/khong-co-trang-nay');
    expect(response?.status()).toBe(404);
    expect(await page.locator('html').getAttribute('lang')).toBe('vi');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Không tìm thấy trang hoặc mục này');
    await expect.poll(() => page.getByRole('link', { name: 'Quay lại trang chủ' }).count()).toBe(1);
    await expectAccessible(page, '404 page');
    await screenshot(page, 'not-found-phone');
  });

  test('a learner registers, logs out, logs in, resets a forgotten password and logs in with it', async () => {
    const page = await visitor(phone);
    await page.goto('/');
    await page.getByRole('link', { name: 'Đăng ký' }).click();
    await page.waitForURL('**/register');
    await expectAccessible(page, 'register page');
    await screenshot(page, 'register-phone');
    await page.getByLabel('Họ và tên').fill(learner.name);
    await page.getByLabel('Email').fill(learner.email);
    await page.getByLabel('Mật khẩu').fill(learner.password);
    const registeredAt = Date.now();
    await page.getByRole('button', { name: 'Tạo tài khoản' }).click();
    await confirmRegistration(page, server.dataDir, learner.email, registeredAt);

    await page.waitForURL('**/account?notice=welcome');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Tài khoản của tôi');
    expect(await page.getByRole('status').textContent()).toContain(learner.name);
    await expectAccessible(page, 'account page');
    await screenshot(page, 'account-phone');

    await page.getByRole('button', { name: 'Đăng xuất' }).click();
    await page.waitForURL('**/login?notice=loggedOut');
    expect(await page.getByRole('status').textContent()).toContain('Bạn đã đăng xuất.');
    await expectAccessible(page, 'login page after logout');
    await expect.poll(() => page.getByRole('button', { name: 'Đăng xuất' }).count()).toBe(0);

    await logIn(page, learner.email, learner.password);
    await page.waitForURL('**/account');
    expect(await page.getByRole('link', { name: learner.name }).count()).toBe(1);
    await page.getByRole('button', { name: 'Đăng xuất' }).click();
    await page.waitForURL('**/login?notice=loggedOut');

    await page.getByRole('link', { name: 'Quên mật khẩu?' }).click();
    await page.waitForURL('**/forgot-password');
    await expectAccessible(page, 'forgotten password page');
    await page.getByLabel('Email hoặc số điện thoại').fill(learner.email);
    const asked = Date.now();
    await page.getByRole('button', { name: 'Gửi đường dẫn' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('đường dẫn đặt lại mật khẩu đã được gửi');

    const mail = await newestMail(server.dataDir, learner.email, asked);
    expect(mail.subject).toBe('Đặt lại mật khẩu Suốt đời');
    const link = /https?:\/\/\S+\/reset-password\/\S+/.exec(mail.body)?.[0];
    expect(link, `a reset link in the message:\n${mail.body}`).toBeDefined();
    await page.goto(link ?? '');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Đặt mật khẩu mới');
    await expectAccessible(page, 'reset password page');
    await page.getByLabel('Mật khẩu mới').fill(learner.newPassword);
    await page.getByRole('button', { name: 'Đặt mật khẩu' }).click();
    await page.waitForURL('**/login?notice=reset');
    expect(await page.getByRole('status').textContent()).toContain('Đã đặt mật khẩu mới.');

    await logIn(page, learner.email, learner.newPassword);
    await page.waitForURL('**/account');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Tài khoản của tôi');

    const reused = await page.goto(link ?? '');
    expect(reused?.status()).toBe(404);
  });

  test('a wrong password shows the error summary', async () => {
    const page = await visitor(phone);
    await page.goto('/login');
    await page.getByLabel('Email hoặc số điện thoại').fill(learner.email);
    await page.getByLabel('Mật khẩu').fill(learner.password);
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/login') && r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Đăng nhập' }).click(),
    ]);
    expect(response.status()).toBe(401);
    const summary = page.getByRole('alert');
    await expect.poll(() => summary.getByRole('heading').textContent()).toBe('Cần sửa những điều sau');
    expect(await summary.getByRole('link').textContent()).toBe('Email/số điện thoại hoặc mật khẩu không đúng');
    await expect.poll(() => page.locator('[role=alert]:focus').count()).toBe(1);
    expect(await page.getByLabel('Email hoặc số điện thoại').inputValue()).toBe(learner.email);
    await expectAccessible(page, 'login page with an error');
    await screenshot(page, 'login-error-phone');
  });

  describe('the system administrator', () => {
    let page: Page;
    const newPhone = '0270 3822 468';
    const newAddress = 'Số 2 Hoàng Thái Hiếu (thử nghiệm)';

    const menu = () => page.getByRole('navigation', { name: 'Trình đơn' });
    const summaryValue = (label: string) => page.locator('.summary-list__row', { has: page.locator('dt', { hasText: label }) }).locator('dd');

    beforeAll(async () => {
      page = await visitor(desktop);
      await logIn(page, demo.sysadmin, demo.password);
      await page.waitForURL('**/account');
    });

    test('browses the administrative units: filters, opens a district, its communes and their successors', async () => {
      await menu().getByRole('link', { name: 'Đơn vị hành chính', exact: true }).click();
      await page.waitForURL('**/units');
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Đơn vị hành chính');
      await expectAccessible(page, 'units list');
      await screenshot(page, 'units-desktop');

      await page.getByLabel('Tên hoặc mã').fill('vinh long');
      await page.getByLabel(/^Cấp/).selectOption({ label: 'Cấp huyện' });
      await page.getByLabel('Mọi thời kỳ, kể cả đơn vị đã hết hiệu lực').check();
      await page.getByRole('button', { name: 'Lọc' }).click();
      await page.waitForURL(/level=district/);
      const rows = page.getByRole('table').getByRole('row');
      await expect.poll(() => rows.count()).toBeGreaterThan(1);
      for (const level of await page.getByRole('table').locator('tbody tr td:nth-child(4)').allTextContents()) expect(level).toBe('Cấp huyện');
      await expectAccessible(page, 'units list, filtered');
      await screenshot(page, 'units-filtered-desktop');

      await page.getByRole('table').getByRole('link', { name: 'Thành phố Vĩnh Long', exact: true }).first().click();
      await page.waitForURL(/\/units\/[0-9a-f-]{36}$/);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('Thành phố Vĩnh Long');
      expect(await summaryValue('Mã').textContent()).toBe('855');
      const children = page.locator('ul.tree');
      expect(await page.getByRole('heading', { level: 2, name: /^Đơn vị trực thuộc \(\d+\)$/ }).count()).toBe(1);
      await expect.poll(() => children.getByRole('link').count()).toBeGreaterThan(0);
      await expectAccessible(page, 'a district');
      await screenshot(page, 'unit-district-desktop');

      await children.getByRole('link', { name: 'Phường 9', exact: true }).click();
      await page.waitForURL(/\/units\/[0-9a-f-]{36}$/);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('Phường 9');
      const successors = page.locator('h2:text-is("Sáp nhập vào") + ul').getByRole('link');
      await expect.poll(() => successors.count()).toBeGreaterThan(0);
      const successor = (await successors.first().textContent()) ?? '';
      await expectAccessible(page, 'a commune of 2023');
      await successors.first().click();
      await page.waitForURL(/\/units\/[0-9a-f-]{36}$/);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain(successor);
      expect(await page.locator('h2:text-is("Hình thành từ") + ul').getByRole('link', { name: 'Phường 9', exact: true }).count()).toBe(1);
      await expectAccessible(page, 'a commune of 2025');
      await screenshot(page, 'unit-successor-desktop');
    });

    test('browses the institutions: filters by type and opens one', async () => {
      await menu().getByRole('link', { name: 'Thiết chế', exact: true }).click();
      await page.waitForURL('**/institutions');
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Thiết chế văn hóa, thư viện, bảo tàng');
      await expectAccessible(page, 'institutions list');
      await screenshot(page, 'institutions-desktop');

      await page.getByLabel('Loại thiết chế').selectOption({ label: 'Thư viện cấp huyện' });
      await page.getByRole('button', { name: 'Lọc' }).click();
      await page.waitForURL(/type=library_district/);
      const types = await page.getByRole('table').locator('tbody tr td:nth-child(2)').allTextContents();
      expect(types.length).toBeGreaterThanOrEqual(8);
      for (const type of types) expect(type).toBe('Thư viện cấp huyện');
      expect(await page.getByRole('table').getByRole('link', { name: 'Thư viện huyện Long Hồ' }).count()).toBe(1);

      await page.getByLabel('Loại thiết chế').selectOption({ label: 'Thư viện cấp tỉnh' });
      await page.getByRole('button', { name: 'Lọc' }).click();
      await page.waitForURL(/type=library_provincial/);
      await page.getByRole('table').getByRole('link', { name: 'Thư viện tỉnh Vĩnh Long' }).click();
      await page.waitForURL(/\/institutions\/[0-9a-f-]{36}$/);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Thư viện tỉnh Vĩnh Long');
      expect(await summaryValue('Mã thiết chế').textContent()).toBe('TV-86');
      expect(await summaryValue('Loại thiết chế').textContent()).toBe('Thư viện cấp tỉnh');
      await expectAccessible(page, 'an institution');
      await screenshot(page, 'institution-desktop');
    });

    test('edits the institution and sees the change on its page', async () => {
      const institutionUrl = page.url().replace(/\?.*$/, '');
      await page.getByRole('link', { name: 'Sửa', exact: true }).click();
      await page.waitForURL(/\/edit$/);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Sửa Thư viện tỉnh Vĩnh Long');
      await expectAccessible(page, 'institution edit form');
      await screenshot(page, 'institution-edit-desktop');

      await page.getByLabel('Điện thoại').fill(newPhone);
      await page.getByLabel('Địa chỉ').fill(newAddress);
      await page.getByRole('button', { name: 'Lưu' }).click();
      await page.waitForURL(`${institutionUrl}?saved=1`);
      expect(await page.getByRole('status').textContent()).toContain('Đã lưu.');
      expect(await summaryValue('Điện thoại').textContent()).toBe(newPhone);
      expect(await summaryValue('Địa chỉ').textContent()).toBe(newAddress);
      await expectAccessible(page, 'institution after saving');
    });

    test('finds the edit in the audit log: who, what, before and after', async () => {
      await menu().getByRole('link', { name: 'Nhật ký thao tác', exact: true }).click();
      await page.waitForURL('**/audit');
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Nhật ký thao tác');
      await page.getByLabel('Người thực hiện').fill(demo.sysadmin);
      await page.getByLabel('Đối tượng').selectOption({ label: 'Thiết chế' });
      await page.getByRole('button', { name: 'Lọc' }).click();
      await page.waitForURL(/entityType=institution/);

      const entries = page.locator('ol.audit-list > li');
      await expect.poll(() => entries.count()).toBe(1);
      const entry = entries.first();
      const head = (await entry.locator('.audit-entry__head').textContent()) ?? '';
      expect(head).toContain('Sửa');
      expect(head).toContain('Thiết chế');
      expect(head).toContain('Thư viện tỉnh Vĩnh Long');
      expect(await entry.locator('.audit-entry__meta').textContent()).toContain(demo.sysadmin);
      const changes = await entry.locator('ul.changes > li').allTextContents();
      expect(changes.some((c) => c.includes(newPhone))).toBe(true);
      expect(changes.some((c) => c.includes(newAddress))).toBe(true);
      await expectAccessible(page, 'audit log');
      await screenshot(page, 'audit-desktop');
    });
  });

  describe('a district officer of TP Vĩnh Long', () => {
    let page: Page;

    async function openInstitution(name: string): Promise<string> {
      await page.goto('/institutions');
      await page.getByLabel('Tên hoặc mã').fill(name);
      await page.getByRole('button', { name: 'Lọc' }).click();
      await page.waitForURL(/q=/);
      await page.getByRole('table').getByRole('link', { name, exact: true }).click();
      await page.waitForURL(/\/institutions\/[0-9a-f-]{36}$/);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(name);
      return page.url();
    }

    beforeAll(async () => {
      page = await visitor(phone);
      await logIn(page, demo.districtOfficer, demo.password);
      await page.waitForURL('**/account');
    });

    test('may edit an institution of their own district', async () => {
      await openInstitution('Thư viện thành phố Vĩnh Long');
      expect(await page.getByRole('link', { name: 'Sửa', exact: true }).count()).toBe(1);
    });

    test('sees no edit link on another district’s institution, and a direct write is refused', async () => {
      const url = await openInstitution('Thư viện huyện Long Hồ');
      expect(await page.getByRole('link', { name: 'Sửa', exact: true }).count()).toBe(0);
      await expectAccessible(page, 'another district’s institution (phone)');
      await screenshot(page, 'institution-other-district-phone');
      const addressBefore = await page
        .locator('.summary-list__row', { has: page.locator('dt', { hasText: 'Địa chỉ' }) })
        .locator('dd')
        .textContent();

      const form = await page.goto(`${url}/edit`);
      expect(form?.status()).toBe(403);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Bạn không có quyền làm việc này');
      await expectAccessible(page, '403 page');
      await screenshot(page, 'forbidden-phone');

      const csrf = await page.locator('input[name=_csrf]').first().inputValue();
      const write = await page.request.post(url, {
        form: {
          _csrf: csrf,
          code: 'TV-857',
          name: 'Thư viện huyện Long Hồ (sửa trái phép)',
          type: 'library_district',
          unitCode: '857',
          address: 'Không được ghi',
        },
        maxRedirects: 0,
      });
      expect(write.status()).toBe(403);
      expect(await write.text()).toContain('Bạn không có quyền làm việc này');

      await page.goto(url);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Thư viện huyện Long Hồ');
      expect(
        await page
          .locator('.summary-list__row', { has: page.locator('dt', { hasText: 'Địa chỉ' }) })
          .locator('dd')
          .textContent(),
      ).toBe(addressBefore);
    });
  });
});
