import { describe, expect, it } from 'vitest';

import { MarcWriteError } from './issues.js';
import { parseIso2709 } from './iso2709-reader.js';
import { MAX_FIELD_BYTES, MAX_RECORD_BYTES, writeIso2709, writeIso2709Record } from './iso2709-writer.js';
import type { MarcRecord } from './record.js';
import { recordsOf } from './test-support.js';

const record: MarcRecord = {
  leader: '01234cam  2200999 i 4500',
  fields: [
    { tag: '001', value: 'VN1' },
    {
      tag: '245',
      ind1: '1',
      ind2: '0',
      subfields: [
        { code: 'a', value: 'Đất nước' },
        { code: 'c', value: 'Nguyễn Khoa Điềm' },
      ],
    },
  ],
};

function thrown(run: () => unknown): MarcWriteError {
  try {
    run();
  } catch (error) {
    if (error instanceof MarcWriteError) return error;
    throw error;
  }
  throw new Error('expected a MarcWriteError');
}

describe('writeIso2709Record', () => {
  it('writes the exact ISO 2709 bytes, with lengths in bytes and UTF-8 declared', () => {
    const bytes = writeIso2709Record(record);
    const field245 = '10\x1faĐất nước\x1fcNguyễn Khoa Điềm\x1e';
    const length245 = Buffer.byteLength(field245, 'utf8');
    const expected = Buffer.concat([
      Buffer.from(`${String(24 + 24 + 1 + 4 + length245 + 1).padStart(5, '0')}cam a2200049 i 4500`, 'latin1'),
      Buffer.from(`001000400000245${String(length245).padStart(4, '0')}00004\x1e`, 'latin1'),
      Buffer.from(`VN1\x1e${field245}\x1d`, 'utf8'),
    ]);
    expect(bytes).toEqual(expected);
  });

  it('reads back as the same record, leader/09 now "a"', () => {
    const back = recordsOf(parseIso2709(writeIso2709Record(record)))[0];
    expect(back?.fields).toEqual(record.fields);
    expect(back?.leader.slice(5)).toBe('cam a2200049 i 4500');
  });

  it('writes a record without fields', () => {
    const bytes = writeIso2709Record({ leader: '00000nam a2200000 a 4500', fields: [] });
    expect(bytes.toString('latin1')).toBe('00026nam a2200025 a 4500\x1e\x1d');
  });

  it('concatenates records', () => {
    const bytes = writeIso2709([record, record]);
    expect(recordsOf(parseIso2709(bytes))).toHaveLength(2);
  });

  it('accepts a field of exactly 9,999 bytes and refuses one of 10,000', () => {
    const fits = (length: number): MarcRecord => ({
      leader: record.leader,
      fields: [{ tag: '520', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: 'x'.repeat(length - 5) }] }],
    });
    expect(recordsOf(parseIso2709(writeIso2709Record(fits(MAX_FIELD_BYTES))))).toHaveLength(1);
    const error = thrown(() => writeIso2709Record(fits(MAX_FIELD_BYTES + 1)));
    expect(error).toMatchObject({ code: 'field-too-long', tag: '520' });
    expect(error.message).toBe('Field 520 is 10000 bytes long; ISO 2709 allows at most 9999 bytes per field');
  });

  it('counts the field limit in bytes, not characters', () => {
    const vietnamese: MarcRecord = {
      leader: record.leader,
      fields: [{ tag: '520', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: 'ệ'.repeat(3400) }] }],
    };
    expect(thrown(() => writeIso2709Record(vietnamese)).code).toBe('field-too-long');
  });

  it('refuses a record over 99,999 bytes', () => {
    const fields = Array.from({ length: 12 }, () => ({ tag: '505', ind1: '0', ind2: ' ', subfields: [{ code: 'a', value: 'y'.repeat(9000) }] }));
    const error = thrown(() => writeIso2709Record({ leader: record.leader, fields }));
    expect(error.code).toBe('record-too-long');
    expect(error.message).toContain(`at most ${MAX_RECORD_BYTES} bytes per record`);
  });

  it('writes nothing when a record of a batch is refused', () => {
    const tooLong: MarcRecord = {
      leader: record.leader,
      fields: [{ tag: '500', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: 'z'.repeat(10_000) }] }],
    };
    expect(() => writeIso2709([record, tooLong])).toThrow(MarcWriteError);
  });

  it('refuses malformed leaders, tags, indicators, codes and text holding delimiters', () => {
    const cases: [MarcRecord, string][] = [
      [{ leader: 'short', fields: [] }, 'bad-leader'],
      [{ leader: '00000nam a2200000 a 450\u00a0', fields: [] }, 'bad-leader'],
      [{ leader: record.leader, fields: [{ tag: '24', value: 'x' }] }, 'bad-tag'],
      [{ leader: record.leader, fields: [{ tag: '245', ind1: '', ind2: ' ', subfields: [] }] }, 'bad-indicator'],
      [{ leader: record.leader, fields: [{ tag: '245', ind1: 'η', ind2: ' ', subfields: [] }] }, 'bad-indicator'],
      [{ leader: record.leader, fields: [{ tag: '245', ind1: ' ', ind2: ' ', subfields: [{ code: 'ab', value: 'x' }] }] }, 'bad-subfield-code'],
      [{ leader: record.leader, fields: [{ tag: '245', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: 'x\x1fy' }] }] }, 'bad-value'],
      [{ leader: record.leader, fields: [{ tag: '001', value: 'x\x1ey' }] }, 'bad-value'],
    ];
    for (const [bad, code] of cases) expect(thrown(() => writeIso2709Record(bad)).code).toBe(code);
  });
});
