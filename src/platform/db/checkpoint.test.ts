import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from './index.js';

describe.skipIf(Boolean(process.env.DATABASE_URL))('the embedded database’s write-ahead log', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'suotdoi-wal-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('runs with 256 MB of shared buffers and without full-page images, on top of PGlite’s own parameters', async () => {
    const database = await openDatabase({});
    const settings = await database.query<{ name: string; setting: string }>(
      `select name, setting from pg_settings where name in ('shared_buffers', 'full_page_writes', 'search_path', 'max_worker_processes') order by name`,
    );
    expect(settings).toEqual([
      { name: 'full_page_writes', setting: 'off' },
      { name: 'max_worker_processes', setting: '0' },
      { name: 'search_path', setting: 'public' },
      { name: 'shared_buffers', setting: '32768' },
    ]);
    await database.close();
  });

  it('is checkpointed on request, which PGlite never does by itself', async () => {
    const database = await openDatabase({ dataDir: dir });
    const lsn = async () => (await database.query<{ lsn: string }>('select checkpoint_lsn::text as lsn from pg_control_checkpoint()'))[0]?.lsn;
    await database.exec('create table wal_probe (x text)');
    await database.exec(`insert into wal_probe select repeat(md5(g::text), 10) from generate_series(1, 20000) g`);
    const before = await lsn();
    await database.exec(`insert into wal_probe select repeat(md5(g::text), 10) from generate_series(1, 20000) g`);
    expect(await lsn()).toBe(before);
    await database.checkpoint();
    expect(await lsn()).not.toBe(before);
    await database.close();
  });

  it('has the tables that changed enough vacuumed and analyzed on request, which PGlite never does by itself', async () => {
    const database = await openDatabase({});
    const stats = async (table: string) =>
      (
        await database.query<{ dead: number; analyzed: boolean }>(
          'select n_dead_tup::int as dead, last_analyze is not null as analyzed from pg_stat_user_tables where relname = $1',
          [table],
        )
      )[0];
    await database.exec('create table maintain_busy (x int); create table maintain_quiet (x int)');
    await database.exec('insert into maintain_busy select g from generate_series(1, 5000) g; delete from maintain_busy where x <= 2000');
    await database.exec('insert into maintain_quiet values (1)');
    // Counters reach the statistics a second after the transaction that made them, as on a server.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await database.exec('select 1');
    expect(await stats('maintain_busy')).toEqual({ dead: 2000, analyzed: false });
    await database.maintain();
    expect(await stats('maintain_busy')).toEqual({ dead: 0, analyzed: true });
    expect(await stats('maintain_quiet')).toEqual({ dead: 0, analyzed: false });
    await database.close();
  });
});
