/**
 * ISO 2709 parse throughput: our reader against the marcjs npm package and yaz-marcdump (Debian
 * package yaz), on the same generated file of Vietnamese records, in one run.
 *
 *   npx tsx bench/marc/parse.ts [records]   (default 100000)
 */
import { spawn } from 'node:child_process';
import { closeSync, createReadStream, existsSync, openSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { pathToFileURL } from 'node:url';

import { parseIso2709, readIso2709File } from '../../src/catalogue/marc/index.js';
import { writeVietnameseCatalogue } from './generate.js';

export interface ParseRun {
  name: string;
  /** Why it did not run (a peer not installed), when it did not. */
  skipped?: string;
  records?: number;
  seconds?: number;
  recordsPerSecond?: number;
  megabytesPerSecond?: number;
}

export interface MarcParseBenchResult {
  file: string;
  records: number;
  bytes: number;
  runs: ParseRun[];
  /** Our streaming reader's records/s divided by each peer's. */
  ratios: Record<string, number>;
}

export interface MarcParseBenchOptions {
  records?: number;
  seed?: number;
  /** Where the generated file goes (default: the system temp folder). */
  dir?: string;
  /** Timed repetitions per contestant; the best is kept (default 3). */
  repeat?: number;
  log?: (line: string) => void;
}

interface MarcjsModule {
  Marc: {
    createStream(type: string, what: string): Duplex;
    parse(raw: Buffer, type: string): unknown;
  };
}

async function loadMarcjs(): Promise<MarcjsModule | undefined> {
  const name = 'marcjs';
  try {
    const loaded = (await import(name)) as MarcjsModule & { default?: MarcjsModule };
    return loaded.default ?? loaded;
  } catch {
    return undefined;
  }
}

async function ourStream(file: string): Promise<number> {
  let records = 0;
  for await (const item of readIso2709File(file)) if (!item.error) records++;
  return records;
}

function ourBuffer(file: string): Promise<number> {
  let records = 0;
  for (const item of parseIso2709(readFileSync(file))) if (!item.error) records++;
  return Promise.resolve(records);
}

function marcjsStream(marcjs: MarcjsModule, file: string): Promise<number> {
  return new Promise((resolve, reject) => {
    let records = 0;
    const parser = marcjs.Marc.createStream('Iso2709', 'Parser');
    parser.on('data', () => records++);
    parser.on('end', () => resolve(records));
    parser.on('error', reject);
    createReadStream(file, { highWaterMark: 1 << 20 }).pipe(parser);
  });
}

function marcjsRecords(marcjs: MarcjsModule, file: string): Promise<number> {
  const bytes = readFileSync(file);
  let records = 0;
  for (let start = 0, end = bytes.indexOf(0x1d); end !== -1; start = end + 1, end = bytes.indexOf(0x1d, start)) {
    marcjs.Marc.parse(bytes.subarray(start, end + 1), 'iso2709');
    records++;
  }
  return Promise.resolve(records);
}

function yazMarcdump(file: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const devNull = openSync('/dev/null', 'w');
    const child = spawn('yaz-marcdump', [file], { stdio: ['ignore', devNull, 'ignore'] });
    child.on('error', (error) => {
      closeSync(devNull);
      reject(error);
    });
    child.on('exit', (code) => {
      closeSync(devNull);
      if (code === 0) resolve(Number.NaN);
      else reject(new Error(`yaz-marcdump exited with ${code}`));
    });
  });
}

function yazAvailable(): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn('yaz-marcdump', ['-V'], { stdio: 'ignore' });
    child.on('error', () => resolve(false));
    child.on('exit', () => resolve(true));
  });
}

export async function benchMarcParse(options: MarcParseBenchOptions = {}): Promise<MarcParseBenchResult> {
  const count = options.records ?? 100_000;
  const seed = options.seed ?? 2025;
  const repeat = options.repeat ?? 3;
  const log = options.log ?? ((line: string) => console.log(line));
  const file = join(options.dir ?? tmpdir(), `suotdoi-bench-marc-${count}-${seed}.mrc`);
  if (!existsSync(file)) {
    log(`Generating ${count} Vietnamese records into ${file} ...`);
    await writeVietnameseCatalogue(file, count, seed);
  }
  const bytes = statSync(file).size;
  log(`ISO 2709 parse throughput: ${count} records, ${(bytes / 1e6).toFixed(1)} MB, best of ${repeat}`);

  const contestants: { name: string; run: () => Promise<number> }[] = [
    { name: 'suotdoi (stream)', run: () => ourStream(file) },
    { name: 'suotdoi (buffer)', run: () => ourBuffer(file) },
  ];
  const skipped: ParseRun[] = [];
  const marcjs = await loadMarcjs();
  if (marcjs) {
    contestants.push({ name: 'marcjs (stream)', run: () => marcjsStream(marcjs, file) });
    contestants.push({ name: 'marcjs (parse per record)', run: () => marcjsRecords(marcjs, file) });
  } else {
    skipped.push({ name: 'marcjs', skipped: 'the marcjs package is not installed (npm install --no-save marcjs)' });
  }
  if (await yazAvailable()) contestants.push({ name: 'yaz-marcdump > /dev/null', run: () => yazMarcdump(file) });
  else skipped.push({ name: 'yaz-marcdump', skipped: 'yaz-marcdump is not installed (Debian package yaz)' });

  // Rounds interleave the contestants so that machine noise and heap state fall on all alike; the best round counts.
  const best = contestants.map(() => ({ records: 0, seconds: Number.POSITIVE_INFINITY }));
  for (let round = 0; round < repeat; round++) {
    for (const [i, contestant] of contestants.entries()) {
      const started = process.hrtime.bigint();
      const records = await contestant.run();
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const slot = best[i] as { records: number; seconds: number };
      if (seconds < slot.seconds) best[i] = { records: Number.isNaN(records) ? count : records, seconds };
    }
  }
  const runs: ParseRun[] = contestants.map(({ name }, i) => {
    const { records, seconds } = best[i] as { records: number; seconds: number };
    return { name, records, seconds, recordsPerSecond: records / seconds, megabytesPerSecond: bytes / 1e6 / seconds };
  });
  runs.push(...skipped);

  const ours = runs[0]?.recordsPerSecond ?? 0;
  const ratios: Record<string, number> = {};
  for (const run of runs.slice(2)) if (run.recordsPerSecond !== undefined) ratios[run.name] = ours / run.recordsPerSecond;

  for (const run of runs) {
    if (run.skipped) {
      log(`  ${run.name.padEnd(28)} skipped: ${run.skipped}`);
      continue;
    }
    log(
      `  ${run.name.padEnd(28)} ${String(Math.round(run.recordsPerSecond ?? 0)).padStart(9)} records/s ${(run.megabytesPerSecond ?? 0).toFixed(1).padStart(7)} MB/s ${(run.seconds ?? 0).toFixed(2).padStart(6)} s`,
    );
  }
  for (const [name, ratio] of Object.entries(ratios)) {
    log(`  suotdoi (stream) vs ${name}: ${ratio.toFixed(2)}x`);
  }
  return { file, records: count, bytes, runs, ratios };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const records = process.argv[2] === undefined ? undefined : Number(process.argv[2]);
  await benchMarcParse(records === undefined ? {} : { records });
}
