import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Actor } from '../platform/access.js';
import type { Db } from '../platform/db/index.js';
import { csvLine } from './csv.js';
import {
  DEMO_DATA_DATE,
  DEMO_OLD_UNITS_DATE,
  DEMO_REORGANISED_ON,
  demoCommunes2025,
  demoDistricts2023,
  demoInstitutions,
  demoProvince,
} from './demo-data.js';
import { importInstitutions, institutionCsvColumns } from './import-institutions.js';
import { importUnits } from './import-units.js';

/** The real unit lists beside the checkout, in the order they build on each other. */
export const fixtureFiles = ['ben-tre-2023.json', 'tra-vinh-2023.json', 'vinh-long-2023.json', 'vinh-long-2025.json', 'reorganisation-2025.json'];

export const defaultFixturesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../shared/fixtures/units');

/** The built-in lists, in the shapes of the fixture files, so that they take the same path in. */
function builtInDocuments(): string[] {
  const names = new Map(demoDistricts2023.flatMap((d) => d.communes.map(([code, name]) => [code, { name, district: d.code }] as const)));
  const snapshot2023 = {
    source: { data_date: DEMO_DATA_DATE },
    province: {
      ...demoProvince,
      districts: demoDistricts2023.map((d) => ({ ...d, communes: d.communes.map(([code, name, type]) => ({ code, name, type })) })),
    },
  };
  const snapshot2025 = {
    source: { data_date: DEMO_REORGANISED_ON },
    province: { ...demoProvince, communes: demoCommunes2025.map(({ code, name, type }) => ({ code, name, type })) },
  };
  const mapping = {
    source: { old_units: { data_date: DEMO_OLD_UNITS_DATE } },
    effective_date: DEMO_REORGANISED_ON,
    new_province: { code: demoProvince.code, name: demoProvince.name },
    old_provinces: [{ code: demoProvince.code, name: demoProvince.name }],
    new_to_old: demoCommunes2025.map((c) => ({
      code: c.code,
      name: c.name,
      formed_from: c.formedFrom.map(([code, merge]) => ({
        code,
        name: names.get(code)?.name ?? code,
        district_code: names.get(code)?.district ?? '',
        province_code: demoProvince.code,
        merge,
      })),
    })),
  };
  return [snapshot2023, snapshot2025, mapping].map((d) => JSON.stringify(d));
}

function institutionsCsv(): string {
  const columns = [...institutionCsvColumns.required, 'parent_code', 'serves_public', 'website'];
  return [
    csvLine(columns),
    ...demoInstitutions.map((i) =>
      csvLine([i.code, i.name, i.type, i.unit, i.parent ?? '', i.servesPublic === false ? 'false' : 'true', i.website ?? '']),
    ),
  ].join('\n');
}

export interface SeedSummary {
  source: 'fixtures' | 'built-in';
  /** Units, successions and institutions created by this run (0 when already loaded). */
  units: number;
  successions: number;
  institutions: number;
}

/**
 * Loads the demo units and institutions: the real unit lists when `fixturesDir` holds them, the
 * built-in ones otherwise. Running it again changes nothing. Fails loudly if any list is refused.
 */
export async function seedDemoOrgs(db: Db, actor: Actor, fixturesDir: string = defaultFixturesDir): Promise<SeedSummary> {
  const present = fixtureFiles.filter((f) => fs.existsSync(path.join(fixturesDir, f)));
  const useFixtures = present.length === fixtureFiles.length;
  const documents = useFixtures ? present.map((f) => fs.readFileSync(path.join(fixturesDir, f), 'utf8')) : builtInDocuments();
  const summary: SeedSummary = { source: useFixtures ? 'fixtures' : 'built-in', units: 0, successions: 0, institutions: 0 };
  for (const [i, text] of documents.entries()) {
    const report = await importUnits(db, actor, { format: 'json', text, fileName: useFixtures ? present[i] : `demo-${i + 1}.json` });
    if (report.errors.length) throw new Error(`demo units refused: ${JSON.stringify(report.errors.slice(0, 5))}`);
    summary.units += report.created;
    summary.successions += report.successions;
  }
  const report = await importInstitutions(db, actor, institutionsCsv(), { demo: true });
  if (report.errors.length) throw new Error(`demo institutions refused: ${JSON.stringify(report.errors.slice(0, 5))}`);
  summary.institutions = report.created;
  return summary;
}
