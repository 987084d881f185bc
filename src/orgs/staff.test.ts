import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../platform/access.js';
import type { Database, Db } from '../platform/db/index.js';
import { DomainError } from '../platform/errors.js';
import { translator } from '../platform/i18n/index.js';
import { invitations, roleGrants } from '../platform/schema.js';
import { queuedMail, sendQueuedMail } from '../platform/testing/mail.js';
import { createTestDatabase } from '../platform/testing/db.js';
import { acceptInvitation, getInvitation, inviteStaff, listStaff, revokeGrant } from './staff.js';
import { makeActor, makeInstitution, makeUnit } from './testing.js';

let database: Database;
let db: Db;
beforeAll(async () => {
  database = await createTestDatabase();
  db = database.db;
});
afterAll(() => database.close());

const t = translator('vi');
const url = 'https://suotdoi.example';

async function tokenSentTo(email: string): Promise<string> {
  const mail = (await sendQueuedMail(db)).find((m) => m.recipient === email);
  const match = /\/invitations\/([\w-]+)/.exec(mail?.bodyText ?? '');
  if (!match?.[1]) throw new Error(`no invitation mailed to ${email}`);
  return match[1];
}

async function status(p: Promise<unknown>): Promise<number | 'ok'> {
  return p.then(
    () => 'ok' as const,
    (e: unknown) => {
      if (e instanceof DomainError) return e.status;
      throw e;
    },
  );
}

describe('staff invitations', () => {
  it('mails a link, and the invited person takes the role once, with their own address', async () => {
    const library = await makeInstitution(db);
    const manager = await makeActor(db, [{ role: 'manager', institution: library }]);
    const invitation = await inviteStaff(db, manager, { email: 'Moi.Nguoi@Example.org', role: 'staff', institutionId: library.id }, url, t);
    expect(invitation).toMatchObject({ email: 'moi.nguoi@example.org', role: 'staff', institutionId: library.id, unitId: null });
    expect(invitation.expiresAt.getTime() - Date.now()).toBeGreaterThan(6.9 * 86_400_000);
    const [mail] = await queuedMail(db, 'moi.nguoi@example.org');
    expect(mail?.subject).toContain(library.name);
    expect(mail?.bodyText).not.toContain(`${url}/invitations/`);
    const token = await tokenSentTo('moi.nguoi@example.org');
    const [stored] = await db.select().from(invitations).where(eq(invitations.id, invitation.id));
    expect(stored?.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored?.tokenHash).not.toContain(token);
    expect((await getInvitation(db, token))?.status).toBe('open');

    const stranger = await makeActor(db, [], 'someone.else@example.org');
    expect(await status(acceptInvitation(db, stranger, token))).toBe(403);
    const invitee = await makeActor(db, [], 'moi.nguoi@example.org');
    const grant = await acceptInvitation(db, invitee, token);
    expect(grant).toMatchObject({ userId: invitee.userId, role: 'staff', institutionId: library.id, createdBy: manager.userId });
    expect((await getInvitation(db, token))?.status).toBe('accepted');
    expect(await status(acceptInvitation(db, invitee, token))).toBe(404);
    expect(await status(acceptInvitation(db, invitee, 'made-up-token-123'))).toBe(404);
  });

  it('refuses an expired invitation', async () => {
    const library = await makeInstitution(db);
    const manager = await makeActor(db, [{ role: 'manager', institution: library }]);
    const row = await inviteStaff(db, manager, { email: 'tre.hen@example.org', role: 'staff', institutionId: library.id }, url, t);
    const token = await tokenSentTo('tre.hen@example.org');
    await db
      .update(invitations)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(invitations.id, row.id));
    const invitee = await makeActor(db, [], 'tre.hen@example.org');
    expect(await status(acceptInvitation(db, invitee, token))).toBe(404);
  });

  it('sends no link for an invitation that expired before its mail went out', async () => {
    const library = await makeInstitution(db);
    const manager = await makeActor(db, [{ role: 'manager', institution: library }]);
    const row = await inviteStaff(db, manager, { email: 'muon.qua@example.org', role: 'staff', institutionId: library.id }, url, t);
    await db
      .update(invitations)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(invitations.id, row.id));
    expect((await sendQueuedMail(db)).filter((m) => m.recipient === 'muon.qua@example.org')).toEqual([]);
    expect((await queuedMail(db, 'muon.qua@example.org')).map((m) => m.status)).toEqual(['dropped']);
  });

  it('lets a person hand out roles only up to their own, at the right kind of place', async () => {
    const district = await makeUnit(db, { level: 'district' });
    const library = await makeInstitution(db, { unit: district });
    const manager = await makeActor(db, [{ role: 'manager', institution: library }]);
    const officer = await makeActor(db, [{ role: 'unit_officer', unit: district }]);
    expect(await status(inviteStaff(db, manager, { email: 'a@example.org', role: 'manager', institutionId: library.id }, url, t))).toBe('ok');
    expect(await status(inviteStaff(db, manager, { email: 'b@example.org', role: 'unit_officer', unitId: district.id }, url, t))).toBe(403);
    expect(await status(inviteStaff(db, officer, { email: 'c@example.org', role: 'unit_officer', unitId: district.id }, url, t))).toBe('ok');
    expect(await status(inviteStaff(db, officer, { email: 'd@example.org', role: 'dept_admin', unitId: district.id }, url, t))).toBe(403);
    expect(await status(inviteStaff(db, officer, { email: 'e@example.org', role: 'staff', unitId: district.id }, url, t))).toBe(422);
    expect(await status(inviteStaff(db, officer, { email: 'not-an-email', role: 'staff', institutionId: library.id }, url, t))).toBe(422);
    const token: Actor = { kind: 'token', tokenId: 'x', userId: officer.userId, grants: officer.grants, scopes: ['orgs:write'], label: 'token' };
    expect(await status(inviteStaff(db, token, { email: 'f@example.org', role: 'staff', institutionId: library.id }, url, t))).toBe(403);
  });

  it('lists staff and pending invitations to those who manage them, and revokes', async () => {
    const library = await makeInstitution(db);
    const manager = await makeActor(db, [{ role: 'manager', institution: library }]);
    const worker = await makeActor(db, [{ role: 'staff', institution: library }]);
    await inviteStaff(db, manager, { email: 'cho@example.org', role: 'staff', institutionId: library.id }, url, t);
    const list = await listStaff(db, manager, { institutionId: library.id });
    expect(list.members.map((m) => [m.grant.role, m.user.id])).toEqual([
      ['manager', manager.userId],
      ['staff', worker.userId],
    ]);
    expect(list.pending.map((p) => p.email)).toEqual(['cho@example.org']);
    expect(await status(listStaff(db, worker, { institutionId: library.id }))).toBe(403);
    const [grant] = await db.select().from(roleGrants).where(eq(roleGrants.userId, worker.userId));
    expect(await status(revokeGrant(db, worker, grant!.id))).toBe(403);
    await revokeGrant(db, manager, grant!.id);
    expect(await db.select().from(roleGrants).where(eq(roleGrants.userId, worker.userId))).toEqual([]);
    expect(await status(revokeGrant(db, manager, grant!.id))).toBe(404);
  });
});
