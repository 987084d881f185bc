import { and, asc, desc, eq, gt, isNull, sql } from 'drizzle-orm';
import { Type, type Static } from 'typebox';
import { authorize, can, canGrant, everywhere, systemActor, type Actor, type Role, type Scope } from '../platform/access.js';
import { recordAudit } from '../platform/audit/index.js';
import { hashPassword, passwordIssues } from '../platform/auth/passwords.js';
import { DisplayNameSchema, grantsFor, normaliseEmail } from '../platform/auth/service.js';
import { sha256 } from '../platform/auth/tokens.js';
import type { Db } from '../platform/db/index.js';
import { ConflictError, DomainError, ForbiddenError, issue, NotFoundError, UnauthenticatedError, ValidationError } from '../platform/errors.js';
import { checkValue } from '../platform/http/validation.js';
import type { Translate } from '../platform/i18n/index.js';
import { defineMailLink, enqueue, LINK } from '../platform/outbox/index.js';
import { invitations, roleGrants, users } from '../platform/schema.js';
import { InviteInput, isUuid } from './model.js';
import './messages.js';
import { adminUnits, institutions } from './schema.js';
import { institutionScope, unitScope } from './scope.js';
import { requireSomewhere } from './guard.js';

export const INVITATION_DAYS = 7;

export type InvitationRow = typeof invitations.$inferSelect;
export type GrantRow = typeof roleGrants.$inferSelect;

/** Staff and managers work in an institution; officers and department administrators over a unit. */
const institutionRoles: readonly Role[] = ['staff', 'manager'];

export interface StaffTarget {
  institutionId?: string | undefined;
  unitId?: string | undefined;
}

export interface Place {
  kind: 'institution' | 'unit';
  id: string;
  name: string;
  scope: Scope;
}

/** The institution or unit a role is held over, with the scope a write there lands in. */
async function placeOf(db: Db, target: StaffTarget): Promise<Place | undefined> {
  if (target.institutionId) {
    const [row] = isUuid(target.institutionId) ? await db.select().from(institutions).where(eq(institutions.id, target.institutionId)) : [];
    return row ? { kind: 'institution', id: row.id, name: row.name, scope: await institutionScope(db, row.id) } : undefined;
  }
  if (target.unitId) {
    const [row] = isUuid(target.unitId) ? await db.select().from(adminUnits).where(eq(adminUnits.id, target.unitId)) : [];
    return row ? { kind: 'unit', id: row.id, name: row.name, scope: await unitScope(db, row.id) } : undefined;
  }
  return undefined;
}

export async function inviteStaff(db: Db, actor: Actor, input: unknown, publicUrl: string, t: Translate): Promise<InvitationRow> {
  if (actor.kind === 'anonymous') throw new UnauthenticatedError();
  if (actor.kind === 'system') throw new ForbiddenError('orgs.staff.inviteNeedsUser');
  const data = checkValue(InviteInput, input);
  const atInstitution = institutionRoles.includes(data.role);
  const field = atInstitution ? 'institutionId' : 'unitId';
  if (atInstitution ? !data.institutionId || data.unitId : !data.unitId || data.institutionId) {
    throw new ValidationError([issue(field, atInstitution ? 'orgs.staff.needsInstitution' : 'orgs.staff.needsUnit')]);
  }
  const place = await placeOf(db, atInstitution ? { institutionId: data.institutionId } : { unitId: data.unitId });
  if (!place) throw new ValidationError([issue(field, atInstitution ? 'orgs.institution.notFound' : 'orgs.unit.notFound')]);
  // canGrant looks at roles only; can() also holds API tokens to their scopes.
  if (!can(actor, 'staff.invite', place.scope) || !canGrant(actor, data.role, place.scope)) throw new ForbiddenError();
  const email = normaliseEmail(data.email);
  const [row] = await db
    .insert(invitations)
    .values({
      email,
      role: data.role,
      institutionId: atInstitution ? place.id : null,
      unitId: atInstitution ? null : place.id,
      invitedBy: actor.userId,
      expiresAt: new Date(Date.now() + INVITATION_DAYS * 86_400_000),
    })
    .returning();
  if (!row) throw new Error('insert returned nothing');
  await enqueue(db, {
    recipient: email,
    subject: t('orgs.invite.mail.subject', { place: place.name }),
    bodyText: t('orgs.invite.mail.body', { role: t(`role.${data.role}`), place: place.name, link: LINK, days: INVITATION_DAYS }),
    account: actor.userId,
    link: { kind: INVITATION_LINK, id: row.id, url: `${publicUrl}/invitations/` },
  });
  await recordAudit(db, actor, {
    action: 'invite',
    entityType: 'invitation',
    entityId: row.id,
    after: { email, role: row.role, institutionId: row.institutionId, unitId: row.unitId, expiresAt: row.expiresAt },
    unitIds: place.scope.unitPath,
    institutionId: row.institutionId,
  });
  return row;
}

const INVITATION_LINK = 'invitation';

/** The invitation's token is minted when its mail is sent, while it is still open. */
defineMailLink(
  INVITATION_LINK,
  async (db, id, tokenHash, now) =>
    (
      await db
        .update(invitations)
        .set({ tokenHash })
        .where(and(eq(invitations.id, id), isNull(invitations.acceptedAt), gt(invitations.expiresAt, now)))
        .returning({ id: invitations.id })
    ).length > 0,
);

export interface InvitationDetail {
  invitation: InvitationRow;
  place: Place | undefined;
  status: 'open' | 'accepted' | 'expired' | 'void';
}

/**
 * Whether the person who sent the invitation could still send it: an invitation is only as good
 * as the grant behind it, so one from someone who has since lost that grant (or their account) is void.
 */
async function inviterStillMay(db: Db, invitation: InvitationRow, place: Place | undefined): Promise<boolean> {
  if (!place) return false;
  const [inviter] = await db.select({ disabledAt: users.disabledAt }).from(users).where(eq(users.id, invitation.invitedBy));
  if (!inviter || inviter.disabledAt) return false;
  const actor: Actor = { kind: 'user', userId: invitation.invitedBy, grants: await grantsFor(db, invitation.invitedBy), label: 'inviter' };
  return can(actor, 'staff.invite', place.scope) && canGrant(actor, invitation.role, place.scope);
}

async function placeOfInvitation(db: Db, invitation: InvitationRow): Promise<Place | undefined> {
  return placeOf(db, { institutionId: invitation.institutionId ?? undefined, unitId: invitation.unitId ?? undefined });
}

/** What a link offers, for the page that asks to accept it; undefined for a token that was never issued. */
export async function getInvitation(db: Db, token: string): Promise<InvitationDetail | undefined> {
  const [invitation] = await db
    .select()
    .from(invitations)
    .where(eq(invitations.tokenHash, sha256(token)));
  if (!invitation) return undefined;
  const place = await placeOfInvitation(db, invitation);
  const status = invitation.acceptedAt
    ? 'accepted'
    : invitation.expiresAt <= new Date()
      ? 'expired'
      : (await inviterStillMay(db, invitation, place))
        ? 'open'
        : 'void';
  return { invitation, place, status };
}

/** The open invitation behind a link, with its place, or the reason it cannot be accepted. */
async function openInvitation(db: Db, token: string): Promise<{ invitation: InvitationRow; place: Place | undefined }> {
  const [invitation] = await db
    .select()
    .from(invitations)
    .where(and(eq(invitations.tokenHash, sha256(token)), isNull(invitations.acceptedAt), gt(invitations.expiresAt, new Date())));
  if (!invitation) throw new NotFoundError('orgs.invite.invalid');
  const place = await placeOfInvitation(db, invitation);
  if (!(await inviterStillMay(db, invitation, place))) throw new DomainError(410, 'invitation_void', 'orgs.invite.void');
  return { invitation, place };
}

async function grantInvited(db: Db, actor: Actor & { userId: string }, invitation: InvitationRow, place: Place | undefined): Promise<GrantRow> {
  const target = { institutionId: invitation.institutionId, unitId: invitation.unitId };
  const [held] = await db
    .select()
    .from(roleGrants)
    .where(
      and(
        eq(roleGrants.userId, actor.userId),
        eq(roleGrants.role, invitation.role),
        target.institutionId ? eq(roleGrants.institutionId, target.institutionId) : isNull(roleGrants.institutionId),
        target.unitId ? eq(roleGrants.unitId, target.unitId) : isNull(roleGrants.unitId),
      ),
    );
  const [grant] = held
    ? [held]
    : await db
        .insert(roleGrants)
        .values({ userId: actor.userId, role: invitation.role, ...target, createdBy: invitation.invitedBy })
        .returning();
  if (!grant) throw new Error('insert returned nothing');
  await db.update(invitations).set({ acceptedAt: new Date(), acceptedBy: actor.userId }).where(eq(invitations.id, invitation.id));
  // Opening the link proves the person reads mail at the address it was sent to.
  await db
    .update(users)
    .set({ emailVerifiedAt: sql`coalesce(${users.emailVerifiedAt}, now())` })
    .where(eq(users.id, actor.userId));
  await recordAudit(db, actor, {
    action: 'grant',
    entityType: 'role_grant',
    entityId: grant.id,
    after: { userId: grant.userId, role: grant.role, institutionId: grant.institutionId, unitId: grant.unitId, invitationId: invitation.id },
    unitIds: place?.scope.unitPath ?? [],
    institutionId: grant.institutionId,
  });
  return grant;
}

/*
 * How an invitation is bound to the address it was sent to.
 *
 * The link is mailed to that address and nowhere else, so whoever opens it has shown they read
 * mail there; an account's own email, by contrast, proves nothing until the person behind it
 * opens a link sent to it (a password reset or an invitation sets `email_verified_at`). Hence:
 * - a logged-in person accepts only when their account's email is the invitation's address; the
 *   link then proves that address is theirs and marks it verified;
 * - a person without an account creates one from the link ({@link acceptWithNewAccount}). If
 *   someone else registered the address first and never proved it, that account is not given the
 *   role: it loses the address (it keeps its phone, if it has one), because the link holder has
 *   proved the mailbox is theirs; the new account gets the address, verified, and the role;
 * - an account that did prove the address is the link holder's own (the same mailbox proof),
 *   so then the person is asked to log in to it (or reset its password) and accept.
 * In no case does the role go to an account only because it typed the address at registration.
 */

/** The logged-in person takes the role offered; the invitation was sent to their email address. */
export async function acceptInvitation(db: Db, actor: Actor, token: string): Promise<GrantRow> {
  if (actor.kind === 'anonymous') throw new UnauthenticatedError();
  if (actor.kind !== 'user') throw new ForbiddenError('orgs.invite.needsPerson');
  const { invitation, place } = await openInvitation(db, token);
  const [user] = await db.select({ email: users.email }).from(users).where(eq(users.id, actor.userId));
  if (!user?.email || user.email !== invitation.email)
    throw new DomainError(403, 'forbidden', 'orgs.invite.otherEmail', [], { email: invitation.email });
  return grantInvited(db, actor, invitation, place);
}

export const NewAccountInput = Type.Object(
  {
    displayName: DisplayNameSchema,
    password: Type.String(),
  },
  { additionalProperties: false },
);

/** Someone without an account accepts: the account is made for the invitation's address, proven by the link. */
export async function acceptWithNewAccount(db: Db, token: string, input: unknown, locale = 'vi'): Promise<{ userId: string; grant: GrantRow }> {
  const raw = (input ?? {}) as Record<string, unknown>;
  const clean: Record<string, unknown> = {
    ...raw,
    ...(typeof raw.displayName === 'string' ? { displayName: raw.displayName.trim().replace(/\s+/g, ' ') } : {}),
  };
  const rule = passwordIssues(clean.password);
  let data: Static<typeof NewAccountInput>;
  try {
    data = checkValue(NewAccountInput, clean);
  } catch (err) {
    if (err instanceof ValidationError) throw new ValidationError([...err.issues.filter((i) => i.field !== 'password'), ...rule]);
    throw err;
  }
  if (rule.length) throw new ValidationError(rule);
  const { invitation, place } = await openInvitation(db, token);
  const [holder] = await db.select().from(users).where(eq(users.email, invitation.email));
  if (holder?.emailVerifiedAt) throw new ConflictError([issue('email', 'orgs.invite.haveAccount', { email: invitation.email })]);
  if (holder) {
    await db.update(users).set({ email: null, updatedAt: new Date() }).where(eq(users.id, holder.id));
    await recordAudit(db, systemActor, {
      action: 'email.unclaimed',
      entityType: 'user',
      entityId: holder.id,
      before: { email: invitation.email },
      after: { email: null, invitationId: invitation.id },
    });
  }
  const [created] = await db
    .insert(users)
    .values({
      displayName: data.displayName,
      email: invitation.email,
      emailVerifiedAt: new Date(),
      passwordHash: await hashPassword(data.password),
      locale,
    })
    .returning({ id: users.id, email: users.email });
  if (!created) throw new Error('insert returned nothing');
  const actor: Actor = { kind: 'user', userId: created.id, grants: [], label: created.email ?? '' };
  return { userId: created.id, grant: await grantInvited(db, actor, invitation, place) };
}

export interface StaffMember {
  grant: GrantRow;
  user: { id: string; displayName: string; email: string | null };
}

export interface StaffList {
  members: StaffMember[];
  pending: InvitationRow[];
}

/** Who holds roles at the institution or over the unit, and who has been invited, for those who manage its staff. */
export async function listStaff(db: Db, actor: Actor, target: StaffTarget): Promise<StaffList> {
  requireSomewhere(actor, 'staff.manage');
  const place = await placeOf(db, target);
  if (!place) throw new NotFoundError(target.institutionId ? 'orgs.institution.notFound' : 'orgs.unit.notFound');
  authorize(actor, 'staff.manage', place.scope);
  const at = place.kind === 'institution' ? eq(roleGrants.institutionId, place.id) : eq(roleGrants.unitId, place.id);
  const invited = place.kind === 'institution' ? eq(invitations.institutionId, place.id) : eq(invitations.unitId, place.id);
  const [members, pending] = await Promise.all([
    db
      .select({ grant: roleGrants, user: { id: users.id, displayName: users.displayName, email: users.email } })
      .from(roleGrants)
      .innerJoin(users, eq(users.id, roleGrants.userId))
      .where(at)
      .orderBy(desc(roleGrants.role), asc(users.displayName)),
    db
      .select()
      .from(invitations)
      .where(and(invited, isNull(invitations.acceptedAt), gt(invitations.expiresAt, new Date())))
      .orderBy(asc(invitations.createdAt)),
  ]);
  return { members, pending };
}

/** Takes a role away. Only someone who could have granted it, over the place it is held, may. */
export async function revokeGrant(db: Db, actor: Actor, grantId: string): Promise<GrantRow> {
  requireSomewhere(actor, 'staff.manage');
  const [grant] = isUuid(grantId) ? await db.select().from(roleGrants).where(eq(roleGrants.id, grantId)) : [];
  if (!grant) throw new NotFoundError('orgs.staff.grantNotFound');
  const place = await placeOf(db, { institutionId: grant.institutionId ?? undefined, unitId: grant.unitId ?? undefined });
  const scope = place?.scope ?? everywhere;
  authorize(actor, 'staff.manage', scope);
  if (!canGrant(actor, grant.role, scope)) throw new ForbiddenError();
  await db.delete(roleGrants).where(eq(roleGrants.id, grant.id));
  await recordAudit(db, actor, {
    action: 'revoke',
    entityType: 'role_grant',
    entityId: grant.id,
    before: { userId: grant.userId, role: grant.role, institutionId: grant.institutionId, unitId: grant.unitId },
    unitIds: scope.unitPath,
    institutionId: grant.institutionId,
  });
  return grant;
}
