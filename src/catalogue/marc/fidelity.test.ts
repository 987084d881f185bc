import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldVi } from '../../platform/text/index.js';
import { extract } from '../extract.js';
import { fixtureFiles } from './fixture-files.js';
import {
  firstValue,
  getDataFields,
  makeExportable,
  parseIso2709,
  parseMarcXml,
  writeIso2709,
  writeMarcXml,
  type MarcReadItem,
  type MarcRecord,
} from './index.js';
import { onlyRecord, recordsOf } from './test-support.js';

const files = fixtureFiles();
const file = (name: string) => files[name] as Buffer;
const read = (bytes: Buffer): MarcReadItem[] => [...parseIso2709(bytes)];
const hasTool = (tool: string): boolean => spawnSync(tool, ['--version'], { stdio: 'ignore' }).error === undefined;
const SCHEMA = path.resolve(process.cwd(), '../shared/fixtures/schemas/MARC21slim.xsd');
if (!hasTool('yaz-marcdump')) console.warn('yaz-marcdump is not installed: ISO 2709 exports are not re-read by it');
if (!hasTool('xmllint') || !existsSync(SCHEMA)) console.warn('xmllint or MARC21slim.xsd is absent: MARCXML exports are not validated');

/** A record as the writers keep it: the leader's computed positions (lengths, base address, 09-11, 20-23) left out; text in NFC. */
function kept(r: MarcRecord | undefined): unknown {
  return r && JSON.parse(JSON.stringify({ ...r, leader: r.leader.slice(5, 9) + r.leader.slice(17, 20) }).normalize('NFC'));
}

/** Both writers accept the records, each export reads back to the same records, and the independent readers agree. */
function expectExportable(list: MarcRecord[]): void {
  const iso = writeIso2709(list);
  const xml = writeMarcXml(list);
  expect(recordsOf(parseIso2709(iso)).map(kept)).toEqual(list.map(kept));
  expect(recordsOf(parseMarcXml(xml)).map(kept)).toEqual(list.map(kept));
  const dir = mkdtempSync(path.join(tmpdir(), 'marc-'));
  writeFileSync(path.join(dir, 'out.mrc'), iso);
  writeFileSync(path.join(dir, 'out.xml'), xml);
  if (hasTool('yaz-marcdump')) {
    const dump = spawnSync('yaz-marcdump', ['-o', 'line', path.join(dir, 'out.mrc')], { encoding: 'utf8' });
    expect(dump.stdout.split('\n').filter((l) => /^\d{5}/.test(l))).toHaveLength(list.length);
  }
  if (hasTool('xmllint') && existsSync(SCHEMA)) {
    const lint = spawnSync('xmllint', ['--noout', '--schema', SCHEMA, path.join(dir, 'out.xml')], { encoding: 'utf8' });
    expect(lint.status, lint.stderr).toBe(0);
  }
}

describe('nothing read is lost, nothing imported is unexportable', () => {
  it('cleans control characters in 008, non-ASCII indicators and subfield codes and malformed tags, naming each field', () => {
    const { record } = onlyRecord(parseIso2709(file('unexportable.mrc')));
    expect(() => writeMarcXml([record])).toThrow();
    const { record: clean, cleanings } = makeExportable(record);
    expect(cleanings.map((c) => c.tag)).toEqual(['008', '245', '1a!', '500']);
    expect(clean.fields.map((f) => f.tag)).toEqual(['001', '008', '245', '1AX', '500']);
    expect(getDataFields(clean, '245')[0]).toMatchObject({ ind1: '1', ind2: 'e' });
    expect(getDataFields(clean, '500')[0]?.subfields[0]?.code).toBe('e');
    expectExportable([clean]);
  });

  it('keeps the text of a field that does not start with a subfield delimiter as $a, with a warning', () => {
    const { record, warnings } = onlyRecord(parseIso2709(file('stray-text.mrc')));
    expect(firstValue(record, '250', 'a')).toBe('2nd ed.');
    expect(warnings[0]).toMatchObject({ code: 'bad-field', tag: '250' });
    expect(warnings[0]?.message).toContain('kept as $a');
  });

  it('decodes indicators as MARC-8 like the rest of the record, and cleans what is no indicator', () => {
    const { record } = onlyRecord(parseIso2709(file('marc8-indicator.mrc')));
    const ind1 = getDataFields(record, '245')[0]?.ind1;
    expect(ind1).toBe('\u0301');
    expect(getDataFields(makeExportable(record).record, '245')[0]?.ind1).toBe(' ');
  });

  it('reads MARCXchange collections like MARCXML', () => {
    const [record] = recordsOf(parseMarcXml(file('marcxchange.xml')));
    expect(record && firstValue(record, '245', 'a')).toBe('Đất nước');
  });

  it('accepts a 245 with only $k and $n', () => {
    const { record } = onlyRecord(parseIso2709(file('title-without-a.mrc')));
    expect(extract(record).title).toBe('Collected papers 1950-1960');
  });

  it.each([
    ['gzip.mrc', 'looks like gzip'],
    ['zip.mrc', 'looks like zip'],
    ['pdf.mrc', 'looks like PDF'],
    ['elf.mrc', 'looks like an ELF binary'],
    ['random.mrc', 'not a MARC file'],
    ['empty.mrc', 'empty'],
  ])('gives %s one clear answer (%s), with no phantom records', (name, words) => {
    const items = read(file(name));
    expect(items).toHaveLength(1);
    expect(items[0]?.error?.message).toContain(words);
  });

  it('folds modifier-letter apostrophes like the apostrophe, and indexes 880 with the field it links to', () => {
    for (const c of ['\u02b9', '\u02bb', '\u02bc']) expect(foldVi(`Hawai${c}i`)).toBe(foldVi("Hawai'i"));
    const record: MarcRecord = {
      leader: '00000nam a2200000 a 4500',
      fields: [
        {
          tag: '245',
          ind1: '0',
          ind2: '0',
          subfields: [
            { code: '6', value: '880-01' },
            { code: 'a', value: 'Tokyo monogatari' },
          ],
        },
        {
          tag: '880',
          ind1: '0',
          ind2: '0',
          subfields: [
            { code: '6', value: '245-01/$1' },
            { code: 'a', value: '東京物語' },
          ],
        },
      ],
    };
    expect(extract(record).titleFolded).toContain('東京物語');
  });

  it('round trip: every record the importer keeps is written by both writers and read back equal', () => {
    const char = fc.constantFrom('a', 'ệ', '\x01', '\x1f', '\u0301', 'Z', ' ', '|', '$', '\ud800', '漢');
    const text = fc.array(char, { maxLength: 6 }).map((a) => a.join(''));
    const one = fc.array(char, { minLength: 1, maxLength: 1 }).map((a) => a.join(''));
    const field = fc.oneof(
      fc.record({ tag: fc.constantFrom('001', '008', 'FMT', '00a'), value: text }),
      fc.record({
        tag: fc.constantFrom('245', '1a!', '880', '9Zz', '002'),
        ind1: one,
        ind2: one,
        subfields: fc.array(fc.record({ code: one, value: text }), { maxLength: 3 }),
      }),
    );
    fc.assert(
      fc.property(fc.array(field, { maxLength: 5 }), text, (fields, leaderText) => {
        const leader = `00000${leaderText}nam a2200000 a 4500`.slice(0, 24);
        const { record } = makeExportable({ leader, fields });
        const iso = writeIso2709([record]);
        const back = recordsOf(parseIso2709(iso))[0];
        const fromXml = recordsOf(parseMarcXml(writeMarcXml([record])))[0];
        expect(kept(back)).toEqual(kept(fromXml));
        expect(kept(back)).toEqual(kept(record));
      }),
      { numRuns: 300 },
    );
  });

  it('every record read from the conformance fixtures, once cleaned as the importer does, exports in both formats (re-read by yaz-marcdump and xmllint)', () => {
    const dir = path.resolve(process.cwd(), '../shared/fixtures/marc');
    if (!existsSync(dir)) {
      console.warn('../shared/fixtures/marc is absent: skipped');
      return;
    }
    const walk = (d: string): string[] =>
      readdirSync(d).flatMap((n) => (statSync(path.join(d, n)).isDirectory() ? walk(path.join(d, n)) : [path.join(d, n)]));
    const names = walk(dir).filter((f) => /\.(mrc|marc|dat|bin|xml|utf8)$/u.test(f));
    expect(names.length).toBeGreaterThan(50);
    for (const name of names) {
      const bytes = readFileSync(name);
      const xml = /^(\uFEFF)?\s*</u.test(bytes.subarray(0, 200).toString('utf8'));
      const items: MarcReadItem[] = [...(xml ? parseMarcXml(bytes) : parseIso2709(bytes))];
      const keptByImport = items.flatMap((i) => (i.record && (!i.error || i.error.code === 'invalid-utf8') ? [i.record] : []));
      const list = keptByImport.map((r) => makeExportable(r).record);
      if (list.length) expectExportable(list);
    }
  });
});
