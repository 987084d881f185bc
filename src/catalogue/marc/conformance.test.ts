/**
 * Conformance over every file of ../shared/fixtures/marc/ (real records from other projects, see its
 * SOURCES.md): record counts, what is special about each file, decoded text, agreement with the twin
 * files and with yaz, and lossless round trips. Skipped, saying so, where the folder is absent.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import type { MarcEncoding } from './encoding.js';
import { MarcWriteError, type MarcIssueCode, type MarcReadItem } from './issues.js';
import { parseIso2709 } from './iso2709-reader.js';
import { writeIso2709Record } from './iso2709-writer.js';
import { parseMarcXml } from './marcxml-reader.js';
import { writeMarcXml, writeMarcXmlRecord } from './marcxml-writer.js';
import { firstValue, getControlValue, isDataField, type MarcRecord } from './record.js';
import { recordsOf } from './test-support.js';

const FIXTURES = path.resolve(process.cwd(), '../shared/fixtures/marc');
const present = existsSync(FIXTURES);
if (!present) console.log(`MARC conformance tests skipped: ${FIXTURES} is absent (the shared fixtures sit beside the checkout).`);

interface Expectation {
  /** Records read (items without an error). */
  records: number;
  /** Codes of the rejected items, in order. */
  errors?: MarcIssueCode[];
  /** Warning codes that must be among the warnings; without it, there must be no warning. */
  warnings?: MarcIssueCode[];
  /** Why the record count differs from yaz's count in SOURCES.md, when it does. */
  differs?: string;
  check?: (records: MarcRecord[], items: MarcReadItem[]) => void;
}

const title = (record: MarcRecord | undefined): string | undefined => (record ? firstValue(record, '245', 'a') : undefined);
const EXPECTATIONS: Record<string, Expectation> = {
  'evergreen/FSL.marc': {
    records: 52,
    warnings: ['encoding-mismatch'],
    check: (r) => expect(firstValue(r[0] as MarcRecord, '100', 'a')).toBe('Вершигора, Петр Петрович'),
  },
  'evergreen/RDA_record_CD_Claudia.mrc': { records: 1 },
  'evergreen/RDA_record_DVD-BLUE-RAY-MOVIE_Pineapple_express.mrc': { records: 1 },
  'evergreen/RDA_record_MAP_2012_Enchanted_Circle.mrc': { records: 1 },
  'evergreen/RDA_record_PHOTO_Srid_pa_ho.mrc': { records: 1, check: (r) => expect(r[0]?.leader.charAt(6)).toBe('k') },
  'evergreen/RDA_record_SCORE_Arias_for_bass.mrc': { records: 1 },
  'evergreen/RDA_record_SERIAL_IEEE_International_conference.mrc': { records: 1 },
  'evergreen/auth-subset100.mrc': { records: 17, check: (r) => expect(r.every((x) => x.leader.charAt(6) === 'z')).toBe(true) },
  'evergreen/badisbns.xml': { records: 10 },
  'evergreen/hebrew.marc': { records: 20, warnings: ['bad-marc8'] },
  'evergreen/lul_fre_100.mrc': { records: 100 },
  'evergreen/map_data.mrc': {
    records: 3,
    warnings: ['encoding-mismatch'],
    check: (r) => expect(firstValue(r[0] as MarcRecord, '255', 'c')).toBe('(W 126⁰--W 124⁰/N 42⁰--N 40⁰).'),
  },
  'evergreen/nepali.marc': { records: 96, warnings: ['bad-field'] },
  'evergreen/serials_marc21.xml': {
    records: 7,
    warnings: ['xml-syntax'],
    differs: 'seven <record> roots without a collection: read on with a warning, as Perl does; yaz stops after one',
  },
  'evergreen/serials_mfhd.xml': { records: 7, check: (r) => expect(r.every((x) => x.leader.charAt(6) === 'y')).toBe(true) },
  'idzebra-debian/collection-opera-43.xml': { records: 43 },
  'idzebra-debian/sample-marc': { records: 24, warnings: ['bad-field'] },
  'marc-perl/baddir.usmarc': {
    records: 1,
    warnings: ['directory-mismatch'],
    check: (r) => expect(getControlValue(r[0] as MarcRecord, '001')).toBe('    2000932'),
  },
  'marc-perl/badldr.usmarc': { records: 6, errors: ['truncated-record'] },
  'marc-perl/batch.xml': { records: 10 },
  'marc-perl/cameleof.usmarc': { records: 10 },
  'marc-perl/cjk1.marc': { records: 1 },
  'marc-perl/cjk4.marc': { records: 1 },
  'marc-perl/cyrillic.marc': { records: 1 },
  'marc-perl/escape.mrc': { records: 1, check: (r) => expect(JSON.stringify(r[0])).toMatch(/[<>&]/u) },
  'marc-perl/filler.usmarc': { records: 3 },
  'marc-perl/hebrew1.marc': { records: 1 },
  'marc-perl/invalid.xml': { records: 0, errors: ['not-marc'] },
  'marc-perl/namespace.xml': { records: 1, warnings: ['bad-marcxml'] },
  'marc-perl/title_proper.usmarc': { records: 5 },
  'marc2bibframe2/100-600-600complex-700.xml': { records: 1 },
  'marc2bibframe2/202799094.xml': { records: 1 },
  'marc2bibframe2/gwu.xml': { records: 99 },
  'marc2bibframe2/princeton.xml': { records: 99 },
  'marc4j/OCLC_814388508.xml': { records: 1 },
  'marc4j/azdoud.xml': { records: 1 },
  'marc4j/bad_leaders_10_11.mrc': { records: 1 },
  'marc4j/bad_oversize_field_bad_directory.mrc': {
    records: 4,
    errors: ['bad-directory'],
    differs: 'record 2 has a field over 9,999 bytes whose 5-digit length shifts its directory; it is rejected, not read',
  },
  'marc4j/brkrtest.mrc': { records: 8 },
  'marc4j/brkrtest_UTF8.mrc': { records: 8 },
  'marc4j/chabon-missing-subfield-code.xml': { records: 0, errors: ['bad-marcxml'], differs: 'a subfield without a code rejects its record' },
  'marc4j/chabon.mrc': { records: 2 },
  'marc4j/chabon.xml': { records: 2 },
  'marc4j/chinese_mangled_multibyte.mrc': { records: 4, warnings: ['bad-marc8'] },
  'marc4j/cyrillic_capital_e.mrc': { records: 2 },
  'marc4j/greekmissingcharsetchange.mrc': {
    records: 3,
    warnings: ['bad-marc8'],
    check: (r) =>
      expect(r[0]?.fields.find((f) => f.tag === '880' && isDataField(f) && f.subfields[0]?.value === '260-02/(S')).toMatchObject({
        subfields: [{}, { value: 'Αθηνα :' }, {}, {}],
      }),
  },
  'marc4j/loongboonmee.mrc': { records: 2 },
  'marc4j/sample1.mrc': { records: 7, errors: ['invalid-utf8'], warnings: ['bad-leader'], differs: 'record 7 holds invalid UTF-8 and is rejected' },
  'marc4j/selectedRecs.mrc': { records: 11 },
  'marc4j/summerland.mrc': { records: 1 },
  'marc4j/summerland.xml': { records: 1 },
  'marc4j/u335.mrc': { records: 1 },
  'marcjs/bib.mrc': {
    records: 6,
    warnings: ['encoding-mismatch'],
    check: (r) => expect(firstValue(r[0] as MarcRecord, '200', 'b')).toBe('Texte imprimé'),
  },
  'marcjs/bib.xml': { records: 6 },
  'openlibrary/00schlgoog_marc.xml': { records: 1 },
  'openlibrary/39002054008678_yale_edu_marc.xml': {
    records: 1,
    warnings: ['bad-marcxml'],
    check: (r) => expect(r[0]?.leader).toBe('00733cam a2200265 a 4500'),
  },
  'openlibrary/880_Nihon_no_chasho.mrc': { records: 1 },
  'openlibrary/880_alternate_script.mrc': { records: 1 },
  'openlibrary/880_arabic_french_many_linkages.mrc': { records: 1 },
  'openlibrary/880_publisher_unlinked.mrc': { records: 1 },
  'openlibrary/880_table_of_contents.mrc': { records: 1 },
  'openlibrary/9999_sd_dates.mrc': { records: 1 },
  'openlibrary/abhandlungender01ggoog_marc.xml': { records: 1, check: (r) => expect(r[0]?.leader).toBe('^^^^^nas^a22002651^^4500') },
  'openlibrary/collingswood_bad_008.mrc': { records: 1 },
  'openlibrary/dasrmischepriv00rein_meta.mrc': {
    records: 1,
    warnings: ['record-length-mismatch', 'directory-mismatch'],
    check: (r) => expect(firstValue(r[0] as MarcRecord, '260', 'a')).toBe('Leipzig :'),
  },
  'openlibrary/histoirereligieu05cr_meta.mrc': { records: 1 },
  'openlibrary/lesnoirsetlesrou0000garl_meta.mrc': { records: 1 },
  'openlibrary/nybc200247_marc.xml': { records: 1 },
  'openlibrary/talis_empty_245.mrc': { records: 1 },
  'openlibrary/uoft_4351105_1626.mrc': { records: 1 },
  'openlibrary/upei_short_008.mrc': {
    records: 1,
    warnings: ['bad-base-address', 'directory-mismatch', 'bad-field'],
    check: (r) => expect(title(r[0])).toBe('Charlottetown area profile.'),
  },
  'openlibrary/warofrebellionco1473unit_meta.mrc': { records: 1 },
  'pymarc/1251.dat': { records: 6, warnings: ['bad-marc8'] },
  'pymarc/bad_eacc_encoding.dat': { records: 1, warnings: ['bad-marc8'] },
  'pymarc/bad_marc8_escape.dat': {
    records: 1,
    warnings: ['bad-marc8'],
    check: (r) => expect(firstValue(r[0] as MarcRecord, '222', 'a')).toBe('Bulletin de la Soci\uFFFDté linn\uFFFDenne de Bordeaux'),
  },
  'pymarc/bad_records.mrc': {
    records: 6,
    errors: ['bad-directory', 'bad-directory'],
    warnings: ['bad-base-address'],
    differs: 'records 4 and 5 have malformed directories and are rejected',
  },
  'pymarc/batch.xml': { records: 2 },
  'pymarc/diacritic.dat': { records: 1 },
  'pymarc/marc.dat': { records: 20 },
  'pymarc/marc8.dat': { records: 1 },
  'pymarc/regression45.dat': { records: 12, warnings: ['bad-field'] },
  'pymarc/test.dat': { records: 10 },
  'pymarc/utf8.xml': { records: 1 },
  'pymarc/utf8_with_leader_flag.dat': { records: 1 },
  'pymarc/utf8_without_leader_flag.dat': { records: 1, warnings: ['encoding-mismatch'] },
  'ruby-marc/cp866_unimarc.marc': {
    records: 1,
    warnings: ['record-length-mismatch', 'directory-mismatch', 'bad-marc8'],
    differs: 'read (as Perl does) with its CP866 text marked as bad MARC-8',
  },
  'ruby-marc/escaped_character_reference.marc8.marc': {
    records: 1,
    check: (r) => expect(firstValue(r[0] as MarcRecord, '260', 'a')).toBe('Rio de Janeiro escaped replacement char: \uFFFD .'),
  },
  'ruby-marc/marc8_accented_chars.marc': {
    records: 1,
    warnings: ['encoding-mismatch'],
    check: (r) => expect(firstValue(r[0] as MarcRecord, '100', 'a')).toBe('Serreau, Geneviève.'),
  },
  'ruby-marc/marc_with_bad_utf8.utf8.marc': { records: 1, warnings: ['record-length-mismatch', 'directory-mismatch'] },
  'ruby-marc/three-records-second-bad.xml': {
    records: 2,
    errors: ['xml-syntax'],
    differs: 'record 2 (a control character in a code) is rejected and record 3 is read',
  },
  'ruby-marc/utf8_with_bad_bytes.marc': { records: 0, errors: ['invalid-utf8'], differs: 'invalid UTF-8 rejects the record (as Perl does)' },
  'traject/bad_utf_byte.utf8.marc': { records: 0, errors: ['invalid-utf8'], differs: 'invalid UTF-8 rejects the record (as Perl does)' },
  'traject/emptyish_record.marc': { records: 1 },
  'traject/hebrew880s.marc': { records: 1 },
  'traject/manuscript_online_thesis.marc': { records: 1 },
  'traject/musical_cage.marc': { records: 1 },
  'traject/one-marc8.mrc': { records: 1 },
  'traject/sample-oai-pmh.xml': { records: 0, errors: ['not-marc'], differs: 'its ten records are oai_dc, not MARC' },
  'traject/test_data.utf8.marc.xml': { records: 30 },
  'traject/test_data.utf8.mrc': { records: 30 },
  'xbib/IRMARC8.bin': { records: 10 },
  'xbib/error.mrc': {
    records: 1,
    warnings: ['record-length-mismatch', 'directory-mismatch'],
    check: (r) => expect(firstValue(r[0] as MarcRecord, '250', 'a')).toBe('1st ed.'),
  },
  'xbib/rism_190101037.mrc': { records: 1 },
  'xbib/zdbtitutf8.mrc': { records: 7, errors: ['truncated-record'] },
  'yaz/marc1.marc': { records: 1, warnings: ['bad-leader', 'bad-field'] },
  'yaz/marc1.xml': { records: 1 },
  'yaz/marc12.marc': { records: 1, warnings: ['bad-field', 'bad-marc8'] },
  'yaz/marc12.xml': { records: 1 },
  'yaz/marc5.marc': { records: 1, warnings: ['bad-field'] },
  'yaz/marc5.xml': { records: 1 },
  'yaz/marc6.marc': { records: 1 },
  'yaz/marc6.xml': { records: 1 },
  'yaz/marc7.marc': { records: 1 },
  'yaz/marc7.xml': { records: 1 },
  'yaz/marc8.marc': { records: 1 },
  'yaz/marc8.xml': { records: 1 },
  'yaz/marc9.marc': { records: 1 },
  'yaz/marc9.xml': { records: 1 },
  'yaz/marccol1.u8.marc': { records: 19 },
  'yaz/marccol5.u8.marc': { records: 11 },
};

/** Files that hold no records: charset notes for yaz's own tests, and MarcMaker text. */
const NOT_RECORDS = new Set([
  'yaz/marc1.chr',
  'yaz/marc5.chr',
  'yaz/marc6.chr',
  'yaz/marc7.chr',
  'yaz/marc8.chr',
  'yaz/marc9.chr',
  'yaz/marc12.chr',
  'marc4j/brkrtest.mrk',
]);

interface SourceRow {
  /** yaz's record count (the first of "yaz/perl"), or undefined for "-". */
  yaz: number | undefined;
  xsd: string;
}

function sourcesTable(): Map<string, SourceRow> {
  const rows = new Map<string, SourceRow>();
  let folder = '';
  for (const line of readFileSync(path.join(FIXTURES, 'SOURCES.md'), 'utf8').split('\n')) {
    const heading = /^## ([\w-]+)\//u.exec(line);
    if (heading) folder = heading[1] as string;
    const cells = line.split('|').map((cell) => cell.trim());
    if (!folder || cells.length < 9 || cells[1] === 'file' || cells[1]?.startsWith('---')) continue;
    const recs = cells[5] ?? '-';
    rows.set(`${folder}/${cells[1]}`, { yaz: recs === '-' ? undefined : Number(recs.split('/')[0]), xsd: cells[7] ?? '' });
  }
  return rows;
}

function fixtureFiles(): string[] {
  return readdirSync(FIXTURES, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((dir) => readdirSync(path.join(FIXTURES, dir.name)).map((file) => `${dir.name}/${file}`))
    .sort();
}

const cache = new Map<string, MarcReadItem[]>();
function read(file: string, encoding?: MarcEncoding): MarcReadItem[] {
  const key = `${file}:${encoding ?? ''}`;
  let items = cache.get(key);
  if (!items) {
    const bytes = readFileSync(path.join(FIXTURES, file));
    items = [...(file.endsWith('.xml') ? parseMarcXml(bytes) : parseIso2709(bytes, encoding ? { encoding } : {}))];
    cache.set(key, items);
  }
  return items;
}

function records(file: string, encoding?: MarcEncoding): MarcRecord[] {
  return read(file, encoding).flatMap((item) => (item.error ? [] : [item.record]));
}

/** A record without its leader positions that depend on the serialisation (lengths, base address, encoding). */
function content(record: MarcRecord): unknown {
  const { leader } = record;
  return { leader: leader.slice(5, 9) + leader.slice(17, 20), fields: record.fields };
}

const hasTool = (tool: string): boolean => spawnSync(tool, ['--version'], { stdio: 'ignore' }).error === undefined;

describe.skipIf(!present)('MARC conformance over ../shared/fixtures/marc', () => {
  const sources = present ? sourcesTable() : new Map<string, SourceRow>();
  const files = present ? fixtureFiles() : [];
  const recordFiles = files.filter((file) => !NOT_RECORDS.has(file));

  it('has an expectation for every file, and every file is described in SOURCES.md', () => {
    expect(files.filter((file) => !sources.has(file))).toEqual([]);
    expect(recordFiles.filter((file) => EXPECTATIONS[file] === undefined)).toEqual([]);
    expect(Object.keys(EXPECTATIONS).filter((file) => !files.includes(file))).toEqual([]);
  });

  it.each(recordFiles)('%s', (file) => {
    const expectation = EXPECTATIONS[file] as Expectation;
    const items = read(file);
    const found = records(file);
    expect(found).toHaveLength(expectation.records);
    expect(items.flatMap((item) => (item.error ? [item.error.code] : []))).toEqual(expectation.errors ?? []);
    const warnings = new Set(items.flatMap((item) => item.warnings.map((w) => w.code)));
    if (expectation.warnings) for (const code of expectation.warnings) expect(warnings).toContain(code);
    else expect([...warnings]).toEqual([]);
    const yaz = sources.get(file)?.yaz;
    if (expectation.differs === undefined) expect(found.length, 'record count in SOURCES.md').toBe(yaz);
    else expect(found.length, expectation.differs).not.toBe(yaz);
    items.forEach((item, i) => {
      expect(item.recordNumber).toBe(i + 1);
      if (item.error) expect(item.error.message).toMatch(/^Record \d+, (byte|line) \d+/u);
    });
    for (const record of found) {
      expect(record.leader).toHaveLength(24);
      for (const field of record.fields) {
        const texts = isDataField(field) ? field.subfields.map((s) => s.value) : [field.value];
        for (const text of texts) expect(text).toBe(text.normalize('NFC'));
      }
    }
    expectation.check?.(found, items);
  });

  it("charset notes name the charset yaz uses for each marcN.marc, and the records match yaz's expected MARCXML", () => {
    for (const n of [5, 6, 7, 8, 9, 12]) {
      const charset = readFileSync(path.join(FIXTURES, `yaz/marc${n}.chr`), 'utf8').trim();
      expect(['utf-8', 'marc-8']).toContain(charset);
      const ours = records(`yaz/marc${n}.marc`, charset === 'utf-8' ? 'utf8' : 'marc8').map(content);
      const expected = records(`yaz/marc${n}.xml`).map(content);
      if (n === 5) {
        expect(ours).not.toEqual(expected);
        expect(records('yaz/marc5.marc')[0]?.fields.find((f) => f.tag === '250')).toEqual({
          tag: '250',
          ind1: ' ',
          ind2: ' ',
          subfields: [{ code: 'a', value: '2η εκδ.' }],
        });
      } else if (n === 12) {
        expect(JSON.stringify(ours).replaceAll('\uFFFD', '')).toBe(JSON.stringify(expected));
      } else {
        expect(ours).toEqual(expected);
      }
    }
    expect(readFileSync(path.join(FIXTURES, 'yaz/marc1.chr'), 'utf8').trim()).toBe('iso-8859-1');
  });

  it('reads the same records from twin files', () => {
    const twins: [string, string][] = [
      ['marc4j/brkrtest.mrc', 'marc4j/brkrtest_UTF8.mrc'],
      ['marc4j/chabon.mrc', 'marc4j/chabon.xml'],
      ['marc4j/summerland.mrc', 'marc4j/summerland.xml'],
      ['traject/test_data.utf8.mrc', 'traject/test_data.utf8.marc.xml'],
      ['marcjs/bib.mrc', 'marcjs/bib.xml'],
      ['pymarc/utf8_with_leader_flag.dat', 'pymarc/utf8_without_leader_flag.dat'],
    ];
    for (const [a, b] of twins) expect(records(a).map(content), `${a} = ${b}`).toEqual(records(b).map(content));
  });

  it('agrees with the MarcMaker text of brkrtest: leaders, tags, indicators and plain values', () => {
    const mrk = readFileSync(path.join(FIXTURES, 'marc4j/brkrtest.mrk'), 'latin1')
      .split(/\r?\n\r?\n/u)
      .filter((block) => block.trim() !== '');
    const ours = records('marc4j/brkrtest.mrc');
    expect(mrk).toHaveLength(ours.length);
    mrk.forEach((block, i) => {
      const lines = block.split(/\r?\n/u).filter((line) => line.startsWith('='));
      const record = ours[i] as MarcRecord;
      expect(lines[0]?.slice(6, 11) + (lines[0]?.slice(17) ?? '')).toBe(record.leader.slice(0, 5) + record.leader.slice(11));
      expect(lines.slice(1).map((line) => line.slice(1, 4))).toEqual(record.fields.map((f) => f.tag));
      lines.slice(1).forEach((line, k) => {
        const field = record.fields[k];
        if (!field || !isDataField(field)) return;
        expect(line.slice(6, 8).replaceAll('\\', ' ')).toBe(field.ind1 + field.ind2);
        const values = line
          .slice(9)
          .split('$')
          .map((part) => part.slice(1));
        field.subfields.forEach((subfield, s) => {
          const value = values[s] ?? '';
          if (/^[\x20-\x7a|~]*$/u.test(value) && !value.includes('{')) expect(subfield.value).toBe(value);
        });
      });
    });
  });

  it('decodes MARC-8 scripts: Cyrillic, Hebrew, Arabic, CJK, and the Vietnamese ANSEL letters', () => {
    expect(records('marc-perl/cyrillic.marc')[0]?.fields.some((f) => isDataField(f) && f.subfields.some((s) => /[А-я]{4}/u.test(s.value)))).toBe(
      true,
    );
    expect(
      records('marc-perl/hebrew1.marc')[0]?.fields.some((f) => isDataField(f) && f.subfields.some((s) => /[\u05d0-\u05ea]{3}/u.test(s.value))),
    ).toBe(true);
    expect(records('yaz/marc9.marc')[0]?.fields.some((f) => isDataField(f) && f.subfields.some((s) => /[\u0620-\u064a]{3}/u.test(s.value)))).toBe(
      true,
    );
    expect(records('marc-perl/cjk1.marc')[0]?.fields.some((f) => isDataField(f) && f.subfields.some((s) => /\p{Script=Han}/u.test(s.value)))).toBe(
      true,
    );
    expect(
      records('marc4j/brkrtest.mrc')
        .flatMap((r) => r.fields)
        .some((f) => isDataField(f) && f.subfields.some((s) => /[ƠơƯư]/u.test(s.value))),
    ).toBe(true);
  });

  it('round-trips every record read: ISO 2709 and MARCXML give the same record back', () => {
    for (const file of recordFiles) {
      for (const record of records(file)) {
        expect(recordsOf(parseMarcXml(writeMarcXmlRecord(record))).map(content), file).toEqual([content(record)]);
        if (file === 'yaz/marc5.xml') {
          expect(() => writeIso2709Record(record), 'subfield code "η" has no place in ISO 2709').toThrow(MarcWriteError);
          continue;
        }
        expect(recordsOf(parseIso2709(writeIso2709Record(record))).map(content), file).toEqual([content(record)]);
      }
    }
  });

  it('ISO 2709 → MARCXML → ISO 2709 is byte-identical for the UTF-8 records read without warnings', () => {
    let compared = 0;
    for (const file of recordFiles.filter((f) => !f.endsWith('.xml'))) {
      const bytes = readFileSync(path.join(FIXTURES, file));
      for (const item of parseIso2709(bytes, { normalize: false })) {
        if (item.error || item.warnings.length > 0 || item.record.leader.charAt(9) !== 'a') continue;
        const viaXml = recordsOf(parseMarcXml(writeMarcXmlRecord(item.record), { normalize: false }))[0] as MarcRecord;
        const written = writeIso2709Record(viaXml);
        const original = Buffer.from(bytes.subarray(item.offset, (item.offset ?? 0) + written.length));
        original.write('4500', 20, 'latin1');
        expect(written.equals(original), `${file} record ${item.recordNumber}`).toBe(true);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(200);
  });

  it.skipIf(!present || !hasTool('xmllint'))('writes MARCXML that passes MARC21slim.xsd (checked with xmllint)', () => {
    const clean = recordFiles.filter((file) => sources.get(file)?.xsd === 'ok' && !file.endsWith('.xml'));
    const all = clean.flatMap((file) => read(file).flatMap((item) => (item.error || item.warnings.length > 0 ? [] : [item.record])));
    const schemas = path.resolve(FIXTURES, '../schemas');
    const result = spawnSync('xmllint', ['--nonet', '--noout', '--schema', path.join(schemas, 'MARC21slim.xsd'), '-'], {
      input: writeMarcXml(all),
      env: { ...process.env, XML_CATALOG_FILES: path.join(schemas, 'catalog.xml') },
      encoding: 'utf8',
    });
    expect(result.stderr.split('\n').slice(0, 5).join('\n').trim()).toBe('- validates');
  });

  it.skipIf(!present || !hasTool('yaz-marcdump'))('decodes like yaz-marcdump, except where yaz loses or garbles text', () => {
    const differ = new Map<string, string>([
      ['evergreen/FSL.marc', 'UTF-8 in a record that declares MARC-8: yaz reads it as MARC-8'],
      ['evergreen/map_data.mrc', 'idem'],
      ['marcjs/bib.mrc', 'idem'],
      ['pymarc/utf8_without_leader_flag.dat', 'idem'],
      ['ruby-marc/marc8_accented_chars.marc', 'MARC-8 in a record that declares UTF-8: yaz passes the bytes through'],
      ['evergreen/hebrew.marc', 'yaz drops a byte with no meaning where U+FFFD is put'],
      ['marc4j/chinese_mangled_multibyte.mrc', 'idem'],
      ['pymarc/bad_eacc_encoding.dat', 'idem'],
      ['pymarc/1251.dat', 'idem'],
      ['yaz/marc12.marc', 'idem; yaz 5.34 also writes malformed MARCXML for it'],
      ['pymarc/bad_marc8_escape.dat', 'yaz drops the text after a broken escape'],
      ['marc4j/greekmissingcharsetchange.mrc', 'yaz drops ASCII punctuation left in the Greek set'],
      ['ruby-marc/escaped_character_reference.marc8.marc', 'yaz leaves &#x...; references as they are'],
      ['xbib/IRMARC8.bin', 'idem'],
      ['openlibrary/dasrmischepriv00rein_meta.mrc', 'wrong directory lengths: fields are read by their terminators'],
      ['openlibrary/upei_short_008.mrc', 'idem'],
      ['xbib/error.mrc', 'idem'],
      ['ruby-marc/marc_with_bad_utf8.utf8.marc', 'idem'],
      ['yaz/marc5.marc', 'yaz takes the first character after the indicators for a subfield code'],
      ['ruby-marc/cp866_unimarc.marc', 'yaz reads no record'],
      ['pymarc/regression45.dat', 'text before the first subfield delimiter: yaz drops it, it is kept as $a here'],
    ]);
    const iso = recordFiles.filter((file) => !file.endsWith('.xml') && !read(file).some((item) => item.error));
    for (const file of iso.filter((f) => !differ.has(f))) {
      const ours = records(file);
      const args = ours[0]?.leader.charAt(9) === 'a' ? ['-o', 'marcxml'] : ['-f', 'MARC-8', '-t', 'UTF-8', '-o', 'marcxml'];
      const xml = spawnSync('yaz-marcdump', [...args, path.join(FIXTURES, file)], { encoding: 'utf8' }).stdout;
      const theirs = recordsOf(parseMarcXml(xml));
      expect(
        ours.map((r) => content(r)),
        file,
      ).toEqual(theirs.map((r) => content(r)));
    }
  });
});
