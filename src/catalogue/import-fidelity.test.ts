import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Writable } from 'node:stream';
import { makeInstitution } from '../orgs/testing.js';
import { systemActor } from '../platform/access.js';
import type { Database } from '../platform/db/index.js';
import { createTestDatabase } from '../platform/testing/db.js';
import { exportMarc } from './export.js';
import { importMarc } from './import.js';
import { fixtureFiles } from './marc/fixture-files.js';
import { parseIso2709 } from './marc/index.js';

const files = fixtureFiles();

/** Collects what an export writes. */
function sink(): { out: Writable; bytes: () => Buffer } {
  const chunks: Buffer[] = [];
  const out = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(Buffer.from(chunk));
      done();
    },
  });
  return { out, bytes: () => Buffer.concat(chunks) };
}

describe('import: nothing read is lost, nothing imported is unexportable', () => {
  let database: Database;
  beforeAll(async () => {
    database = await createTestDatabase();
  }, 60_000);
  afterAll(async () => {
    await database.close();
  });

  test('a record with values no writer accepts is cleaned, reported field by field, and exports in both formats', async () => {
    const db = database.db;
    const lib = await makeInstitution(db);
    const report = await importMarc(db, systemActor, { bytes: files['unexportable.mrc'] as Buffer }, { libraryCode: lib.code });
    expect(report.added).toBe(1);
    const cleaned = report.problems.filter((p) => p.code === 'cleaned');
    expect(cleaned.map((p) => p.severity)).toEqual(['warning', 'warning', 'warning', 'warning']);
    expect(cleaned.map((p) => /field (\S+):/.exec(p.message)?.[1])).toEqual(['008', '245', '1a!', '500']);
    for (const format of ['iso2709', 'marcxml'] as const) {
      const { out, bytes } = sink();
      const result = await exportMarc(db, { format, out });
      expect(result.skipped).toEqual([]);
      expect(bytes().length).toBeGreaterThan(0);
    }
  });

  test('an export names each record it cannot write, never dropping one silently', async () => {
    const db = database.db;
    const lib = await makeInstitution(db);
    const xml = `<collection xmlns="http://www.loc.gov/MARC21/slim"><record><leader>00000nam a2200000 a 4500</leader>
      <controlfield tag="001">long-1</controlfield><datafield tag="245" ind1="0" ind2="0"><subfield code="a">Long</subfield></datafield>
      <datafield tag="500" ind1=" " ind2=" "><subfield code="a">${'x'.repeat(12_000)}</subfield></datafield>
      <datafield tag="852" ind1=" " ind2=" "><subfield code="p">LONG-1</subfield></datafield></record></collection>`;
    await importMarc(db, systemActor, { bytes: Buffer.from(xml) }, { libraryCode: lib.code });
    const iso = sink();
    const result = await exportMarc(db, { format: 'iso2709', out: iso.out, libraryCode: lib.code });
    expect(result.records).toBe(0);
    expect(result.skipped).toHaveLength(1);
    expect(result.skipped[0]?.reason).toContain('Field 500');
    const marcxml = sink();
    expect((await exportMarc(db, { format: 'marcxml', out: marcxml.out, libraryCode: lib.code })).records).toBe(1);
  });

  test('reader warnings reach the report, per record', async () => {
    const lib = await makeInstitution(database.db);
    const report = await importMarc(database.db, systemActor, { bytes: files['stray-text.mrc'] as Buffer }, { libraryCode: lib.code });
    expect(report.warnings).toBe(1);
    expect(report.problems).toMatchObject([{ recordNumber: 1, severity: 'warning', code: 'bad-field' }]);
  });

  test('holdings records attach their copies to the record named in 004, or are reported as holdings for an unknown record', async () => {
    const db = database.db;
    const lib = await makeInstitution(db);
    const report = await importMarc(db, systemActor, { bytes: files['holdings.mrc'] as Buffer }, { libraryCode: lib.code });
    expect(report).toMatchObject({ added: 1, holdings: 1, rejected: 0 });
    const problems = report.problems.filter((p) => p.severity === 'error');
    expect(problems).toHaveLength(1);
    expect(problems[0]?.message).toContain('holdings record for unknown record missing');
    expect(report.problems.some((p) => p.code === 'no-title')).toBe(false);
    // The bibliographic record has no copy of its own: the library exports it only because the holdings record gave it one.
    const { out, bytes } = sink();
    await exportMarc(db, { format: 'iso2709', out, libraryCode: lib.code });
    const [exported] = [...parseIso2709(bytes())];
    expect(exported?.record?.fields.find((f) => f.tag === '001')).toMatchObject({ value: 'bib-1' });
  });

  test.each(['gzip.mrc', 'zip.mrc', 'pdf.mrc', 'elf.mrc', 'random.mrc', 'empty.mrc'])(
    '%s gets one clear answer, not a pile of rejected records',
    async (name) => {
      const lib = await makeInstitution(database.db);
      const report = await importMarc(database.db, systemActor, { bytes: files[name] as Buffer }, { libraryCode: lib.code });
      expect(report.rejected).toBe(1);
      expect(report.problems).toHaveLength(1);
    },
  );
});
