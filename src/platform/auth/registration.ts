import { and, eq, gt, lt } from 'drizzle-orm';
import type { Db } from '../db/index.js';
import { NotFoundError } from '../errors.js';
import { defineMailLink, enqueue, LINK } from '../outbox/index.js';
import { pendingRegistrations, users } from '../schema.js';
import { hashPassword } from './passwords.js';
import { checkRegistration, takenAddresses, type RegisterData, type UserSummary } from './service.js';
import { sha256 } from './tokens.js';

export const REGISTRATION_HOURS = 24;

export interface RegistrationMail {
  /** The link that finishes a new registration. */
  confirm: { subject: string; body: (link: string) => string };
  /** To the owner of an address that already has an account. */
  existing: { subject: string; body: (loginLink: string, resetLink: string) => string };
}

/**
 * Starts a registration. It answers the same whether or not an address already has an account,
 * so that nobody learns who has one: a new address is sent a link that makes the account; the
 * owner of a taken address is told that someone tried, with links to log in or reset the password.
 * Nothing is made until the link is opened.
 */
export async function startRegistration(
  db: Db,
  input: RegisterData & { next?: string | undefined },
  publicUrl: string,
  mail: RegistrationMail,
): Promise<void> {
  const data = checkRegistration(input);
  const passwordHash = await hashPassword(data.password);
  const taken = await takenAddresses(db, data.email, data.phone);
  if (taken.email || taken.phone) {
    for (const recipient of [taken.email ? data.email : null, taken.phone ? data.phone : null]) {
      if (recipient)
        await enqueue(db, {
          recipient,
          subject: mail.existing.subject,
          bodyText: mail.existing.body(`${publicUrl}/login`, `${publicUrl}/forgot-password`),
        });
    }
    return;
  }
  await db.delete(pendingRegistrations).where(lt(pendingRegistrations.expiresAt, new Date()));
  const [pending] = await db
    .insert(pendingRegistrations)
    .values({
      displayName: data.displayName,
      email: data.email,
      phone: data.phone,
      passwordHash,
      locale: input.locale ?? 'vi',
      next: input.next ?? null,
      expiresAt: new Date(Date.now() + REGISTRATION_HOURS * 3_600_000),
    })
    .returning({ id: pendingRegistrations.id });
  if (!pending) throw new Error('insert returned nothing');
  await enqueue(db, {
    recipient: data.email ?? data.phone ?? '',
    subject: mail.confirm.subject,
    bodyText: mail.confirm.body(LINK),
    link: { kind: REGISTRATION_LINK, id: pending.id, url: `${publicUrl}/register/confirm/` },
  });
}

const REGISTRATION_LINK = 'registration';

/** The link's token is made when the mail is sent, so no table or backup holds a working link. */
defineMailLink(
  REGISTRATION_LINK,
  async (db, id, tokenHash, now) =>
    (
      await db
        .update(pendingRegistrations)
        .set({ tokenHash })
        .where(and(eq(pendingRegistrations.id, id), gt(pendingRegistrations.expiresAt, now)))
        .returning({ id: pendingRegistrations.id })
    ).length > 0,
);

async function pendingOf(db: Db, token: string) {
  const [row] = await db
    .select()
    .from(pendingRegistrations)
    .where(and(eq(pendingRegistrations.tokenHash, sha256(token)), gt(pendingRegistrations.expiresAt, new Date())))
    .limit(1);
  return row;
}

export async function registrationLinkValid(db: Db, token: string): Promise<boolean> {
  return Boolean(await pendingOf(db, token));
}

/**
 * Opening the link makes the account: it proves the address (an email is marked verified). The
 * link works once; if the address got an account in the meantime, the person is asked to log in.
 */
export async function confirmRegistration(db: Db, token: string): Promise<{ user: UserSummary; next: string | null }> {
  const pending = await pendingOf(db, token);
  if (!pending) throw new NotFoundError('auth.register.linkExpired');
  await db.delete(pendingRegistrations).where(eq(pendingRegistrations.id, pending.id));
  const taken = await takenAddresses(db, pending.email, pending.phone);
  if (taken.email || taken.phone) throw new NotFoundError('auth.register.linkExpired');
  const [user] = await db
    .insert(users)
    .values({
      displayName: pending.displayName,
      email: pending.email,
      phone: pending.phone,
      passwordHash: pending.passwordHash,
      locale: pending.locale,
      emailVerifiedAt: pending.email ? new Date() : null,
    })
    .returning({ id: users.id, displayName: users.displayName, email: users.email, phone: users.phone, locale: users.locale });
  if (!user) throw new Error('insert returned nothing');
  return { user, next: pending.next };
}
