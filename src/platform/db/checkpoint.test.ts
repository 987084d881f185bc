import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from './index.js';

describe.skipIf(Boolean(process.env.DATABASE_URL))('the embedded database’s write-ahead log', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'suotdoi-wal-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

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
});
