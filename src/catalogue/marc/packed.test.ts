import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { packMarc, unpackMarc } from './packed.js';
import type { MarcField, MarcRecord } from './record.js';

const field: fc.Arbitrary<MarcField> = fc.oneof(
  fc.record({ tag: fc.string({ minLength: 3, maxLength: 3 }), value: fc.string() }),
  fc.record({
    tag: fc.string({ minLength: 3, maxLength: 3 }),
    ind1: fc.string({ maxLength: 1 }),
    ind2: fc.string({ maxLength: 1 }),
    subfields: fc.array(fc.record({ code: fc.string({ maxLength: 1 }), value: fc.string() }), { maxLength: 6 }),
  }),
);
const record: fc.Arbitrary<MarcRecord> = fc.record({
  leader: fc.string({ minLength: 24, maxLength: 24 }),
  fields: fc.array(field, { maxLength: 12 }),
});

describe('packed MARC', () => {
  it('reads back every record it packs, data fields without subfields included', () => {
    fc.assert(
      fc.property(record, (r) => {
        expect(unpackMarc(JSON.stringify(packMarc(r)))).toEqual(r);
      }),
    );
  });

  it('packs a record to arrays, half the size of MARC-in-JSON objects', () => {
    const r: MarcRecord = {
      leader: '00000nam a2200000 i 4500',
      fields: [
        { tag: '001', value: 'VL-1' },
        {
          tag: '245',
          ind1: '1',
          ind2: '0',
          subfields: [
            { code: 'a', value: 'Truyện Kiều /' },
            { code: 'c', value: 'Nguyễn Du.' },
          ],
        },
      ],
    };
    expect(packMarc(r)).toEqual(['00000nam a2200000 i 4500', ['001', 'VL-1'], ['245', '1', '0', 'a', 'Truyện Kiều /', 'c', 'Nguyễn Du.']]);
    expect(JSON.stringify(packMarc(r)).length).toBeLessThan(JSON.stringify(r).length * 0.6);
  });

  it('reads records stored as MARC-in-JSON objects before the packed form', () => {
    const r: MarcRecord = {
      leader: '00000cam a2200000 a 4500',
      fields: [{ tag: '245', ind1: '0', ind2: '0', subfields: [{ code: 'a', value: 'Lịch sử' }] }],
    };
    expect(unpackMarc(JSON.stringify(r))).toEqual(r);
  });
});
