import path from 'node:path';
import { Type, type Static } from 'typebox';
import { Value } from 'typebox/value';

const Schema = Type.Object({
  PORT: Type.Integer({ minimum: 1, maximum: 65535, default: 3000 }),
  HOST: Type.String({ minLength: 1, default: '0.0.0.0' }),
  PUBLIC_URL: Type.Optional(Type.String({ pattern: '^https?://' })),
  DATABASE_URL: Type.Optional(Type.String({ pattern: '^postgres(ql)?://' })),
  DATA_DIR: Type.String({ minLength: 1, default: './data' }),
  SMTP_URL: Type.Optional(Type.String({ pattern: '^smtps?://' })),
  MAIL_FROM: Type.String({ minLength: 3, default: 'suotdoi <no-reply@localhost>' }),
  NODE_ENV: Type.Union([Type.Literal('development'), Type.Literal('production'), Type.Literal('test')], { default: 'development' }),
  LOG_LEVEL: Type.Union(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)), { default: 'info' }),
  SESSION_DAYS: Type.Integer({ minimum: 1, maximum: 365, default: 14 }),
  TRUST_PROXY: Type.Boolean({ default: false }),
  DEMO_DATA: Type.Optional(Type.Boolean()),
  BODY_LIMIT_MB: Type.Number({ exclusiveMinimum: 0, maximum: 4096, default: 1 }),
  UPLOAD_LIMIT_MB: Type.Number({ exclusiveMinimum: 0, maximum: 65536, default: 512 }),
  LOGIN_MAX_FAILURES: Type.Integer({ minimum: 1, maximum: 100, default: 5 }),
  LOGIN_LOCK_MINUTES: Type.Integer({ minimum: 1, maximum: 1440, default: 15 }),
});

type Raw = Static<typeof Schema>;

export interface Config extends Omit<Raw, 'DEMO_DATA'> {
  /** Load the labelled demo data; off by default in production and behind https. */
  DEMO_DATA: boolean;
  /** Absolute data folder (embedded database, outbox files, uploads). */
  dataDir: string;
  /** Absolute URL the site is reached at, without a trailing slash. */
  publicUrl: string;
  /** Cookies get the Secure flag when the public URL is https. */
  secureCookies: boolean;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const BOOLEAN = /^(1|0|true|false|yes|no|on|off)$/i;

function coerce(env: Record<string, string | undefined>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, prop] of Object.entries(Schema.properties)) {
    const raw = env[key];
    if (raw === undefined || raw === '') continue;
    const kind = (prop as { type?: string }).type;
    if (kind === 'integer' || kind === 'number') out[key] = /^-?\d+(\.\d+)?$/.test(raw.trim()) ? Number(raw) : raw;
    else if (kind === 'boolean') out[key] = BOOLEAN.test(raw.trim()) ? /^(1|true|yes|on)$/i.test(raw.trim()) : raw;
    else out[key] = raw.trim();
  }
  return out;
}

/** Reads and validates the configuration; refuses a bad value and says which. */
export function loadConfig(env: Record<string, string | undefined> = process.env, cwd = process.cwd()): Config {
  const value = Value.Default(Schema, coerce(env));
  const errors = [...Value.Errors(Schema, value)];
  if (errors.length > 0) {
    throw new ConfigError(errors.map((e) => {
      const key = e.instancePath.replace(/^\//, '') || 'config';
      return `${key}=${JSON.stringify(env[key] ?? '')}: ${e.message}`;
    }));
  }
  const raw = value as Raw;
  const publicUrl = (raw.PUBLIC_URL ?? `http://localhost:${raw.PORT}`).replace(/\/+$/, '');
  return {
    ...raw,
    DEMO_DATA: raw.DEMO_DATA ?? (raw.NODE_ENV !== 'production' && !publicUrl.startsWith('https://')),
    dataDir: path.resolve(cwd, raw.DATA_DIR),
    publicUrl,
    secureCookies: publicUrl.startsWith('https://'),
  };
}
