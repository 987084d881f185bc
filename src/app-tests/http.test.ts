import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roleGrants, users } from '../platform/schema.js';
import { Browser, createTestApp, type TestApp } from '../testing/app.js';
import { sendQueuedMail } from '../platform/testing/mail.js';
import { eq } from 'drizzle-orm';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

/** The link of the newest message to the address, once the outbox has been handed to the transport. */
async function linkSentTo(recipient: string, path: string): Promise<string> {
  t.sent.push(...(await sendQueuedMail(t.database.db)));
  const body = t.sent.filter((m) => m.recipient === recipient).at(-1)?.bodyText ?? '';
  return new RegExp(`${path}/[\\w-]+`).exec(body)?.[0] ?? '';
}

/** Registers through the pages, following the mailed link; returns the signed-in browser and the last answer. */
async function registerThroughLink(b: Browser, form: Record<string, string>, recipient: string) {
  await b.get('/register');
  const asked = await b.post('/register', form);
  expect([asked.statusCode, asked.headers.location]).toEqual([303, '/register/sent']);
  const link = await linkSentTo(recipient, '/register/confirm');
  expect((await b.get(link)).statusCode).toBe(200);
  return b.post(link, {});
}

async function registered(email: string, password = 'mật khẩu 123'): Promise<Browser> {
  const b = new Browser(t.app);
  const res = await registerThroughLink(b, { displayName: 'Người Học', email, password }, email);
  expect(res.statusCode).toBe(303);
  return b;
}

describe('pages', () => {
  it('serves the home page in Vietnamese with security headers', async () => {
    const res = await new Browser(t.app).get('/');
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatch(/^<!doctype html><html lang="vi">/);
    expect(res.body).toContain('Học tập suốt đời');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.body).not.toContain('<script>');
  });

  it('switches to English and remembers it', async () => {
    const b = new Browser(t.app);
    const res = await b.get('/?lang=en');
    expect(res.body).toContain('<html lang="en">');
    expect((await b.get('/')).body).toContain('Lifelong learning for everyone');
    expect((await new Browser(t.app).get('/', { 'accept-language': 'en-US,en;q=0.9' })).body).toContain('<html lang="vi">');
  });

  it('answers unknown pages with a Vietnamese 404 page and the API with JSON', async () => {
    const page = await new Browser(t.app).get('/khong-co');
    expect(page.statusCode).toBe(404);
    expect(page.body).toContain('Không tìm thấy trang');
    const api = await new Browser(t.app).get('/api/v1/khong-co', { accept: 'application/json' });
    expect(api.statusCode).toBe(404);
    expect(api.json()).toMatchObject({ error: { code: 'not_found' } });
  });

  it('serves assets with caching', async () => {
    const css = await new Browser(t.app).get('/assets/site.css');
    expect(css.statusCode).toBe(200);
    expect(css.headers['cache-control']).toContain('max-age');
    expect((await new Browser(t.app).get('/assets/htmx.min.js')).statusCode).toBe(200);
    expect((await new Browser(t.app).get('/assets/../package.json')).statusCode).toBe(404);
  });
});

describe('registration and login through the pages', () => {
  it('registers, sets a safe session cookie, logs out and in again', async () => {
    const b = new Browser(t.app);
    const res = await registerThroughLink(b, { displayName: 'Phạm Văn Học', email: 'hoc@example.vn', password: 'mật khẩu 123' }, 'hoc@example.vn');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/account?notice=welcome');
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/sd_session=[^;]+;.*HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect((await b.get('/account?notice=welcome')).body).toContain('Phạm Văn Học');
    expect((await b.post('/logout', {})).headers.location).toBe('/login?notice=loggedOut');
    expect((await b.get('/account')).statusCode).toBe(401);
    await b.get('/login');
    const again = await b.post('/login', { identifier: 'hoc@example.vn', password: 'mật khẩu 123' });
    expect(again.statusCode).toBe(303);
  });

  it('answers a taken address exactly as a new one, mails its owner instead, and makes nothing', async () => {
    await registered('daco@example.vn');
    const before = (await t.database.db.select().from(users)).length;
    const answers = [];
    for (const email of ['daco@example.vn', 'moi-tinh@example.vn']) {
      const b = new Browser(t.app);
      await b.get('/register');
      const res = await b.post('/register', { displayName: 'Ai Đó', email, password: 'mật khẩu khác hẳn' });
      answers.push([res.statusCode, res.headers.location, String(res.headers['set-cookie'] ?? '').includes('sd_session')]);
    }
    expect(answers[0]).toEqual([303, '/register/sent', false]);
    expect(answers[1]).toEqual(answers[0]);
    expect((await t.database.db.select().from(users)).length).toBe(before);
    expect(await linkSentTo('daco@example.vn', '/register/confirm')).toBe('');
    expect(t.sent.filter((m) => m.recipient === 'daco@example.vn').at(-1)?.subject).toBe('Có người định đăng ký bằng địa chỉ của bạn');
    expect(await linkSentTo('moi-tinh@example.vn', '/register/confirm')).not.toBe('');
    const api = new Browser(t.app);
    await api.get('/login');
    const taken = await api.json('POST', '/api/v1/auth/register', { displayName: 'Ai Đó', email: 'daco@example.vn', password: 'mật khẩu khác hẳn' });
    expect([taken.statusCode, taken.body]).toEqual([202, '{"sent":true}']);
  });

  it('makes the account once from the link, with the address verified; a used or made-up link is 404', async () => {
    const b = new Browser(t.app);
    await b.get('/register');
    await b.post('/register', { displayName: 'Một Lần', email: 'mot-lan@example.vn', password: 'mật khẩu một lần', next: '/programmes' });
    const link = await linkSentTo('mot-lan@example.vn', '/register/confirm');
    await b.get(link);
    expect((await b.post(link, {})).headers.location).toBe('/programmes');
    const [u] = await t.database.db.select().from(users).where(eq(users.email, 'mot-lan@example.vn'));
    expect(u?.emailVerifiedAt).toBeInstanceOf(Date);
    expect((await new Browser(t.app).get(link)).statusCode).toBe(404);
    expect((await new Browser(t.app).get('/register/confirm/khong-co-that-dau')).statusCode).toBe(404);
  });

  it('shows the form again with the errors and the values typed', async () => {
    const b = new Browser(t.app);
    await b.get('/register');
    const res = await b.post('/register', { displayName: 'Trần "An" <b>', email: 'không-phải-email', password: '1' });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('error-summary');
    expect(res.body).toContain('Địa chỉ email không hợp lệ');
    expect(res.body).toContain('Cần ít nhất 10 ký tự');
    expect(res.body).toContain('value="Trần &quot;An&quot; &lt;b>"');
  });

  it('says a wrong password plainly', async () => {
    const b = new Browser(t.app);
    await b.get('/login');
    const res = await b.post('/login', { identifier: 'nobody@example.vn', password: 'xxxxxxxx' });
    expect(res.statusCode).toBe(401);
    expect(res.body).toContain('Email/số điện thoại hoặc mật khẩu không đúng');
  });

  it('refuses a form without the CSRF token', async () => {
    const b = new Browser(t.app);
    await b.get('/register');
    const res = await b.post('/register', { displayName: 'X', email: 'csrf@example.vn', password: '12345678' }, { csrf: false });
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain('Phiên làm việc của biểu mẫu đã hết hạn');
  });

  it('resets a forgotten password with the mailed link', async () => {
    await registered('quen@example.vn');
    const b = new Browser(t.app);
    await b.get('/forgot-password');
    expect((await b.post('/forgot-password', { identifier: 'quen@example.vn' })).body).toContain('đã được gửi');
    t.sent.push(...(await sendQueuedMail(t.database.db)));
    const link = /\/reset-password\/[\w-]+/.exec(t.sent.at(-1)?.bodyText ?? '')?.[0] ?? '';
    expect(link).not.toBe('');
    await b.get(link);
    expect((await b.post(link, { password: 'mới tinh 123' })).headers.location).toBe('/login?notice=reset');
    expect((await b.post('/login', { identifier: 'quen@example.vn', password: 'mới tinh 123' })).statusCode).toBe(303);
    expect((await b.get(link)).statusCode).toBe(404);
  });

  it('rate-limits repeated logins', async () => {
    const b = new Browser(t.app);
    await b.get('/login');
    const codes: number[] = [];
    for (let i = 0; i < 12; i++) codes.push((await b.post('/login', { identifier: 'x@example.vn', password: 'y' })).statusCode);
    expect(codes).toContain(429);
  });
});

describe('JSON API', () => {
  it('is described in OpenAPI and readable at /api/docs', async () => {
    const spec = (await new Browser(t.app).get('/api/openapi.json')).json<{ paths: Record<string, unknown> }>();
    for (const p of ['/api/v1/auth/register', '/api/v1/auth/login', '/api/v1/me', '/api/v1/tokens', '/api/v1/audit'])
      expect(spec.paths).toHaveProperty([p]);
    expect((await new Browser(t.app).get('/api/docs/')).statusCode).toBe(200);
  });

  it('names the fields of a bad body and never answers 500', async () => {
    const b = new Browser(t.app);
    await b.get('/api/v1/auth/csrf');
    const res = await b.json('POST', '/api/v1/auth/register', { displayName: { first: 'An' }, password: 'x', extra: true });
    expect(res.statusCode).toBe(400);
    const fields = res.json<{ error: { issues: { field: string }[] } }>().error.issues.map((i) => i.field);
    expect(fields).toEqual(expect.arrayContaining(['displayName', 'password']));
    for (const payload of [undefined, 'null', '[]', '{"displayName":"' + 'x'.repeat(10_000) + '"}']) {
      const r = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/register',
        payload,
        headers: { 'content-type': 'application/json', cookie: `sd_csrf=${b.csrf}`, 'x-csrf-token': b.csrf },
      });
      expect(r.statusCode).toBeGreaterThanOrEqual(400);
      expect(r.statusCode).toBeLessThan(500);
    }
  });

  it('refuses a body over the limit', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/register',
      payload: `{"displayName":"${'x'.repeat(2 * 1024 * 1024)}"}`,
      headers: { 'content-type': 'application/json' },
    });
    expect(res.statusCode).toBe(413);
  });

  it('lets a staff member make a token that a machine then uses, until revoked', async () => {
    const b = await registered('canbo@example.vn');
    const [u] = await t.database.db.select().from(users).where(eq(users.email, 'canbo@example.vn'));
    await t.database.db.insert(roleGrants).values({ userId: u!.id, role: 'sysadmin' });
    await b.get('/account');
    const made = await b.json('POST', '/api/v1/tokens', { name: 'Trường THPT Lưu Văn Liệt', scopes: ['read'] });
    expect(made.statusCode).toBe(201);
    const { token, info } = made.json<{ token: string; info: { id: string } }>();
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } });
    expect(me.json()).toMatchObject({ grants: [{ role: 'sysadmin' }] });
    expect((await b.json('DELETE', `/api/v1/tokens/${info.id}`)).statusCode).toBe(204);
    const after = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } });
    expect(after.statusCode).toBe(401);
  });

  it('keeps the audit log from learners and anonymous visitors', async () => {
    expect((await new Browser(t.app).get('/audit')).statusCode).toBe(401);
    const learner = await registered('hocvien@example.vn');
    expect((await learner.get('/audit')).statusCode).toBe(403);
    expect((await learner.json('GET', '/api/v1/audit')).statusCode).toBe(403);
  });
});
