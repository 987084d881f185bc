/**
 * Catalogue benchmarks: import throughput including the search index (goals: ≥ 2,000 records/s on
 * PGlite, ≥ 5,000 on PostgreSQL), search latency p50/p95 for two-word queries with facets (goal:
 * p95 ≤ 50 ms), and the OPAC result page under autocannon with its transferred size (≤ 60 KB).
 * Records come from the deterministic Vietnamese generator of bench/marc/generate.ts, imported from a file.
 *
 *   npx tsx bench/catalogue/index.ts [--records 100000]     (1000000 for the full-size run)
 *   npx tsx bench/catalogue/index.ts --records 20000 --import-only   (the import step alone)
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import autocannon from 'autocannon';
import { buildApp } from '../../src/app.js';
import { importMarc, searchCatalogue, warmSearchIndex } from '../../src/catalogue/index.js';
import { searchCatalogueSql } from '../../src/catalogue/search.js';
import { makeInstitution } from '../../src/orgs/testing.js';
import { systemActor } from '../../src/platform/access.js';
import { loadConfig } from '../../src/platform/config.js';
import { openDatabase, type Database } from '../../src/platform/db/index.js';
import { createTestDatabase } from '../../src/platform/testing/db.js';
import { seededRandom, writeVietnameseCatalogue } from '../marc/generate.js';

export interface CatalogueFigures {
  backend: string;
  records: number;
  importPerSecond: number;
  /** Building the in-memory search index from the database, and the memory it takes (heap and array buffers). */
  indexBuildMs: number;
  indexHeapMb: number;
  searchP50: number;
  searchP95: number;
  /** The same queries answered by SQL alone (the fallback while the index builds: a scan of the folded text, the same facets). */
  sqlP50: number;
  sqlP95: number;
  pageRequestsPerSecond: number;
  pageBytes: number;
}

const QUERY_WORDS = [
  'văn hóa',
  'lịch sử',
  'việt nam',
  'giáo dục',
  'nông nghiệp',
  'thư viện',
  'du lịch',
  'âm nhạc',
  'khoa học',
  'sức khỏe',
  'di sản',
  'lễ hội',
  'kỹ năng',
  'môi trường',
];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
}

/** Two-word queries, every other one typed without marks, as citizens type them. */
function queries(n: number): string[] {
  const random = seededRandom(7);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const q = QUERY_WORDS[Math.floor(random() * QUERY_WORDS.length)] ?? 'văn hóa';
    out.push(
      i % 2
        ? q
            .normalize('NFD')
            .replace(/[\u0300-\u036f]/g, '')
            .replace(/đ/g, 'd')
        : q,
    );
  }
  return out;
}

/** Imports `records` generated records from a file; returns records per second. */
async function importStep(database: Database, records: number): Promise<number> {
  const library = await makeInstitution(database.db);
  const dir = await mkdtemp(path.join(tmpdir(), 'suotdoi-bench-'));
  const file = path.join(dir, 'catalogue.mrc');
  await writeVietnameseCatalogue(file, records);
  const t0 = performance.now();
  const report = await importMarc(database.db, systemActor, { path: file }, { libraryCode: library.code, batchSize: 1000 });
  const importMs = performance.now() - t0;
  await rm(dir, { recursive: true, force: true });
  if (report.added + report.merged + report.unchanged !== records)
    throw new Error(`import lost records: ${JSON.stringify({ ...report, problems: report.problems.slice(0, 3) })}`);
  return (records / importMs) * 1000;
}

async function run(database: Database, backend: string, records: number, importOnly: boolean): Promise<CatalogueFigures> {
  const db = database.db;
  const importPerSecond = await importStep(database, records);
  if (importOnly)
    return {
      backend,
      records,
      importPerSecond,
      indexBuildMs: NaN,
      indexHeapMb: NaN,
      searchP50: NaN,
      searchP95: NaN,
      sqlP50: NaN,
      sqlP95: NaN,
      pageRequestsPerSecond: NaN,
      pageBytes: NaN,
    };
  await database.query('analyze');

  const used = () => process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
  global.gc?.();
  const heapBefore = used();
  const tBuild = performance.now();
  await warmSearchIndex(db);
  const indexBuildMs = performance.now() - tBuild;
  global.gc?.();
  const indexHeapMb = (used() - heapBefore) / 2 ** 20;

  const timed = async (search: typeof searchCatalogue, n: number) => {
    const times: number[] = [];
    for (const [i, q] of queries(n).entries()) {
      const s = performance.now();
      await search(db, { q, ...(i % 4 === 0 ? { available: true } : {}) });
      times.push(performance.now() - s);
    }
    return times.sort((a, b) => a - b);
  };
  const times = await timed(searchCatalogue, 200);
  // SQL alone takes seconds per query over a million records: fewer of the same queries.
  const sqlTimes = await timed(searchCatalogueSql, records > 200_000 ? 20 : 200);

  const app = await buildApp({ config: loadConfig({ NODE_ENV: 'test', DEMO_DATA: 'false' }), database, transport: { send: async () => undefined } });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  const url = `${address}/catalogue?q=${encodeURIComponent('van hoa')}`;
  const page = await fetch(url);
  const pageBytes = (await page.arrayBuffer()).byteLength;
  const result = await autocannon({ url, connections: 10, duration: 10 });
  await app.close();
  return {
    backend,
    records,
    importPerSecond,
    indexBuildMs,
    indexHeapMb,
    searchP50: percentile(times, 50),
    searchP95: percentile(times, 95),
    sqlP50: percentile(sqlTimes, 50),
    sqlP95: percentile(sqlTimes, 95),
    pageRequestsPerSecond: result.requests.average,
    pageBytes,
  };
}

export function printCatalogue(all: CatalogueFigures[]): void {
  for (const f of all) {
    console.log(`${f.backend}, ${f.records.toLocaleString('en')} records:`);
    console.log(`  import incl. search index: ${f.importPerSecond.toFixed(0)} records/s (goal ≥ ${f.backend === 'PGlite' ? '2,000' : '5,000'})`);
    if (Number.isNaN(f.searchP95)) continue;
    console.log(`  search index built in ${(f.indexBuildMs / 1000).toFixed(1)} s, ${f.indexHeapMb.toFixed(0)} MB of memory`);
    console.log(`  two-word search with facets: p50 ${f.searchP50.toFixed(1)} ms, p95 ${f.searchP95.toFixed(1)} ms (goal p95 ≤ 50 ms)`);
    console.log(
      `    same queries by SQL alone: p50 ${f.sqlP50.toFixed(1)} ms, p95 ${f.sqlP95.toFixed(1)} ms (${(f.sqlP95 / f.searchP95).toFixed(1)}× the index's p95)`,
    );
    console.log(
      `  OPAC result page: ${f.pageRequestsPerSecond.toFixed(0)} requests/s (10 connections), ${(f.pageBytes / 1024).toFixed(1)} KB uncompressed (goal ≤ 60 KB)`,
    );
  }
}

/** Runs on PGlite and, when DATABASE_URL is set, on PostgreSQL. */
export async function benchCatalogue(records = 100_000, importOnly = false): Promise<CatalogueFigures[]> {
  const out: CatalogueFigures[] = [];
  const saved = process.env.DATABASE_URL;
  // PGlite in a data folder on disk, as the server runs it (a million records would not fit its memory).
  const dataDir = await mkdtemp(path.join(tmpdir(), 'suotdoi-bench-db-'));
  const lite = await openDatabase({ dataDir });
  try {
    await lite.migrate();
    out.push(await run(lite, 'PGlite', records, importOnly));
  } finally {
    await lite.close();
    await rm(dataDir, { recursive: true, force: true });
  }
  if (saved) {
    const server = await createTestDatabase();
    try {
      out.push(await run(server, 'PostgreSQL', records, importOnly));
    } finally {
      await server.close();
    }
  }
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const at = process.argv.indexOf('--records');
  const n = at > 0 ? Number(process.argv[at + 1]) : 100_000;
  printCatalogue(await benchCatalogue(Number.isFinite(n) && n > 0 ? n : 100_000, process.argv.includes('--import-only')));
}
