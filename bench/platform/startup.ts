import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

export interface StartupFigures {
  firstStartMs: number;
  restartMs: number;
}

async function waitFor(url: string, deadline: number): Promise<void> {
  while (performance.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${url} did not answer in time`);
}

/** Time from `suotdoi serve` to a healthy server, on an empty data folder and on a restart. */
async function once(dataDir: string, port: number): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'serve'], {
    env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'warn', DATABASE_URL: '' },
    stdio: 'ignore',
  });
  try {
    await waitFor(`http://127.0.0.1:${port}/healthz`, started + 120_000);
    return performance.now() - started;
  } finally {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
}

export async function benchStartup(port = 3917): Promise<StartupFigures> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'suotdoi-startup-'));
  try {
    const firstStartMs = await once(dir, port);
    const restartMs = await once(dir, port);
    return { firstStartMs, restartMs };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export function printStartup(f: StartupFigures): void {
  console.log(
    `startup: empty data folder (migrate + demo data) ${(f.firstStartMs / 1000).toFixed(1)} s; restart ${(f.restartMs / 1000).toFixed(1)} s`,
  );
}
