import { describe, expect, it } from 'vitest';

import {
  firstSubfield,
  firstValue,
  getControlValue,
  getDataFields,
  getFields,
  isControlField,
  isControlTag,
  isDataField,
  subfieldValues,
  type DataField,
  type MarcRecord,
} from './record.js';

const subjects: DataField = {
  tag: '650',
  ind1: ' ',
  ind2: '7',
  subfields: [
    { code: 'a', value: 'Thư viện' },
    { code: 'z', value: 'Hà Nội' },
    { code: 'a', value: 'Đọc sách' },
  ],
};
const record: MarcRecord = {
  leader: '00000nam a2200000 a 4500',
  fields: [
    { tag: '001', value: 'VN1' },
    {
      tag: '245',
      ind1: '1',
      ind2: '0',
      subfields: [
        { code: 'b', value: 'phụ đề' },
        { code: 'a', value: 'Nhan đề' },
      ],
    },
    subjects,
    { tag: '650', ind1: ' ', ind2: '7', subfields: [{ code: 'a', value: 'Văn hóa' }] },
  ],
};

describe('record helpers', () => {
  it('tells control fields from data fields', () => {
    expect(record.fields.map((field) => [isControlField(field), isDataField(field)])).toEqual([
      [true, false],
      [false, true],
      [false, true],
      [false, true],
    ]);
    expect(['001', '009', '00A', '010', '245', 'LDR', '00'].map(isControlTag)).toEqual([true, true, true, false, false, false, false]);
  });

  it('finds fields by tag, in record order', () => {
    expect(getFields(record, '650', '001').map((field) => field.tag)).toEqual(['001', '650', '650']);
    expect(getDataFields(record, '650')).toHaveLength(2);
    expect(getDataFields(record, '001')).toEqual([]);
    expect(getControlValue(record, '001')).toBe('VN1');
    expect(getControlValue(record, '245')).toBeUndefined();
  });

  it('reads subfield values', () => {
    expect(subfieldValues(subjects, 'a')).toEqual(['Thư viện', 'Đọc sách']);
    expect(firstSubfield(subjects, 'z')).toBe('Hà Nội');
    expect(firstSubfield(subjects, 'x')).toBeUndefined();
    expect(firstValue(record, '245', 'a')).toBe('Nhan đề');
    expect(firstValue(record, '650', 'a')).toBe('Thư viện');
    expect(firstValue(record, '100', 'a')).toBeUndefined();
  });
});
