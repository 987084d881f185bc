import fs from 'node:fs';
import path from 'node:path';

export interface DataLock {
  release(): void;
}

export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
    readonly holder: string,
  ) {
    super(
      `The data folder ${dataDir} is in use by a running ${holder} (process ${pid}). ` +
        `The embedded database can be opened by one process at a time: stop that process first, ` +
        `or set DATABASE_URL to use a PostgreSQL server.`,
    );
    this.name = 'DataDirLockedError';
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the data folder for this process; a lock left by a dead process is taken over. */
export function acquireLock(dataDir: string, holder: 'server' | 'cli'): DataLock {
  const file = path.join(dataDir, 'suotdoi.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, JSON.stringify({ pid: process.pid, holder, since: new Date().toISOString() }), { flag: 'wx' });
      let released = false;
      return {
        release() {
          if (released) return;
          released = true;
          try {
            fs.unlinkSync(file);
          } catch {
            /* already gone */
          }
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      let info: { pid?: number; holder?: string } = {};
      try {
        info = JSON.parse(fs.readFileSync(file, 'utf8')) as typeof info;
      } catch {
        /* unreadable: stale */
      }
      if (typeof info.pid === 'number' && info.pid !== process.pid && alive(info.pid)) {
        throw new DataDirLockedError(dataDir, info.pid, info.holder ?? 'process');
      }
      fs.rmSync(file, { force: true });
    }
  }
  throw new Error(`Could not lock ${dataDir}`);
}
