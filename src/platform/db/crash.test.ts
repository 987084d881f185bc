import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from './index.js';
import { DataDirLockedError } from './lock.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'suotdoi-crash-'));
const writer = path.resolve(import.meta.dirname, '../testing/crash-writer.ts');

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Starts the writer, waits until it has committed at least `atLeast` rows, then kills it with SIGKILL. */
function writeThenKill(atLeast: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', writer, dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let committed = 0;
    let stderr = '';
    let buffer = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.stdout.on('data', (d: Buffer) => {
      buffer += d.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) committed = Number(/committed (\d+)/.exec(line)?.[1] ?? committed);
      if (committed >= atLeast && !child.killed) child.kill('SIGKILL');
    });
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(committed);
      else reject(new Error(`writer exited with ${code}: ${stderr}`));
    });
  });
}

describe.skipIf(Boolean(process.env.DATABASE_URL))('embedded database under kill -9', () => {
  it('opens cleanly with every committed row after the writer is killed mid-write, three times', async () => {
    let expected = 0;
    for (const atLeast of [40, 200, 500]) {
      const committed = await writeThenKill(expected + atLeast);
      const database = await openDatabase({ dataDir: dir, lock: 'cli' });
      try {
        const [row] = await database.query<{ n: number }>(`select count(*)::int as n from audit_log where actor_label = 'crash'`);
        expect(row?.n).toBeGreaterThanOrEqual(committed);
        expect((row?.n ?? 0) % 20).toBe(0);
        await database.exec(`insert into audit_log (actor_label, action, entity_type) values ('check', 'write', 'row')`);
        const [check] = await database.query<{ ok: boolean }>(`select count(*) = 1 as ok from audit_log where actor_label = 'check'`);
        expect(check?.ok).toBe(true);
        await database.exec(`delete from audit_log where actor_label = 'check'`);
        expected = row?.n ?? 0;
      } finally {
        await database.close();
      }
    }
  }, 180_000);

  it('refuses a second process while the folder is held, naming the holder', async () => {
    const first = await openDatabase({ dataDir: dir, lock: 'server' });
    try {
      const lockFile = path.join(dir, 'suotdoi.lock');
      const info = JSON.parse(fs.readFileSync(lockFile, 'utf8')) as { pid: number };
      expect(info.pid).toBe(process.pid);
      fs.writeFileSync(lockFile, JSON.stringify({ pid: process.ppid, holder: 'server' }));
      await expect(openDatabase({ dataDir: dir, lock: 'cli' })).rejects.toBeInstanceOf(DataDirLockedError);
      await expect(openDatabase({ dataDir: dir, lock: 'cli' })).rejects.toThrow(/in use by a running server/);
    } finally {
      await first.close();
    }
  });
});
