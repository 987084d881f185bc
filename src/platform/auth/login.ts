import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../db/index.js';
import { DomainError } from '../errors.js';
import { knownDevices, loginThrottle, users } from '../schema.js';
import { hashPassword, verifyPassword } from './passwords.js';
import type { UserSummary } from './service.js';
import { identifierCondition, normaliseEmail, normalisePhone } from './service.js';
import { randomToken, sha256 } from './tokens.js';

export interface LoginPolicy {
  /** Wrong passwords from unknown browsers, from any address, before the account is locked. */
  maxFailures: number;
  lockMinutes: number;
}

/** Where the attempt comes from: the client's address and the known-device cookie, if any. */
export interface LoginContext {
  ip?: string | undefined;
  device?: string | undefined;
}

export interface LoginResult {
  user: UserSummary;
  /** The known-device cookie to set: the browser may log in to this account while it is locked. */
  device: string;
}

type LoginKey = 'auth.badCredentials' | 'auth.locked' | 'auth.disabled' | 'auth.tooManyTries';

export class LoginError extends DomainError {
  constructor(key: LoginKey, params?: Record<string, string | number>) {
    super(key === 'auth.tooManyTries' ? 429 : 401, 'login_failed', key, [], params);
  }
}

/** Tries allowed for one identifier from one address before each further try must wait, doubling from two seconds. */
const FREE_TRIES = 3;
const MAX_DELAY_SECONDS = 15 * 60;
/** Wrong passwords from one address, whatever the accounts, before that address waits a quarter of an hour. */
const ADDRESS_MAX = 50;
/** Failures older than this are forgotten. */
const WINDOW_MS = 3_600_000;

function delaySeconds(key: string, failures: number): number {
  if (key.startsWith('ip:')) return failures >= ADDRESS_MAX ? MAX_DELAY_SECONDS : 0;
  return failures > FREE_TRIES ? Math.min(2 ** (failures - FREE_TRIES), MAX_DELAY_SECONDS) : 0;
}

async function waitingSeconds(db: Db, keys: string[], now: Date): Promise<number> {
  const rows = await db.select({ blockedUntil: loginThrottle.blockedUntil }).from(loginThrottle).where(inArray(loginThrottle.key, keys));
  const until = Math.max(0, ...rows.map((r) => r.blockedUntil?.getTime() ?? 0));
  return until > now.getTime() ? Math.ceil((until - now.getTime()) / 1000) : 0;
}

async function countFailure(db: Db, keys: string[], now: Date): Promise<void> {
  const stale = new Date(now.getTime() - WINDOW_MS);
  for (const key of keys) {
    const [row] = await db
      .insert(loginThrottle)
      .values({ key, failures: 1, updatedAt: now })
      .onConflictDoUpdate({
        target: loginThrottle.key,
        set: { failures: sql`case when ${loginThrottle.updatedAt} < ${stale} then 1 else ${loginThrottle.failures} + 1 end`, updatedAt: now },
      })
      .returning({ failures: loginThrottle.failures });
    const wait = delaySeconds(key, row?.failures ?? 1);
    if (wait > 0)
      await db
        .update(loginThrottle)
        .set({ blockedUntil: new Date(now.getTime() + wait * 1000) })
        .where(eq(loginThrottle.key, key));
  }
}

let dummy: Promise<string> | undefined;
/** A hash of nothing anyone knows, checked when the account does not exist so that the answer takes as long. */
function dummyHash(): Promise<string> {
  dummy ??= hashPassword(randomToken());
  return dummy;
}

function throttleKey(identifier: string, ip: string): string {
  const id = identifier.trim();
  return `id:${sha256(id.includes('@') ? normaliseEmail(id) : normalisePhone(id))}:${ip}`;
}

async function isKnownDevice(db: Db, userId: string, device: string | undefined): Promise<boolean> {
  if (!device) return false;
  const [row] = await db
    .select({ userId: knownDevices.userId })
    .from(knownDevices)
    .where(and(eq(knownDevices.tokenHash, sha256(device)), eq(knownDevices.userId, userId)))
    .limit(1);
  return Boolean(row);
}

async function rememberDevice(db: Db, userId: string, device: string | undefined, known: boolean): Promise<string> {
  if (known && device) {
    await db
      .update(knownDevices)
      .set({ lastUsedAt: new Date() })
      .where(eq(knownDevices.tokenHash, sha256(device)));
    return device;
  }
  const token = randomToken();
  await db.insert(knownDevices).values({ tokenHash: sha256(token), userId });
  return token;
}

/**
 * Checks a password without letting a stranger lock the owner out or learn whether an account exists:
 * - every identifier tried from one address is slowed on its own (free tries, then a doubling wait),
 *   and an address trying many accounts waits too; neither touches the owner trying from elsewhere;
 * - wrong passwords from browsers that never logged in to the account lock it for a while, but the
 *   lock does not apply to a browser that has (the known-device cookie), and a password reset lifts it;
 * - a wrong password always gets the same answer, whether the account exists, is locked or disabled
 *   (an unknown account is checked against a dummy hash, so it takes as long); only the right
 *   password learns that the account is locked or disabled.
 */
export async function authenticate(db: Db, identifier: string, password: string, policy: LoginPolicy, ctx: LoginContext = {}): Promise<LoginResult> {
  const now = new Date();
  const ip = ctx.ip ?? 'unknown';
  const keys = [throttleKey(identifier, ip), `ip:${ip}`];
  const wait = await waitingSeconds(db, keys, now);
  if (wait > 0) throw new LoginError('auth.tooManyTries', { seconds: wait });
  const [user] = await db.select().from(users).where(identifierCondition(identifier)).limit(1);
  if (!user) {
    await verifyPassword(await dummyHash(), password);
    await countFailure(db, keys, now);
    throw new LoginError('auth.badCredentials');
  }
  const known = await isKnownDevice(db, user.id, ctx.device);
  const locked = Boolean(user.lockedUntil && user.lockedUntil > now);
  if (!(await verifyPassword(user.passwordHash, password))) {
    await countFailure(db, keys, now);
    if (!known && !locked) {
      const failures = user.failedLogins + 1;
      const lock = failures >= policy.maxFailures;
      await db
        .update(users)
        .set({
          failedLogins: lock ? 0 : failures,
          lockedUntil: lock ? new Date(now.getTime() + policy.lockMinutes * 60_000) : user.lockedUntil,
        })
        .where(eq(users.id, user.id));
    }
    throw new LoginError('auth.badCredentials');
  }
  if (user.disabledAt) throw new LoginError('auth.disabled');
  if (locked && !known) throw new LoginError('auth.locked', { minutes: Math.ceil(((user.lockedUntil?.getTime() ?? 0) - now.getTime()) / 60_000) });
  await db.delete(loginThrottle).where(eq(loginThrottle.key, keys[0] ?? ''));
  if (!locked && (user.failedLogins > 0 || user.lockedUntil))
    await db.update(users).set({ failedLogins: 0, lockedUntil: null }).where(eq(users.id, user.id));
  const device = await rememberDevice(db, user.id, ctx.device, known);
  return { user: { id: user.id, displayName: user.displayName, email: user.email, phone: user.phone, locale: user.locale }, device };
}
