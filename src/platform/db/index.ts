import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { sql, type ExtractTablesWithRelations, type SQL } from 'drizzle-orm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT, PgTransaction, PgTransactionConfig } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { acquireLock, type DataLock } from './lock.js';

export const migrationsFolder = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../migrations');

/** The database handle every service takes: the same type on PGlite and on PostgreSQL. */
export type Db = PgDatabase<PgQueryResultHKT, Record<string, never>, ExtractTablesWithRelations<Record<string, never>>>;
export type Tx = PgTransaction<PgQueryResultHKT, Record<string, never>, ExtractTablesWithRelations<Record<string, never>>>;

/**
 * Runs `fn` in one transaction. A transaction answers every query a database handle does, so
 * services take it as a `Db`; this is the one place that says so.
 */
export function withTransaction<T>(db: Db, fn: (tx: Db) => Promise<T>, config?: PgTransactionConfig): Promise<T> {
  return db.transaction((tx) => fn(tx as unknown as Db), config);
}

/** The rows of a raw query (both drivers answer it with `{ rows }`). */
export async function rowsOf<T>(db: Db, query: SQL): Promise<T[]> {
  const result: unknown = await db.execute(query);
  return (result as { rows: T[] }).rows;
}

/** Text to match literally in a LIKE pattern (its `\\`, `%` and `_` escaped). */
export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, '\\$&');
}

/** A list of ids as one `uuid[]` parameter, however many there are. */
export function uuidArray(ids: readonly string[]): SQL {
  return sql`${`{${ids.join(',')}}`}::uuid[]`;
}

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** Raw SQL outside drizzle (backup/restore, administration). */
  exec(sql: string): Promise<void>;
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs work on one connection (a transaction made of several raw statements needs it). */
  withClient<T>(fn: (client: RawClient) => Promise<T>): Promise<T>;
  migrate(): Promise<void>;
  /**
   * Writes changed pages to the data files so the write-ahead log can be recycled. PGlite has no
   * background checkpointer: without this its log grows with every write (5.4 GB after importing a
   * million records). A server's own checkpointer does it, so there it does nothing.
   */
  checkpoint(): Promise<void>;
  /**
   * What a server's background workers do and the embedded database does not: vacuums and
   * analyzes the tables that changed enough (autovacuum's thresholds), so that the planner knows
   * how large they are, then checkpoints. On a server, autovacuum does it, so there it does nothing.
   */
  maintain(): Promise<void>;
  close(): Promise<void>;
  /** Where the embedded database lives (undefined on a server). */
  dataDir?: string;
}

export interface RawClient {
  exec(sql: string): Promise<void>;
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
}

export interface OpenOptions {
  /** postgres://… to use a server; otherwise the embedded database. */
  url?: string;
  /** Embedded database folder; undefined means in memory. */
  dataDir?: string;
  /** Take the folder's lock (the server and the CLI do; a test in memory does not need it). */
  lock?: 'server' | 'cli';
}

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if (opts.url) return openPostgres(opts.url);
  return openPglite(opts.dataDir, opts.lock);
}

/**
 * PGlite's own start parameters, with two changes for a database of a province's size: shared
 * buffers of 256 MB instead of 128 (a million catalogue records have more index than that), and no
 * full-page images in the write-ahead log. PGlite already runs without fsync, so those images
 * guard against nothing it can survive (a torn page needs the machine to crash, not the process),
 * and they were a sixth of an import's time. PGlite only exposes its defaults at run time; where
 * they are missing, it starts with them unchanged.
 */
function startParams(): { startParams?: string[] } {
  const defaults = (PGlite as unknown as { defaultStartParams?: unknown }).defaultStartParams;
  if (!Array.isArray(defaults) || !defaults.every((p) => typeof p === 'string')) return {};
  return { startParams: [...defaults, '-c', 'shared_buffers=256MB', '-c', 'full_page_writes=off'] };
}

async function openPglite(dataDir: string | undefined, lockKind: OpenOptions['lock']): Promise<Database> {
  let lock: DataLock | undefined;
  let pgDir: string | undefined;
  if (dataDir) {
    fs.mkdirSync(dataDir, { recursive: true });
    if (lockKind) lock = acquireLock(dataDir, lockKind);
    pgDir = path.join(dataDir, 'pg');
  }
  let client: PGlite;
  try {
    client = await PGlite.create({ dataDir: pgDir, extensions: { pg_trgm }, relaxedDurability: false, ...startParams() });
  } catch (err) {
    lock?.release();
    throw err;
  }
  const db = drizzlePglite(client) as unknown as Db;
  return {
    db,
    kind: 'pglite',
    dataDir,
    exec: async (sql) => {
      await client.exec(sql);
    },
    query: async <T>(sql: string, params: unknown[] = []) => (await client.query<T>(sql, params)).rows,
    withClient: (fn) =>
      fn({
        exec: async (sql) => {
          await client.exec(sql);
        },
        query: async <T>(sql: string, params: unknown[] = []) => (await client.query<T>(sql, params)).rows,
      }),
    migrate: () => migratePglite(drizzlePglite(client), { migrationsFolder }),
    checkpoint: async () => {
      if (pgDir && !client.closed) await client.exec('checkpoint');
    },
    maintain: async () => {
      if (client.closed) return;
      const due = await client.query<{ name: string; vacuum: boolean }>(`select quote_ident(schemaname) || '.' || quote_ident(relname) as name,
          n_dead_tup > 50 + 0.2 * n_live_tup as vacuum
        from pg_stat_user_tables where n_dead_tup > 50 + 0.2 * n_live_tup or n_mod_since_analyze > 50 + 0.1 * n_live_tup`);
      for (const t of due.rows) await client.exec(`${t.vacuum ? 'vacuum analyze' : 'analyze'} ${t.name}`);
      if (pgDir) await client.exec('checkpoint');
    },
    close: async () => {
      try {
        if (pgDir && !client.closed) await client.exec('checkpoint');
        if (!client.closed) await client.close();
      } finally {
        lock?.release();
      }
    },
  };
}

async function openPostgres(url: string): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  pool.on('error', () => {
    /* idle client errors are reported on the next query */
  });
  const probe = await pool.connect().catch(async (err: unknown) => {
    await pool.end();
    throw new Error(`Cannot connect to PostgreSQL at ${redact(url)}: ${(err as Error).message}`);
  });
  probe.release();
  const db = drizzlePg(pool) as unknown as Db;
  return {
    db,
    kind: 'postgres',
    exec: async (sql) => {
      await pool.query(sql);
    },
    query: async <T>(sql: string, params: unknown[] = []) => (await pool.query(sql, params)).rows as T[],
    withClient: async (fn) => {
      const conn = await pool.connect();
      try {
        return await fn({
          exec: async (sql) => {
            await conn.query(sql);
          },
          query: async <T>(sql: string, params: unknown[] = []) => (await conn.query(sql, params)).rows as T[],
        });
      } finally {
        conn.release();
      }
    },
    migrate: () => migratePg(drizzlePg(pool), { migrationsFolder }),
    checkpoint: async () => undefined,
    maintain: async () => undefined,
    close: () => pool.end(),
  };
}

export function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}
