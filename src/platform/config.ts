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
  LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
    { default: 'info' },
  ),
  SESSION_DAYS: Type.Integer({ minimum: 1, maximum: 365, default: 14 }),
  TRUST_PROXY: Type.Boolean({ default: false }),
  DEMO_DATA: Type.Optional(Type.Boolean()),
  BODY_LIMIT_MB: Type.Number({ exclusiveMinimum: 0, maximum: 4096, default: 1 }),
  UPLOAD_LIMIT_MB: Type.Number({ exclusiveMinimum: 0, maximum: 65536, default: 512 }),
  LOGIN_MAX_FAILURES: Type.Integer({ minimum: 1, maximum: 100, default: 5 }),
  LOGIN_LOCK_MINUTES: Type.Integer({ minimum: 1, maximum: 1440, default: 15 }),
  STORAGE: Type.Union([Type.Literal('local'), Type.Literal('s3')], { default: 'local' }),
  STORAGE_DIR: Type.Optional(Type.String({ minLength: 1 })),
  S3_ENDPOINT: Type.Optional(Type.String({ pattern: '^https?://[^/?#]+(/[^?#]*)?$' })),
  S3_BUCKET: Type.Optional(Type.String({ pattern: '^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$' })),
  S3_REGION: Type.String({ pattern: '^[a-z0-9-]+$', default: 'us-east-1' }),
  S3_ACCESS_KEY_ID: Type.Optional(Type.String({ minLength: 1 })),
  S3_SECRET_ACCESS_KEY: Type.Optional(Type.String({ minLength: 1 })),
  S3_PREFIX: Type.String({ pattern: '^([^/].*)?$', default: '' }),
  S3_PATH_STYLE: Type.Boolean({ default: true }),
});

const S3_REQUIRED = ['S3_ENDPOINT', 'S3_BUCKET', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'] as const;

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
  /** Where uploaded files are kept (see `platform/storage`). */
  storage: StorageSettings;
}

export type StorageSettings =
  | { kind: 'local'; dir: string }
  | {
      kind: 's3';
      endpoint: string;
      bucket: string;
      region: string;
      accessKeyId: string;
      secretAccessKey: string;
      prefix: string;
      pathStyle: boolean;
    };

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
    throw new ConfigError(
      errors.map((e) => {
        const key = e.instancePath.replace(/^\//, '') || 'config';
        return `${key}=${JSON.stringify(env[key] ?? '')}: ${e.message}`;
      }),
    );
  }
  const raw = value as Raw;
  const dataDir = path.resolve(cwd, raw.DATA_DIR);
  const publicUrl = (raw.PUBLIC_URL ?? `http://localhost:${raw.PORT}`).replace(/\/+$/, '');
  return {
    ...raw,
    DEMO_DATA: raw.DEMO_DATA ?? (raw.NODE_ENV !== 'production' && !publicUrl.startsWith('https://')),
    dataDir,
    publicUrl,
    secureCookies: publicUrl.startsWith('https://'),
    storage: storageSettings(raw, dataDir, cwd),
  };
}

function storageSettings(raw: Raw, dataDir: string, cwd: string): StorageSettings {
  if (raw.STORAGE === 'local') return { kind: 'local', dir: raw.STORAGE_DIR ? path.resolve(cwd, raw.STORAGE_DIR) : path.join(dataDir, 'files') };
  const missing = S3_REQUIRED.filter((key) => !raw[key]);
  if (missing.length) throw new ConfigError(missing.map((key) => `${key}: must be set when STORAGE=s3`));
  const prefix = raw.S3_PREFIX && !raw.S3_PREFIX.endsWith('/') ? `${raw.S3_PREFIX}/` : raw.S3_PREFIX;
  return {
    kind: 's3',
    endpoint: raw.S3_ENDPOINT ?? '',
    bucket: raw.S3_BUCKET ?? '',
    region: raw.S3_REGION,
    accessKeyId: raw.S3_ACCESS_KEY_ID ?? '',
    secretAccessKey: raw.S3_SECRET_ACCESS_KEY ?? '',
    prefix,
    pathStyle: raw.S3_PATH_STYLE,
  };
}
