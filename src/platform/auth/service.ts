import { and, eq, gt, isNull, lt, ne, or, sql } from 'drizzle-orm';
import { Type } from 'typebox';
import type { Actor, Grant, TokenScope } from '../access.js';
import { canSomewhere, tokenScopes } from '../access.js';
import { recordAudit } from '../audit/index.js';
import type { Db } from '../db/index.js';
import { ConflictError, DomainError, issue, Issues, NotFoundError, ValidationError, type Issue } from '../errors.js';
import { checkValue } from '../http/validation.js';
import { defineMailLink, enqueue, LINK } from '../outbox/index.js';
import { apiTokens, knownDevices, passwordResets, roleGrants, sessions, users } from '../schema.js';
import { hashPassword, PASSWORD_MAX, PASSWORD_MIN, passwordIssues, verifyPassword } from './passwords.js';
import { randomToken, sha256 } from './tokens.js';

export const EmailSchema = Type.String({ format: 'email', maxLength: 254 });
export const PhoneSchema = Type.String({ pattern: '^(\\+84|0)[0-9]{9,10}$' });
/** The shape of a new password for the API documents; {@link passwordIssues} holds the whole rule. */
export const PasswordSchema = Type.String({ minLength: PASSWORD_MIN, maxLength: PASSWORD_MAX });
export const DisplayNameSchema = Type.String({ minLength: 1, maxLength: 120 });

export const RegisterInput = Type.Object(
  {
    displayName: DisplayNameSchema,
    email: Type.Optional(EmailSchema),
    phone: Type.Optional(PhoneSchema),
    password: Type.String(),
  },
  { additionalProperties: false },
);

/** Checks the input against the schema and the new password against the password rule, reporting both at once. */
function checkWithPassword<T>(check: () => T, password: unknown, field = 'password'): T {
  const rule = passwordIssues(password, field);
  let value: T;
  try {
    value = check();
  } catch (err) {
    if (err instanceof ValidationError) throw new ValidationError([...err.issues.filter((i) => i.field !== field), ...rule]);
    throw err;
  }
  if (rule.length) throw new ValidationError(rule);
  return value;
}

export interface RegisterData {
  displayName: string;
  email?: string | undefined;
  phone?: string | undefined;
  password: string;
  locale?: string;
}

export interface UserSummary {
  id: string;
  displayName: string;
  email: string | null;
  phone: string | null;
  locale: string;
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** "0912 345 678" and "+84912345678" are the same phone: stored as +84…. */
export function normalisePhone(phone: string): string {
  const digits = phone.replace(/[\s.-]/g, '');
  return digits.startsWith('0') ? `+84${digits.slice(1)}` : digits;
}

/** Email or phone, whichever the identifier looks like. */
export function identifierCondition(identifier: string) {
  const id = identifier.trim();
  return id.includes('@') ? eq(users.email, normaliseEmail(id)) : eq(users.phone, normalisePhone(id));
}

const text = (v: unknown, fn: (s: string) => string): unknown => (typeof v === 'string' ? (v.trim() ? fn(v) : undefined) : v);

export interface CleanRegistration {
  displayName: string;
  email: string | null;
  phone: string | null;
  password: string;
}

/** Checks what a person typed to register (every field at once, the password rule too) and normalises it. */
export function checkRegistration(input: RegisterData): CleanRegistration {
  const clean = {
    displayName: text(input.displayName, (s) => s.trim().replace(/\s+/g, ' ')),
    email: text(input.email, normaliseEmail),
    phone: text(input.phone, (s) => s.replace(/[\s.-]/g, '')),
    password: input.password,
  };
  const data = checkWithPassword(
    () => checkValue(RegisterInput, Object.fromEntries(Object.entries(clean).filter(([, v]) => v !== undefined))),
    clean.password,
  );
  if (!data.email && !data.phone) throw new ValidationError([{ field: 'email', key: 'auth.emailOrPhone' }]);
  return { displayName: data.displayName, email: data.email ?? null, phone: data.phone ? normalisePhone(data.phone) : null, password: data.password };
}

/** Which of the addresses already belong to an account. */
export async function takenAddresses(db: Db, email: string | null, phone: string | null): Promise<{ email: boolean; phone: boolean }> {
  const taken = await db
    .select({ email: users.email, phone: users.phone })
    .from(users)
    .where(or(email ? eq(users.email, email) : sql`false`, phone ? eq(users.phone, phone) : sql`false`));
  return { email: Boolean(email && taken.some((t) => t.email === email)), phone: Boolean(phone && taken.some((t) => t.phone === phone)) };
}

/** Makes an account at once (tests and the command line); says which address is taken. */
export async function registerUser(db: Db, input: RegisterData): Promise<UserSummary> {
  const data = checkRegistration(input);
  const { email, phone } = data;
  const taken = await takenAddresses(db, email, phone);
  const issues = new Issues();
  if (taken.email) issues.add('email', 'auth.emailTaken');
  if (taken.phone) issues.add('phone', 'auth.phoneTaken');
  if (!issues.empty) throw new ConflictError(issues.list);
  const [row] = await db
    .insert(users)
    .values({
      displayName: data.displayName,
      email,
      phone,
      passwordHash: await hashPassword(data.password),
      locale: input.locale ?? 'vi',
    })
    .returning({ id: users.id, displayName: users.displayName, email: users.email, phone: users.phone, locale: users.locale });
  if (!row) throw new Error('insert returned nothing');
  return row;
}

export interface NewSession {
  token: string;
  csrfToken: string;
  expiresAt: Date;
}

export async function createSession(db: Db, userId: string, days: number, userAgent?: string): Promise<NewSession> {
  const token = randomToken();
  const csrfToken = randomToken(24);
  const expiresAt = new Date(Date.now() + days * 86_400_000);
  await db.insert(sessions).values({ idHash: sha256(token), userId, csrfToken, expiresAt, userAgent: userAgent?.slice(0, 300) ?? null });
  return { token, csrfToken, expiresAt };
}

export async function grantsFor(db: Db, userId: string): Promise<Grant[]> {
  return db
    .select({ role: roleGrants.role, institutionId: roleGrants.institutionId, unitId: roleGrants.unitId })
    .from(roleGrants)
    .where(eq(roleGrants.userId, userId));
}

export interface SessionUser {
  user: UserSummary;
  grants: Grant[];
  csrfToken: string;
}

/** The session behind a cookie token, or null when unknown, expired, or the user is disabled. */
export async function loadSession(db: Db, token: string): Promise<SessionUser | null> {
  const idHash = sha256(token);
  const [row] = await db
    .select({
      csrfToken: sessions.csrfToken,
      lastSeenAt: sessions.lastSeenAt,
      id: users.id,
      displayName: users.displayName,
      email: users.email,
      phone: users.phone,
      locale: users.locale,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.idHash, idHash), gt(sessions.expiresAt, new Date()), isNull(users.disabledAt)))
    .limit(1);
  if (!row) return null;
  if (Date.now() - row.lastSeenAt.getTime() > 5 * 60_000) {
    await db.update(sessions).set({ lastSeenAt: new Date() }).where(eq(sessions.idHash, idHash));
  }
  const { csrfToken, lastSeenAt: _seen, ...user } = row;
  return { user, grants: await grantsFor(db, user.id), csrfToken };
}

export async function destroySession(db: Db, token: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.idHash, sha256(token)));
}

export async function purgeExpiredSessions(db: Db): Promise<void> {
  await db.delete(sessions).where(lt(sessions.expiresAt, new Date()));
}

export interface ResetMail {
  subject: string;
  body: (link: string) => string;
}

/**
 * Sends a reset link to the account's email (or phone, through the outbox's SMS channel).
 * Says nothing about whether the account exists. The token is minted when the mail is sent.
 */
export async function requestPasswordReset(db: Db, identifier: string, publicUrl: string, mail: ResetMail): Promise<void> {
  const [user] = await db.select().from(users).where(identifierCondition(identifier)).limit(1);
  if (!user || user.disabledAt) return;
  const [reset] = await db
    .insert(passwordResets)
    .values({ userId: user.id, expiresAt: new Date(Date.now() + 3_600_000) })
    .returning({ id: passwordResets.id });
  if (!reset) throw new Error('insert returned nothing');
  await enqueue(db, {
    recipient: user.email ?? user.phone ?? '',
    subject: mail.subject,
    bodyText: mail.body(LINK),
    account: user.id,
    link: { kind: RESET_LINK, id: reset.id, url: `${publicUrl}/reset-password/` },
  });
}

const RESET_LINK = 'password_reset';

defineMailLink(
  RESET_LINK,
  async (db, id, tokenHash, now) =>
    (
      await db
        .update(passwordResets)
        .set({ tokenHash })
        .where(and(eq(passwordResets.id, id), isNull(passwordResets.usedAt), gt(passwordResets.expiresAt, now)))
        .returning({ id: passwordResets.id })
    ).length > 0,
);

export async function resetPassword(db: Db, token: string, password: string): Promise<void> {
  const rule = passwordIssues(password);
  if (rule.length) throw new ValidationError(rule);
  const tokenHash = sha256(token);
  const [reset] = await db
    .select()
    .from(passwordResets)
    .where(and(eq(passwordResets.tokenHash, tokenHash), isNull(passwordResets.usedAt), gt(passwordResets.expiresAt, new Date())))
    .limit(1);
  if (!reset) throw new NotFoundError('auth.resetExpired');
  // The link went to the account's email when it has one: opening it proves the address.
  await db
    .update(users)
    .set({
      passwordHash: await hashPassword(password),
      failedLogins: 0,
      lockedUntil: null,
      updatedAt: new Date(),
      emailVerifiedAt: sql`coalesce(${users.emailVerifiedAt}, case when ${users.email} is not null then now() end)`,
    })
    .where(eq(users.id, reset.userId));
  await revokeAccess(db, reset.userId);
}

/**
 * After a password reset whoever held the old password, or a link or key made with it, holds
 * nothing: every reset link of the account is used up, its sessions end, its API tokens are revoked
 * and the browsers it logged in from are no longer known (they got past the account's lock).
 */
async function revokeAccess(db: Db, userId: string): Promise<void> {
  const now = new Date();
  await db
    .update(passwordResets)
    .set({ usedAt: now })
    .where(and(eq(passwordResets.userId, userId), isNull(passwordResets.usedAt)));
  await db.delete(sessions).where(eq(sessions.userId, userId));
  await db
    .update(apiTokens)
    .set({ revokedAt: now })
    .where(and(eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt)));
  await db.delete(knownDevices).where(eq(knownDevices.userId, userId));
}

/**
 * A signed-in person changes their password: the current one first, the new one by the password
 * rule. Their other sessions end (the one in use stays) and the browsers known to bypass a lock are forgotten.
 */
export async function changePassword(db: Db, userId: string, current: unknown, next: unknown, keepSession: string | null): Promise<void> {
  const issues: Issue[] = [...(typeof current === 'string' && current ? [] : [issue('current', 'errors.required')]), ...passwordIssues(next)];
  if (issues.length) throw new ValidationError(issues);
  const [user] = await db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, userId)).limit(1);
  if (!user || !(await verifyPassword(user.passwordHash, String(current))))
    throw new ValidationError([{ field: 'current', key: 'auth.password.wrongCurrent' }]);
  await db
    .update(users)
    .set({ passwordHash: await hashPassword(String(next)), updatedAt: new Date() })
    .where(eq(users.id, userId));
  const others = keepSession ? and(eq(sessions.userId, userId), ne(sessions.idHash, sha256(keepSession))) : eq(sessions.userId, userId);
  await db.delete(sessions).where(others);
  await db.delete(knownDevices).where(eq(knownDevices.userId, userId));
}

export async function resetTokenValid(db: Db, token: string): Promise<boolean> {
  const [row] = await db
    .select({ u: passwordResets.userId })
    .from(passwordResets)
    .where(and(eq(passwordResets.tokenHash, sha256(token)), isNull(passwordResets.usedAt), gt(passwordResets.expiresAt, new Date())))
    .limit(1);
  return Boolean(row);
}

export const TOKEN_PREFIX = 'sd_';

export const CreateTokenInput = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    scopes: Type.Array(Type.Union(Object.keys(tokenScopes).map((s) => Type.Literal(s))), { minItems: 1, maxItems: 10, uniqueItems: true }),
    expiresInDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
  },
  { additionalProperties: false },
);

export interface TokenView {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

const tokenColumns = {
  id: apiTokens.id,
  name: apiTokens.name,
  prefix: apiTokens.prefix,
  scopes: apiTokens.scopes,
  createdAt: apiTokens.createdAt,
  expiresAt: apiTokens.expiresAt,
  lastUsedAt: apiTokens.lastUsedAt,
  revokedAt: apiTokens.revokedAt,
};

/** A staff member creates a token for a machine; the token never has more rights than they do. */
export async function createApiToken(db: Db, actor: Actor, input: unknown): Promise<{ token: string; view: TokenView }> {
  if (actor.kind !== 'user') throw new DomainError(403, 'forbidden', 'auth.tokenNeedsUser');
  if (!canSomewhere(actor, 'tokens.create')) throw new DomainError(403, 'forbidden', 'errors.forbidden');
  const data = checkValue(CreateTokenInput, input);
  const secret = `${TOKEN_PREFIX}${randomToken(30)}`;
  const [view] = await db
    .insert(apiTokens)
    .values({
      name: data.name.trim(),
      prefix: secret.slice(0, 10),
      tokenHash: sha256(secret),
      scopes: data.scopes as TokenScope[],
      userId: actor.userId,
      expiresAt: data.expiresInDays ? new Date(Date.now() + data.expiresInDays * 86_400_000) : null,
    })
    .returning(tokenColumns);
  if (!view) throw new Error('insert returned nothing');
  await recordAudit(db, actor, { action: 'create', entityType: 'api_token', entityId: view.id, after: view });
  return { token: secret, view };
}

export async function listApiTokens(db: Db, actor: Actor): Promise<TokenView[]> {
  if (actor.kind !== 'user') return [];
  return db.select(tokenColumns).from(apiTokens).where(eq(apiTokens.userId, actor.userId)).orderBy(apiTokens.createdAt);
}

export async function revokeApiToken(db: Db, actor: Actor, id: string): Promise<void> {
  if (actor.kind !== 'user') throw new DomainError(403, 'forbidden', 'auth.tokenNeedsUser');
  const [row] = await db
    .update(apiTokens)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiTokens.id, id), eq(apiTokens.userId, actor.userId), isNull(apiTokens.revokedAt)))
    .returning(tokenColumns);
  if (!row) throw new NotFoundError();
  await recordAudit(db, actor, { action: 'revoke', entityType: 'api_token', entityId: id, after: row });
}

/** The actor behind an "Authorization: Bearer sd_…" header, or null. */
export async function tokenActor(db: Db, secret: string, ip?: string): Promise<Actor | null> {
  if (!secret.startsWith(TOKEN_PREFIX)) return null;
  const [row] = await db
    .select({ id: apiTokens.id, name: apiTokens.name, scopes: apiTokens.scopes, userId: apiTokens.userId, lastUsedAt: apiTokens.lastUsedAt })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(
      and(
        eq(apiTokens.tokenHash, sha256(secret)),
        isNull(apiTokens.revokedAt),
        isNull(users.disabledAt),
        or(isNull(apiTokens.expiresAt), gt(apiTokens.expiresAt, new Date())),
      ),
    )
    .limit(1);
  if (!row) return null;
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000) {
    await db.update(apiTokens).set({ lastUsedAt: new Date() }).where(eq(apiTokens.id, row.id));
  }
  return {
    kind: 'token',
    tokenId: row.id,
    userId: row.userId,
    scopes: row.scopes,
    grants: await grantsFor(db, row.userId),
    label: `token:${row.name}`,
    ...(ip ? { ip } : {}),
  };
}
