import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { parseIso2709, readIso2709 } from './iso2709-reader.js';
import { writeIso2709, writeIso2709Record } from './iso2709-writer.js';
import { Marc8Decoder } from './marc8.js';
import { parseMarcXml } from './marcxml-reader.js';
import { writeMarcXml, writeMarcXmlRecord } from './marcxml-writer.js';
import type { MarcField, MarcRecord } from './record.js';
import { chunked, collect, recordsOf } from './test-support.js';
import { decodeTcvn3, decodeVni } from './vietnamese-legacy.js';
import { firstNonXmlCharacter } from './xml-tokenizer.js';

const VIETNAMESE = [
  ...'aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂĐÊÔƠƯ',
  ...'àáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ',
  ...'ÀÁẢÃẠẰẮẲẴẶẦẤẨẪẬÈÉẺẼẸỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌỒỐỔỖỘỜỚỞỠỢÙÚỦŨỤỪỨỬỮỰỲÝỶỸỴ',
  ' ',
  ' ',
  ',',
  '.',
  ':',
  '/',
  '-',
];

/** Text as a reader gives it: NFC, no MARC delimiters, nothing XML cannot carry. */
const text = fc
  .oneof(
    fc.string({ unit: fc.constantFrom(...VIETNAMESE), maxLength: 40 }),
    fc.string({ unit: 'grapheme', maxLength: 20 }),
    fc.string({
      unit: fc.constantFrom('a', 'e\u0301', 'o\u031B\u0323', '\t', '\n', '\r', '&', '<', '"', '\u00a0', '\u{1F600}', '\u4e2d'),
      maxLength: 10,
    }),
  )
  .map((s) => [...s.normalize('NFC')].filter((c) => firstNonXmlCharacter(c) === -1).join(''));

const printable = fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c));
const code = fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c));

const controlField = fc.record({ tag: fc.integer({ min: 1, max: 9 }).map((n) => `00${n}`), value: text });
const dataField = fc.record({
  tag: fc.integer({ min: 10, max: 999 }).map((n) => String(n).padStart(3, '0')),
  ind1: printable,
  ind2: printable,
  subfields: fc.array(fc.record({ code, value: text }), { maxLength: 5 }),
});

const record: fc.Arbitrary<MarcRecord> = fc.record({
  leader: fc.string({ unit: printable, minLength: 24, maxLength: 24 }),
  fields: fc.array(fc.oneof(controlField, dataField) as fc.Arbitrary<MarcField>, { maxLength: 8 }),
});

/** The leader a writer produces from the record's (lengths, base address, UTF-8 and entry map are computed). */
function sameLeaderParts(written: string, original: string): void {
  expect(written.slice(5, 9) + written.slice(17, 20)).toBe(original.slice(5, 9) + original.slice(17, 20));
  expect(written.charAt(9)).toBe('a');
}

describe('properties', () => {
  it('ISO 2709: write then read gives the record back', () => {
    fc.assert(
      fc.property(fc.array(record, { minLength: 1, maxLength: 4 }), (records) => {
        const back = recordsOf(parseIso2709(writeIso2709(records)));
        expect(back.map((r) => r.fields)).toEqual(records.map((r) => r.fields));
        back.forEach((r, i) => sameLeaderParts(r.leader, (records[i] as MarcRecord).leader));
      }),
      { numRuns: 300 },
    );
  });

  it('ISO 2709 → MARCXML → ISO 2709 is byte-identical', () => {
    fc.assert(
      fc.property(record, (original) => {
        const iso = writeIso2709Record(original);
        const read = recordsOf(parseIso2709(iso))[0] as MarcRecord;
        const viaXml = recordsOf(parseMarcXml(writeMarcXml([read])))[0] as MarcRecord;
        expect(writeIso2709Record(viaXml)).toEqual(iso);
      }),
      { numRuns: 300 },
    );
  });

  it('MARCXML: write then read gives the record back', () => {
    fc.assert(
      fc.property(record, fc.constantFrom('', '  ', '\t'), (original, indent) => {
        const leader = `${original.leader.slice(0, 9)}a22${original.leader.slice(12, 20)}4500`;
        expect(recordsOf(parseMarcXml(writeMarcXmlRecord(original, { indent })))).toEqual([{ ...original, leader }]);
      }),
      { numRuns: 300 },
    );
  });

  it('random bytes never make the ISO 2709 reader throw or hang, and every item says where it is', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), (bytes) => {
        for (const item of parseIso2709(bytes)) {
          expect(item.recordNumber).toBeGreaterThanOrEqual(1);
          if (item.error) expect(item.error.message).toMatch(/^Record \d+, byte \d+/u);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('damaged records never make the reader throw, and a stream cut anywhere reads like the buffer', async () => {
    const good = writeIso2709([
      {
        leader: '00000nam a2200000 a 4500',
        fields: [
          { tag: '001', value: 'a' },
          { tag: '245', ind1: '1', ind2: '0', subfields: [{ code: 'a', value: 'Thư viện' }] },
        ],
      },
      { leader: '00000nam  2200000 a 4500', fields: [{ tag: '245', ind1: '1', ind2: '0', subfields: [{ code: 'a', value: 'Plain' }] }] },
    ]);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat({ max: good.length - 1 }), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }),
        fc.nat({ max: good.length * 2 }),
        fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 5 }),
        async (edits, cut, sizes) => {
          const damaged = Buffer.concat([good, good]).subarray(0, cut);
          for (const [at, value] of edits) if (at < damaged.length) damaged[at] = value;
          const items = [...parseIso2709(damaged)];
          expect(await collect(readIso2709(chunked(damaged, sizes)))).toEqual(items);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('random text and damaged documents never make the MARCXML reader throw', () => {
    const document = writeMarcXml([
      { leader: '00000nam a2200000 a 4500', fields: [{ tag: '245', ind1: '1', ind2: '0', subfields: [{ code: 'a', value: 'Thư & viện' }] }] },
    ]);
    fc.assert(
      fc.property(fc.string({ maxLength: 500 }), fc.nat({ max: document.length }), fc.nat({ max: document.length }), (junk, from, to) => {
        expect(() => [...parseMarcXml(junk)]).not.toThrow();
        expect(() => [...parseMarcXml(document.slice(0, from) + junk + document.slice(to))]).not.toThrow();
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 1000 }), (bytes) => {
        expect(() => [...parseMarcXml(bytes)]).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });

  it('random bytes never make the MARC-8, TCVN3 and VNI decoders throw', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        expect(() => new Marc8Decoder().decode(bytes, 0, bytes.length, [])).not.toThrow();
        expect(() => decodeTcvn3(bytes, 0, bytes.length)).not.toThrow();
        expect(() => decodeVni(bytes, 0, bytes.length)).not.toThrow();
      }),
      { numRuns: 500 },
    );
  });
});
