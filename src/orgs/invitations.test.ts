import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerUser } from '../platform/auth/service.js';
import type { Db } from '../platform/db/index.js';
import { DomainError } from '../platform/errors.js';
import { translator } from '../platform/i18n/index.js';
import { roleGrants, users } from '../platform/schema.js';
import { sendQueuedMail } from '../platform/testing/mail.js';
import type { OutgoingMessage } from '../platform/outbox/index.js';
import { Browser, createTestApp, signedIn, type TestApp } from '../testing/app.js';
import { acceptInvitation, acceptWithNewAccount, getInvitation, inviteStaff, revokeGrant } from './staff.js';
import { makeActor, makeInstitution } from './testing.js';

let t: TestApp;
let db: Db;
let n = 0;
beforeAll(async () => {
  t = await createTestApp();
  db = t.database.db;
});
afterAll(async () => {
  await t.close();
});

const vi = translator('vi');
const url = 'https://suotdoi.example';
const password = 'cán bộ thư viện mới';
const sent: OutgoingMessage[] = [];

async function tokenSentTo(email: string): Promise<string> {
  sent.push(...(await sendQueuedMail(db)));
  const match = /\/invitations\/([\w-]+)/.exec(sent.filter((m) => m.recipient === email).at(-1)?.bodyText ?? '');
  if (!match?.[1]) throw new Error(`no invitation mailed to ${email}`);
  return match[1];
}

async function failure(p: Promise<unknown>): Promise<string> {
  return p.then(
    () => 'ok',
    (e: unknown) => {
      if (e instanceof DomainError) return `${e.status} ${e.issues[0]?.key ?? e.key}`;
      throw e;
    },
  );
}

/** A manager of a fresh library invites a fresh address to be staff there. */
async function invited() {
  const library = await makeInstitution(db);
  const manager = await makeActor(db, [{ role: 'manager', institution: library }]);
  const email = `moi${++n}@example.vn`;
  await inviteStaff(db, manager, { email, role: 'staff', institutionId: library.id }, url, vi);
  return { library, manager, email, token: await tokenSentTo(email) };
}

const rolesOf = async (userId: string) => db.select().from(roleGrants).where(eq(roleGrants.userId, userId));

describe('an invitation is as good as the inviter’s grant', () => {
  it('dies when the inviter loses the grant that allowed it, with a clear message', async () => {
    const { library, manager, email, token } = await invited();
    const invitee = await makeActor(db, [], email);
    const director = await makeActor(db, [{ role: 'manager', institution: library }]);
    const [managerGrant] = await rolesOf(manager.userId);
    await revokeGrant(db, director, managerGrant?.id ?? '');
    expect((await getInvitation(db, token))?.status).toBe('void');
    expect(await failure(acceptInvitation(db, invitee, token))).toBe('410 orgs.invite.void');
    expect(await failure(acceptWithNewAccount(db, token, { displayName: 'Người mới', password }))).toBe('410 orgs.invite.void');
    expect(await rolesOf(invitee.userId)).toEqual([]);
  });

  it('dies when the inviter’s account is disabled', async () => {
    const { manager, email, token } = await invited();
    await db.update(users).set({ disabledAt: new Date() }).where(eq(users.id, manager.userId));
    expect(await failure(acceptInvitation(db, await makeActor(db, [], email), token))).toBe('410 orgs.invite.void');
  });
});

describe('an invitation is bound to the address it was sent to', () => {
  it('someone who registered the address first, without proving it, gets neither the role nor the address', async () => {
    const { library, email, token } = await invited();
    const squatter = await registerUser(db, { displayName: 'Kẻ chiếm chỗ', email, phone: `09${String(10_000_000 + n).slice(-8)}`, password });
    const made = await acceptWithNewAccount(db, token, { displayName: '  Lê   Thị Mới ', password });
    expect(made.userId).not.toBe(squatter.id);
    const [fresh] = await db.select().from(users).where(eq(users.id, made.userId));
    expect(fresh).toMatchObject({ email, displayName: 'Lê Thị Mới' });
    expect(fresh?.emailVerifiedAt).toBeInstanceOf(Date);
    expect(made.grant).toMatchObject({ role: 'staff', institutionId: library.id });
    const [old] = await db.select().from(users).where(eq(users.id, squatter.id));
    expect(old?.email).toBeNull();
    expect(await rolesOf(squatter.id)).toEqual([]);
  });

  it('an account that proved the address is asked to log in, and accepts', async () => {
    const { email, token } = await invited();
    const owner = await makeActor(db, [], email);
    await db.update(users).set({ emailVerifiedAt: new Date() }).where(eq(users.id, owner.userId));
    expect(await failure(acceptWithNewAccount(db, token, { displayName: 'Người khác', password }))).toBe('409 orgs.invite.haveAccount');
    expect(await failure(acceptInvitation(db, owner, token))).toBe('ok');
  });

  it('a logged-in person with another address cannot take it; the holder of the address who accepts has it verified', async () => {
    const { email, token } = await invited();
    expect(await failure(acceptInvitation(db, await makeActor(db), token))).toBe('403 orgs.invite.otherEmail');
    const holder = await makeActor(db, [], email);
    await acceptInvitation(db, holder, token);
    const [row] = await db.select().from(users).where(eq(users.id, holder.userId));
    expect(row?.emailVerifiedAt).toBeInstanceOf(Date);
  });

  it('the new account follows the password rule and names the fields', async () => {
    const { token } = await invited();
    expect(await failure(acceptWithNewAccount(db, token, { displayName: 'A', password: 'password12' }))).toBe('422 auth.password.common');
    const both = await acceptWithNewAccount(db, token, { displayName: '', password: 'ngắn' }).catch((e: unknown) => e as DomainError);
    expect((both as DomainError).issues.map((i) => `${i.field}:${i.key}`).sort()).toEqual([
      'displayName:errors.required',
      'password:errors.minLength',
    ]);
  });
});

describe('the invitation page', () => {
  it('lets someone without an account create one from the link, signed in with the role', async () => {
    const { library, email, token } = await invited();
    const b = new Browser(t.app);
    const page = await b.get(`/invitations/${token}`);
    expect(page.body).toContain(`/invitations/${token}/account`);
    const bad = await b.post(`/invitations/${token}/account`, { displayName: 'Trần Văn Mới', password: 'qwertyuiop' });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('Mật khẩu này quá phổ biến');
    const res = await b.post(`/invitations/${token}/account`, { displayName: 'Trần Văn Mới', password });
    expect([res.statusCode, res.headers.location]).toEqual([303, `/institutions/${library.id}`]);
    const [user] = await db.select().from(users).where(eq(users.email, email));
    expect(
      (
        await db
          .select()
          .from(roleGrants)
          .where(and(eq(roleGrants.userId, user?.id ?? ''), eq(roleGrants.institutionId, library.id)))
      ).length,
    ).toBe(1);
    expect((await b.get('/account')).statusCode).toBe(200);
  });

  it('sends an anonymous accept to the login page and tells a signed-in person the invitation is void', async () => {
    const { library, manager, email, token } = await invited();
    const accept = await t.app.inject({ method: 'POST', url: `/invitations/${token}`, payload: {} });
    expect([accept.statusCode, accept.headers.location]).toEqual([303, '/login']);
    const director = await makeActor(db, [{ role: 'manager', institution: library }]);
    await revokeGrant(db, director, (await rolesOf(manager.userId))[0]?.id ?? '');
    const b = await signedIn(t.app, db, (await makeActor(db, [], email)).userId);
    expect((await b.get(`/invitations/${token}`)).body).toContain('Lời mời không còn hiệu lực');
    const res = await b.post(`/invitations/${token}`, {});
    expect(res.statusCode).toBe(410);
  });
});

describe('the invitation API', () => {
  it('creates the account from the link and accepts, without a session beforehand', async () => {
    const { library, token } = await invited();
    const b = new Browser(t.app);
    await b.get('/login');
    const res = await b.json('POST', `/api/v1/invitations/${token}/account`, { displayName: 'Phạm Thị API', password });
    expect(res.statusCode).toBe(201);
    expect(JSON.parse(res.body)).toMatchObject({ role: 'staff', institutionId: library.id });
    expect(res.cookies.some((c) => c.name === 'sd_session')).toBe(true);
    const other = new Browser(t.app);
    await other.get('/login');
    const again = await other.json('POST', `/api/v1/invitations/${token}/account`, { displayName: 'X', password });
    expect(again.statusCode).toBe(404);
  });
});
