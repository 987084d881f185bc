import fs from 'node:fs';
import readline from 'node:readline';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import type { Database, RawClient } from './db/index.js';

const FORMAT = 'suotdoi-backup';
const VERSION = 1;
const BATCH = 2000;

interface Header {
  format: string;
  version: number;
  createdAt: string;
  source: Database['kind'];
  migrations: string[];
  tables: { name: string; rows: number }[];
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
 * a marker line and its rows. Portable between the embedded database and a server.
 */
export async function backup(database: Database, file: string, progress: Progress = quiet): Promise<Header> {
  const names = (await tables(database)).filter((name) => !NOT_BACKED_UP.has(name));
  const counts = await Promise.all(names.map(async (name) => {
    const [row] = await database.query<{ n: number }>(`select count(*)::int as n from ${ident(name)}`);
    return { name, rows: row?.n ?? 0 };
  }));
  const header: Header = {
    format: FORMAT, version: VERSION, createdAt: new Date().toISOString(), source: database.kind,
    migrations: await appliedMigrations(database), tables: counts,
  };
  progress.start(counts.reduce((a, c) => a + c.rows, 0), 'backup');
  async function* lines() {
    yield `${JSON.stringify(header)}\n`;
    for (const { name } of counts) {
      yield `${JSON.stringify({ table: name })}\n`;
      let after = '(0,0)';
      for (;;) {
        const rows = await database.query<{ tid: string; row: string }>(
          `select ctid::text as tid, row_to_json(t)::text as row from ${ident(name)} t where ctid > $1::tid order by ctid limit ${BATCH}`, [after],
        );
        if (rows.length === 0) break;
        yield `${rows.map((r) => r.row).join('\n')}\n`;
        progress.tick(rows.length);
        after = rows[rows.length - 1]?.tid ?? after;
      }
    }
  }
  await pipeline(Readable.from(lines()), zlib.createGzip(), fs.createWriteStream(file));
  progress.stop();
  return header;
}

export class RestoreError extends Error {
  override name = 'RestoreError';
}

/**
 * Replaces the whole state with a backup. The database is migrated to the backup's version
 * first; everything is one transaction, so a failed restore leaves the old state in place.
 */
export async function restore(database: Database, file: string, opts: { force?: boolean; progress?: Progress } = {}): Promise<Header> {
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
  if (header.format !== FORMAT || header.version !== VERSION) throw new RestoreError(`${file} is not a suotdoi backup of version ${VERSION}`);
  await database.migrate();
  const ours = await appliedMigrations(database);
  if (header.migrations.some((h, i) => ours[i] !== h) || ours.length !== header.migrations.length) {
    throw new RestoreError(`The backup was made by a different version of suotdoi (${header.migrations.length} migrations, this one has ${ours.length}). Restore it with the matching version, then upgrade.`);
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
  progress.start(header.tables.reduce((a, t) => a + t.rows, 0), 'restore');
  try {
    await database.withClient(async (client) => {
      await client.exec('BEGIN');
      try {
        await load(client, existing, it, progress);
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

async function load(client: RawClient, existing: Set<string>, it: AsyncIterator<string>, progress: Progress): Promise<void> {
  // Foreign keys are not checked while loading (rows of a table may refer to later rows);
  // the backup was consistent when it was made.
  await client.exec('SET LOCAL session_replication_role = replica');
  await client.exec(`TRUNCATE ${[...existing].map(ident).join(', ')} RESTART IDENTITY CASCADE`);
  let table: string | null = null;
  let batch: string[] = [];
  const flush = async () => {
    if (!table || batch.length === 0) return;
    await client.query(`insert into ${ident(table)} select * from json_populate_recordset(null::${ident(table)}, $1::json)`, [`[${batch.join(',')}]`]);
    progress.tick(batch.length);
    batch = [];
  };
  for (;;) {
    const next = await it.next();
    if (next.done) break;
    const line = next.value;
    if (!line) continue;
    if (line.startsWith('{"table":')) {
      await flush();
      table = (JSON.parse(line) as { table: string }).table;
      if (!existing.has(table)) throw new RestoreError(`Unknown table in backup: ${table}`);
      continue;
    }
    batch.push(line);
    if (batch.length >= BATCH) await flush();
  }
  await flush();
  for (const name of existing) {
    const seqs = await client.query<{ col: string; seq: string }>(
      `select a.attname as col, pg_get_serial_sequence($1, a.attname) as seq from pg_attribute a
       where a.attrelid = $1::regclass and a.attnum > 0 and not a.attisdropped and pg_get_serial_sequence($1, a.attname) is not null`, [ident(name)],
    );
    for (const { col, seq } of seqs) {
      await client.query(`select setval($1, coalesce((select max(${ident(col)}) from ${ident(name)}), 0) + 1, false)`, [seq]);
    }
  }
}
