import fs from 'node:fs';
import readline from 'node:readline';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import type { Database, RawClient } from './db/index.js';
import { referencedFiles, type FileStore } from './storage/index.js';

const FORMAT = 'suotdoi-backup';
/** Version 2 added the stored files after the tables; version 1 backups (no files) still restore. */
const VERSION = 2;
const VERSIONS = new Set([1, 2]);
const BATCH = 2000;
/** Bytes of a stored file per line (a multiple of 3, so each line is whole base64). */
const FILE_LINE_BYTES = 48 * 1024;

interface Header {
  format: string;
  version: number;
  createdAt: string;
  source: Database['kind'];
  migrations: string[];
  tables: { name: string; rows: number }[];
  /** The stored files that rows refer to, each written after the tables (absent before version 2). */
  files?: { count: number; bytes: number };
}

/** A backup's header, and the referenced files the store could not give (their rows are kept). */
export interface BackupResult extends Header {
  missingFiles: string[];
}

export interface Progress {
  start(total: number, label: string): void;
  tick(n: number): void;
  stop(): void;
}

/**
 * Tables whose rows only matter to the running processes that wrote them: the catalogue's change
 * log (its transaction ids mean nothing in another database; a restored server rebuilds its
 * search index from the records).
 */
const NOT_BACKED_UP = new Set(['catalogue_changes']);

const quiet: Progress = { start() {}, tick() {}, stop() {} };
const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

async function tables(database: Database): Promise<string[]> {
  const rows = await database.query<{ name: string }>(
    `select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = current_schema() and c.relkind = 'r' order by c.relname`,
  );
  return rows.map((r) => r.name);
}

async function appliedMigrations(database: Database): Promise<string[]> {
  const rows = await database.query<{ hash: string }>('select hash from drizzle.__drizzle_migrations order by created_at, id');
  return rows.map((r) => r.hash);
}

/**
 * Writes every row of every table as gzip'd JSON lines: one header line, then for each table
 * a marker line and its rows, then each stored file that a row refers to: a marker line
 * (`{"storedFile": hash, "size": n}`; column names are snake_case, so no row starts so) and its
 * bytes in base64 lines. Portable between the embedded database and a
 * server, and between the local and the S3 store.
 */
export async function backup(database: Database, file: string, opts: { store: FileStore; progress?: Progress }): Promise<BackupResult> {
  const progress = opts.progress ?? quiet;
  const names = (await tables(database)).filter((name) => !NOT_BACKED_UP.has(name));
  const counts = await Promise.all(
    names.map(async (name) => {
      const [row] = await database.query<{ n: number }>(`select count(*)::int as n from ${ident(name)}`);
      return { name, rows: row?.n ?? 0 };
    }),
  );
  const [totals] = await database.query<{ count: number; bytes: number }>(
    'select count(*)::int as count, coalesce(sum(size), 0)::float8 as bytes from stored_files where refs > 0',
  );
  const header: Header = {
    format: FORMAT,
    version: VERSION,
    createdAt: new Date().toISOString(),
    source: database.kind,
    migrations: await appliedMigrations(database),
    tables: counts,
    files: totals ?? { count: 0, bytes: 0 },
  };
  const missingFiles: string[] = [];
  progress.start(counts.reduce((a, c) => a + c.rows, 0) + (totals?.count ?? 0), 'backup');
  async function* lines() {
    yield `${JSON.stringify(header)}\n`;
    for (const { name } of counts) {
      yield `${JSON.stringify({ table: name })}\n`;
      let after = '(0,0)';
      for (;;) {
        const rows = await database.query<{ tid: string; row: string }>(
          `select ctid::text as tid, row_to_json(t)::text as row from ${ident(name)} t where ctid > $1::tid order by ctid limit ${BATCH}`,
          [after],
        );
        if (rows.length === 0) break;
        yield `${rows.map((r) => r.row).join('\n')}\n`;
        progress.tick(rows.length);
        after = rows[rows.length - 1]?.tid ?? after;
      }
    }
    for (let page = await referencedFiles(database.db); page.length > 0; page = await referencedFiles(database.db, page[page.length - 1]?.hash)) {
      for (const f of page) {
        const stream = await opts.store.stream(f.hash);
        if (!stream) {
          missingFiles.push(f.hash);
          continue;
        }
        yield `${JSON.stringify({ storedFile: f.hash, size: f.size })}\n`;
        yield* base64Lines(stream);
        progress.tick(1);
      }
    }
  }
  await pipeline(Readable.from(lines()), zlib.createGzip(), fs.createWriteStream(file));
  progress.stop();
  return { ...header, missingFiles };
}

async function* base64Lines(stream: AsyncIterable<Uint8Array>): AsyncIterable<string> {
  let rest = Buffer.alloc(0);
  for await (const chunk of stream) {
    rest = Buffer.concat([rest, chunk]);
    while (rest.length >= FILE_LINE_BYTES) {
      yield `${rest.subarray(0, FILE_LINE_BYTES).toString('base64')}\n`;
      rest = rest.subarray(FILE_LINE_BYTES);
    }
  }
  if (rest.length > 0) yield `${rest.toString('base64')}\n`;
}

export class RestoreError extends Error {
  override name = 'RestoreError';
}

/**
 * Replaces the whole state with a backup. The database is migrated to the backup's version
 * first; everything is one transaction, so a failed restore leaves the old state in place. The
 * stored files are put back into the store (checked against their hashes) before it commits.
 */
export async function restore(database: Database, file: string, opts: { store: FileStore; force?: boolean; progress?: Progress }): Promise<Header> {
  const progress = opts.progress ?? quiet;
  const input = readline.createInterface({ input: fs.createReadStream(file).pipe(zlib.createGunzip()), crlfDelay: Infinity });
  const it = input[Symbol.asyncIterator]();
  let first: IteratorResult<string>;
  try {
    first = await it.next();
  } catch (err) {
    throw new RestoreError(`${file} is not a suotdoi backup (${(err as Error).message})`);
  }
  let header: Header;
  try {
    header = JSON.parse(first.done ? '' : first.value) as Header;
  } catch {
    throw new RestoreError(`${file} is not a suotdoi backup`);
  }
  if (header.format !== FORMAT || !VERSIONS.has(header.version))
    throw new RestoreError(`${file} is not a suotdoi backup of version ${[...VERSIONS].join(' or ')}`);
  await database.migrate();
  const ours = await appliedMigrations(database);
  if (header.migrations.some((h, i) => ours[i] !== h) || ours.length !== header.migrations.length) {
    throw new RestoreError(
      `The backup was made by a different version of suotdoi (${header.migrations.length} migrations, this one has ${ours.length}). Restore it with the matching version, then upgrade.`,
    );
  }
  const existing = new Set(await tables(database));
  const names = header.tables.map((t) => t.name);
  const unknown = names.filter((n) => !existing.has(n));
  if (unknown.length) throw new RestoreError(`The backup has tables this database does not: ${unknown.join(', ')}`);
  if (!opts.force) {
    for (const name of existing) {
      const [row] = await database.query<{ any: boolean }>(`select exists(select 1 from ${ident(name)}) as any`);
      if (row?.any) throw new RestoreError('The database is not empty. Restoring replaces everything in it: run again with --force to do so.');
    }
  }
  progress.start(header.tables.reduce((a, t) => a + t.rows, 0) + (header.files?.count ?? 0), 'restore');
  try {
    await database.withClient(async (client) => {
      await client.exec('BEGIN');
      try {
        await load(client, existing, it, opts.store, progress);
        await client.exec('COMMIT');
      } catch (err) {
        await client.exec('ROLLBACK');
        throw err;
      }
    });
  } finally {
    progress.stop();
    input.close();
  }
  return header;
}

async function load(client: RawClient, existing: Set<string>, it: AsyncIterator<string>, store: FileStore, progress: Progress): Promise<void> {
  // Foreign keys are not checked while loading (rows of a table may refer to later rows);
  // the backup was consistent when it was made.
  await client.exec('SET LOCAL session_replication_role = replica');
  await client.exec(`TRUNCATE ${[...existing].map(ident).join(', ')} RESTART IDENTITY CASCADE`);
  let table: string | null = null;
  let batch: string[] = [];
  const flush = async () => {
    if (!table || batch.length === 0) return;
    await client.query(`insert into ${ident(table)} select * from json_populate_recordset(null::${ident(table)}, $1::json)`, [
      `[${batch.join(',')}]`,
    ]);
    progress.tick(batch.length);
    batch = [];
  };
  // A line read past the end of a file's bytes: the next marker, handled by the loop.
  let pending: string | null = null;
  async function* fileBytes(): AsyncIterable<Buffer> {
    for (;;) {
      const next = await it.next();
      if (next.done) return;
      if (next.value.startsWith('{')) {
        pending = next.value;
        return;
      }
      if (next.value) yield Buffer.from(next.value, 'base64');
    }
  }
  for (;;) {
    let line: string;
    if (pending !== null) {
      line = pending;
      pending = null;
    } else {
      const next = await it.next();
      if (next.done) break;
      line = next.value;
    }
    if (!line) continue;
    if (line.startsWith('{"table":')) {
      await flush();
      table = (JSON.parse(line) as { table: string }).table;
      if (!existing.has(table)) throw new RestoreError(`Unknown table in backup: ${table}`);
      continue;
    }
    if (line.startsWith('{"storedFile":')) {
      await flush();
      table = null;
      const marker = JSON.parse(line) as { storedFile: string; size: number };
      const stored = await store.put(fileBytes());
      if (stored.hash !== marker.storedFile || stored.size !== marker.size) {
        throw new RestoreError(`The stored file ${marker.storedFile} in the backup is damaged (its bytes hash to ${stored.hash})`);
      }
      progress.tick(1);
      continue;
    }
    if (!table) throw new RestoreError('The backup has rows outside any table');
    batch.push(line);
    if (batch.length >= BATCH) await flush();
  }
  await flush();
  for (const name of existing) {
    const seqs = await client.query<{ col: string; seq: string }>(
      `select a.attname as col, pg_get_serial_sequence($1, a.attname) as seq from pg_attribute a
       where a.attrelid = $1::regclass and a.attnum > 0 and not a.attisdropped and pg_get_serial_sequence($1, a.attname) is not null`,
      [ident(name)],
    );
    for (const { col, seq } of seqs) {
      await client.query(`select setval($1, coalesce((select max(${ident(col)}) from ${ident(name)}), 0) + 1, false)`, [seq]);
    }
  }
}
