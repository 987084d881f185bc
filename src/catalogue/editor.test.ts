import { describe, expect, test } from 'vitest';
import { ValidationError } from '../platform/errors.js';
import { gridOf, marcJsonOf, recordFromGrid, recordFromMarcJson, recordFromSimple, type MarcJson } from './editor.js';
import { extract } from './extract.js';
import { writeIso2709Record } from './marc/index.js';
import { testRecord } from './testing.js';

function issuesOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof ValidationError) return err.issues.map((i) => `${i.field} ${i.key}`);
    throw err;
  }
  return [];
}

describe('MARC editor', () => {
  test('grid round trip', () => {
    const marc = testRecord({ title: 'Truyện Kiều', author: 'Nguyễn, Du', year: 1820, isbn: '978-604-0-00000-2' });
    const back = recordFromGrid(marc.leader, gridOf(marc));
    expect(back).toEqual({ ...marc, fields: [...marc.fields].sort((a, b) => a.tag.localeCompare(b.tag)) });
  });

  test('validation names the row and what is wrong', () => {
    const rows = [
      { tag: '008', ind1: '', ind2: '', data: 'ngắn' },
      { tag: '24', ind1: '', ind2: '', data: '$aX' },
      { tag: '100', ind1: 'X', ind2: '_', data: '$aAi' },
      { tag: '500', ind1: '_', ind2: '_', data: 'không có mã' },
      { tag: '650', ind1: '_', ind2: '7', data: '$A Sai mã$a' },
      { tag: '001', ind1: '', ind2: '', data: '$a1' },
      { tag: '100', ind1: '1', ind2: '_', data: '$aHai' },
    ];
    expect(issuesOf(() => recordFromGrid('bad', rows))).toEqual([
      'leader catalogue.editor.badLeader',
      'data.0 catalogue.editor.bad008',
      'tag.1 catalogue.editor.badTag',
      'ind1.2 catalogue.editor.badIndicator',
      'data.3 catalogue.editor.noSubfields',
      'data.4 catalogue.editor.badSubfieldCode',
      'data.4 catalogue.editor.emptySubfield',
      'data.5 catalogue.editor.controlSubfields',
      'tag.6 catalogue.editor.notRepeatable',
      'tag catalogue.editor.need245',
    ]);
  });

  test('the simple form writes proper MARC', () => {
    const marc = recordFromSimple(
      {
        title: 'Văn hoá làng',
        subtitle: 'khảo cứu',
        author: 'Trần, Quốc Vượng',
        publisher: 'Nxb. Văn hóa',
        place: 'Hà Nội',
        year: 2001,
        isbn: '0306406152',
        subjects: 'Văn hóa; Làng xã',
        ddc: '306.09597',
      },
      new Date('2026-01-02T00:00:00Z'),
    );
    expect(() => writeIso2709Record(marc)).not.toThrow();
    const x = extract(marc);
    expect(x).toMatchObject({
      title: 'Văn hóa làng khảo cứu',
      authors: ['Trần, Quốc Vượng'],
      year: 2001,
      isbns: ['9780306406157'],
      subjects: ['Văn hóa', 'Làng xã'],
      ddcClass: 3,
      language: 'vie',
      publisher: 'Nxb. Văn hóa',
      place: 'Hà Nội',
    });
    expect(marc.fields.find((f) => f.tag === '008')).toEqual({ tag: '008', value: '260102s2001    vm            000 0 vie d' });
    expect(issuesOf(() => recordFromSimple({ title: 'X', isbn: '978-604-0-00000-1' }))).toEqual(['isbn catalogue.editor.badIsbn']);
  });

  test('MARC-in-JSON: round trip, values may hold "$", problems name the field in the body', () => {
    const marc = testRecord({ title: 'Giá $5', author: 'Nguyễn, Du', year: 1820 });
    const sorted = { ...marc, fields: [...marc.fields].sort((a, b) => a.tag.localeCompare(b.tag)) };
    expect(recordFromMarcJson(marcJsonOf(marc))).toEqual(sorted);
    const bad: MarcJson = {
      leader: 'short',
      fields: [
        { '008': 'ngắn' },
        { '24': 'x' },
        { '100': { ind1: 'X', ind2: ' ', subfields: [{ a: 'Ai' }] } },
        { '500': { ind1: ' ', ind2: ' ', subfields: [] } },
        { '650': { ind1: ' ', ind2: '7', subfields: [{ A: 'Sai' }, { a: ' ' }] } },
      ],
    };
    expect(issuesOf(() => recordFromMarcJson(bad))).toEqual([
      'marc.leader catalogue.editor.badLeader',
      'marc.fields.0 catalogue.editor.bad008',
      'marc.fields.1 catalogue.editor.badTag',
      'marc.fields.2.ind1 catalogue.editor.badIndicator',
      'marc.fields.3 catalogue.editor.noSubfields',
      'marc.fields.4 catalogue.editor.badSubfieldCode',
      'marc.fields.4 catalogue.editor.emptySubfield',
      'marc.fields catalogue.editor.need245',
    ]);
  });
});
