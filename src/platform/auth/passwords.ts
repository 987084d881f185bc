import { hash, verify } from '@node-rs/argon2';
import { dictionary } from '@zxcvbn-ts/language-common';
import type { Issue } from '../errors.js';

// argon2id (the library's default algorithm) with OWASP's recommended memory and time costs.
const options = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 200;

export function hashPassword(password: string): Promise<string> {
  return hash(password, options);
}

export async function verifyPassword(hashed: string, password: string): Promise<boolean> {
  try {
    return await verify(hashed, password);
  } catch {
    return false;
  }
}

/** The most used passwords of public breaches, from zxcvbn-ts's maintained common dictionary. */
const common = new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()));

/**
 * The password rule of every place a person sets one (registration, reset, change): at least
 * ten characters, not only spaces, and not one of the common passwords attackers try first.
 * Seeded demo accounts are hashed directly and do not pass through here.
 */
export function passwordIssues(password: unknown, field = 'password'): Issue[] {
  if (typeof password !== 'string' || password.length === 0) return [{ field, key: 'errors.required' }];
  if (password.length > PASSWORD_MAX) return [{ field, key: 'errors.maxLength', params: { limit: PASSWORD_MAX } }];
  if (!password.trim()) return [{ field, key: 'auth.password.blank' }];
  if ([...password].length < PASSWORD_MIN) return [{ field, key: 'errors.minLength', params: { limit: PASSWORD_MIN } }];
  if (common.has(password.trim().toLowerCase())) return [{ field, key: 'auth.password.common' }];
  return [];
}
