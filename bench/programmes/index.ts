/**
 * Programmes benchmarks: registration throughput and p95 with 200 concurrent clients (each in
 * its own transaction, taking the programme's row lock), on PGlite and, when DATABASE_URL is
 * set, on PostgreSQL; and the public calendar page of a province with 20,000 sessions a year
 * (goal: p95 ≤ 50 ms).
 *
 *   npx tsx bench/programmes/index.ts
 */
import { pathToFileURL } from 'node:url';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/platform/config.js';
import { withTransaction, type Database, type Db } from '../../src/platform/db/index.js';
import { createTestDatabase } from '../../src/platform/testing/db.js';
import { vnDate, vnInstant, addDays } from '../../src/programmes/model.js';
import { register } from '../../src/programmes/registrations.js';
import { programmes, programmeSessions } from '../../src/programmes/schema.js';
import { makeCitizen, makeInstitution, makeProgramme, makeUnit } from '../../src/programmes/testing.js';
import { foldVi, sortKeyVi, toneKeyVi } from '../../src/platform/text/index.js';

export interface Figures {
  label: string;
  n: number;
  perSecond: number;
  p50: number;
  p95: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

function figures(label: string, times: number[], wallMs: number): Figures {
  const sorted = [...times].sort((a, b) => a - b);
  return { label, n: times.length, perSecond: (times.length / wallMs) * 1000, p50: percentile(sorted, 50), p95: percentile(sorted, 95) };
}

async function registrationRun(database: Database, label: string, clients = 200): Promise<Figures> {
  const db = database.db;
  const { programme } = await makeProgramme(db, { capacity: clients / 2 });
  const people = [];
  for (let i = 0; i < clients; i++) people.push(await makeCitizen(db));
  const times: number[] = [];
  const start = performance.now();
  await Promise.all(
    people.map(async (c) => {
      const t0 = performance.now();
      await withTransaction(db, (tx) => register(tx, c, programme.id, {}));
      times.push(performance.now() - t0);
    }),
  );
  return figures(`registration, ${clients} concurrent clients (${label})`, times, performance.now() - start);
}

/** A province of 9 districts and 60 institutions running 400 weekly programmes: 20,000 sessions a year. */
async function seedProvince(db: Db): Promise<{ provinceId: string; institutionId: string }> {
  const province = await makeUnit(db, { level: 'province', name: 'Tỉnh Thử Nghiệm' });
  const institutions = [];
  for (let d = 0; d < 9; d++) {
    const district = await makeUnit(db, { level: 'district', parent: province });
    for (let i = 0; i < 7; i++) institutions.push(await makeInstitution(db, { unit: district, type: 'culture_centre_district' }));
  }
  const year = vnDate(new Date()).slice(0, 4);
  const kinds = ['class', 'club', 'event', 'museum_education'] as const;
  for (let p = 0; p < 400; p++) {
    const inst = institutions[p % institutions.length]!;
    const title = `Lớp sinh hoạt cộng đồng số ${p + 1}`;
    const text = `${title} Nhà văn hóa`;
    const first = vnInstant(addDays(`${year}-01-01`, p % 7), `${String(7 + (p % 12)).padStart(2, '0')}:00`);
    const [row] = await db
      .insert(programmes)
      .values({
        institutionId: inst.id,
        unitId: inst.unitId,
        kind: kinds[p % 4]!,
        status: 'published',
        title,
        description: '',
        venue: 'Nhà văn hóa',
        startsAt: first,
        durationMinutes: 90,
        rrule: 'FREQ=WEEKLY;COUNT=50',
        capacity: 30,
        searchFolded: foldVi(text),
        searchTone: toneKeyVi(text),
        sortKey: sortKeyVi(title),
      })
      .returning();
    await db.insert(programmeSessions).values(
      Array.from({ length: 50 }, (_, w) => ({
        programmeId: row!.id,
        startsAt: new Date(first.getTime() + w * 7 * 86_400_000),
        endsAt: new Date(first.getTime() + w * 7 * 86_400_000 + 90 * 60_000),
      })),
    );
  }
  return { provinceId: province.id, institutionId: institutions[0]!.id };
}

async function calendarRun(database: Database, label: string, rounds = 60): Promise<Figures[]> {
  const { provinceId } = await seedProvince(database.db);
  const app = await buildApp({ config: loadConfig({ NODE_ENV: 'test', DEMO_DATA: 'false' }), database, transport: { send: async () => undefined } });
  const month = `${vnDate(new Date()).slice(0, 7)}-01`;
  const out: Figures[] = [];
  try {
    for (const view of ['month', 'week', 'list'] as const) {
      const url = `/calendar/units/${provinceId}?view=${view}&date=${month}`;
      for (let i = 0; i < 5; i++) await app.inject({ url });
      const times: number[] = [];
      const start = performance.now();
      for (let i = 0; i < rounds; i++) {
        const t0 = performance.now();
        const res = await app.inject({ url });
        if (res.statusCode !== 200) throw new Error(`${url} answered ${res.statusCode}`);
        times.push(performance.now() - t0);
      }
      out.push(figures(`province calendar, ${view} view, 20,000 sessions/year (${label})`, times, performance.now() - start));
    }
  } finally {
    await app.close();
  }
  return out;
}

function print(rows: Figures[]): void {
  for (const r of rows) {
    console.log(`${r.label}: ${r.n} requests, ${r.perSecond.toFixed(1)}/s, p50 ${r.p50.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms`);
  }
}

async function onBackend(label: string, url: string | undefined): Promise<Figures[]> {
  const saved = process.env.DATABASE_URL;
  if (url) process.env.DATABASE_URL = url;
  else delete process.env.DATABASE_URL;
  const database = await createTestDatabase();
  try {
    return [await registrationRun(database, label), ...(await calendarRun(database, label))];
  } finally {
    await database.close();
    if (saved === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = saved;
  }
}

/** Runs every programmes benchmark and prints the figures; returns them for the report. */
export async function benchProgrammes(): Promise<Figures[]> {
  const rows = await onBackend('PGlite', undefined);
  print(rows);
  if (process.env.DATABASE_URL) {
    const pg = await onBackend('PostgreSQL', process.env.DATABASE_URL);
    print(pg);
    rows.push(...pg);
  }
  return rows;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await benchProgrammes();
}
