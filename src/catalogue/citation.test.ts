import { describe, expect, test } from 'vitest';
import { citationVancouver, vancouverAuthors, vancouverName } from './citation.js';
import { extract } from './extract.js';
import type { DataField, MarcRecord } from './marc/index.js';
import { presentRecord } from './presenters.js';
import type { RecordRow } from './service.js';
import { testRecord } from './testing.js';

const name = (tag: string, ind1: string, ...subfields: Array<[string, string]>): DataField => ({
  tag,
  ind1,
  ind2: ' ',
  subfields: subfields.map(([code, value]) => ({ code, value })),
});

function view(marc: MarcRecord) {
  const row = { id: '00000000-0000-4000-8000-000000000001', marc, ...extract(marc) } as unknown as RecordRow;
  return presentRecord(row);
}

describe('Vancouver names', () => {
  test('Vietnamese names in natural order: family name first, then the initials of the rest', () => {
    expect(vancouverName('Nguyễn Du')).toBe('Nguyễn D');
    expect(vancouverName('Hồ Chí Minh')).toBe('Hồ CM');
    expect(vancouverName('Đặng Thai Mai')).toBe('Đặng TM');
    expect(vancouverName('Nguyễn Ánh Ưng')).toBe('Nguyễn ÁƯ');
    expect(vancouverName('Homer')).toBe('Homer');
  });

  test('inverted headings split at the comma; dates and trailing marks are left out', () => {
    expect(vancouverName('Nguyễn, Văn A')).toBe('Nguyễn VA');
    expect(vancouverName('Trần, Quốc Vượng,')).toBe('Trần QV');
    expect(vancouverName('Nguyễn, Du, 1765-1820.')).toBe('Nguyễn D');
    expect(vancouverName('Smith, John Paul')).toBe('Smith JP');
    expect(vancouverName('Sartre, Jean-Paul')).toBe('Sartre JP');
    expect(vancouverName('Lê, đức thọ')).toBe('Lê ĐT');
  });

  test('decomposed input gives the same precomposed initials', () => {
    expect(vancouverName('Nguyễn, Ánh'.normalize('NFD'))).toBe('Nguyễn Á');
  });

  test('headings from MARC: personal names abbreviated, family names and corporate bodies in full', () => {
    const marc: MarcRecord = {
      leader: '00000nam a2200000 i 4500',
      fields: [
        name('100', '0', ['a', 'Nguyễn Du,'], ['d', '1765-1820']),
        name('245', '1', ['a', 'Truyện Kiều']),
        name('700', '1', ['a', 'Đào, Duy Anh,'], ['e', 'chú giải']),
        name('700', '3', ['a', 'Họ Nguyễn Phúc.']),
        name('710', '2', ['a', 'Viện Văn học.'], ['b', 'Tổ Cổ văn']),
        name('700', '1', ['a', 'Đào, Duy Anh,']),
      ],
    };
    expect(vancouverAuthors(marc)).toEqual(['Nguyễn D', 'Đào DA', 'Họ Nguyễn Phúc', 'Viện Văn học. Tổ Cổ văn']);
  });
});

describe('Vancouver citation', () => {
  test('a book: authors, title, place and publisher, year', () => {
    const marc = testRecord({ title: 'Truyện Kiều', author: 'Nguyễn, Du', year: 2015, publisher: 'Nxb. Văn học' });
    expect(citationVancouver(view(marc), marc)).toBe('Nguyễn D. Truyện Kiều. Hà Nội: Nxb. Văn học; 2015.');
  });

  test('more than six authors end with et al.; an edition is given; missing parts are left out', () => {
    const marc = testRecord({ title: 'Lịch sử Việt Nam?', author: 'Phan, Huy Lê', year: 2017 });
    for (const n of ['Trần, Quốc Vượng', 'Hà, Văn Tấn', 'Lương, Ninh', 'Đinh, Xuân Lâm', 'Nguyễn, Văn Kự', 'Lê, Văn Lan'])
      marc.fields.push(name('700', '1', ['a', n]));
    marc.fields.push(name('250', ' ', ['a', 'Tái bản lần thứ 2.']));
    const r = view(marc);
    expect(citationVancouver(r, marc)).toBe(
      'Phan HL, Trần QV, Hà VT, Lương N, Đinh XL, Nguyễn VK, et al. Lịch sử Việt Nam? Tái bản lần thứ 2. Hà Nội: Nxb. Trẻ; 2017.',
    );
    expect(
      citationVancouver({ ...r, place: null, year: null }, { ...marc, fields: marc.fields.filter((f) => !['100', '700'].includes(f.tag)) }),
    ).toBe('Lịch sử Việt Nam? Tái bản lần thứ 2. Nxb. Trẻ.');
  });
});
