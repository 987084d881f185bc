import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { parseIso2709, readIso2709, readIso2709File } from './iso2709-reader.js';
import { writeIso2709Record } from './iso2709-writer.js';
import type { MarcRecord } from './record.js';
import { chunked, collect, onlyItem, onlyRecord, rawIso2709, recordsOf } from './test-support.js';

const vietnamese: MarcRecord = {
  leader: '00000nam a2200000 a 4500',
  fields: [
    { tag: '001', value: 'VN001' },
    { tag: '008', value: '240101s2024    vm            000 0 vie d' },
    { tag: '100', ind1: '1', ind2: ' ', subfields: [{ code: 'a', value: 'Nguyễn Thị Thư' }] },
    {
      tag: '245',
      ind1: '1',
      ind2: '0',
      subfields: [
        { code: 'a', value: 'Thư viện và học tập suốt đời :' },
        { code: 'b', value: 'ơ, ư, đ, ặ, ử' },
        { code: 'c', value: 'Nguyễn Thị Thư' },
      ],
    },
    {
      tag: '650',
      ind1: ' ',
      ind2: '7',
      subfields: [
        { code: 'a', value: 'Thư viện' },
        { code: 'z', value: 'Việt Nam' },
      ],
    },
  ],
};

const english: MarcRecord = {
  leader: '00000cam a2200000 i 4500',
  fields: [
    { tag: '001', value: 'EN002' },
    { tag: '245', ind1: '0', ind2: '0', subfields: [{ code: 'a', value: 'Plain ASCII title' }] },
  ],
};

function bytesOf(...records: MarcRecord[]): Buffer {
  return Buffer.concat(records.map((record) => writeIso2709Record(record)));
}

describe('parseIso2709: structure', () => {
  it('reads leader, control fields, data fields, indicators and subfields', () => {
    const { record, warnings, recordNumber, offset } = onlyRecord(parseIso2709(bytesOf(vietnamese)));
    expect(warnings).toEqual([]);
    expect(recordNumber).toBe(1);
    expect(offset).toBe(0);
    expect(record.fields).toEqual(vietnamese.fields);
    expect(record.leader.slice(5, 12)).toBe('nam a22');
  });

  it('counts lengths in bytes: a field of multibyte Vietnamese letters is not cut short', () => {
    const bytes = bytesOf(vietnamese);
    const entry = bytes.toString('latin1', 24 + 3 * 12, 24 + 4 * 12);
    expect(entry.slice(0, 3)).toBe('245');
    const length = Number(entry.slice(3, 7));
    const text = '10\x1faThư viện và học tập suốt đời :\x1fbơ, ư, đ, ặ, ử\x1fcNguyễn Thị Thư\x1e';
    expect(length).toBe(Buffer.byteLength(text, 'utf8'));
    expect(length).toBeGreaterThan(text.length);
    expect(recordsOf(parseIso2709(bytes))[0]?.fields[3]).toEqual(vietnamese.fields[3]);
  });

  it('numbers records from 1 and gives each its byte offset', () => {
    const bytes = bytesOf(vietnamese, english, vietnamese);
    const items = [...parseIso2709(bytes)];
    expect(items.map((item) => item.recordNumber)).toEqual([1, 2, 3]);
    const first = writeIso2709Record(vietnamese).length;
    const second = writeIso2709Record(english).length;
    expect(items.map((item) => item.offset)).toEqual([0, first, first + second]);
  });

  it('skips blank filler between records silently: line ends, NUL, DOS end-of-file, stray terminators', () => {
    const record = writeIso2709Record(english);
    const bytes = Buffer.concat([Buffer.from('\n\x00'), record, Buffer.from('\r\n\x1a\x1d  '), record, Buffer.from('\x00\x00\n')]);
    const items = [...parseIso2709(bytes)];
    expect(items).toHaveLength(2);
    expect(items.every((item) => !item.error && item.warnings.length === 0)).toBe(true);
    expect(items[1]?.offset).toBe(2 + record.length + 6);
  });

  it('reads the same records from a stream cut anywhere as from one buffer', async () => {
    const bytes = bytesOf(vietnamese, english, vietnamese, english);
    const expected = [...parseIso2709(bytes)];
    for (const sizes of [[1], [7, 3, 50], [4096], [23, 1, 1, 200]]) {
      expect(await collect(readIso2709(chunked(bytes, sizes)))).toEqual(expected);
    }
  });

  it('streams a file', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'marc-'));
    try {
      const file = path.join(dir, 'catalogue.mrc');
      const records = Array.from({ length: 3000 }, (_, i) => (i % 2 === 0 ? vietnamese : english));
      await writeFile(file, bytesOf(...records));
      const items = await collect(readIso2709File(file));
      expect(items.map((item) => item.record?.fields)).toEqual(records.map((r) => r.fields));
    } finally {
      await rm(dir, { recursive: true });
    }
  });

  it('skips a long run of bytes without a record terminator in a stream, and reads on', async () => {
    const bytes = Buffer.concat([writeIso2709Record(english), Buffer.alloc(150_000, 0x41), writeIso2709Record(english)]);
    const items = await collect(readIso2709(chunked(bytes, [65_536])));
    expect(items.map((item) => item.error?.code)).toEqual([undefined, 'bad-leader', undefined]);
    expect(items.at(-1)?.record?.fields).toEqual(english.fields);
  });

  it('reads an alphanumeric tag without delimiters as a control field and with them as a data field', () => {
    const bytes = rawIso2709([
      ['001', 'x1'],
      ['FMT', 'BK'],
      ['CAT', '  \x1faCATALOGUER'],
    ]);
    const { record } = onlyRecord(parseIso2709(bytes));
    expect(record.fields).toEqual([
      { tag: '001', value: 'x1' },
      { tag: 'FMT', value: 'BK' },
      { tag: 'CAT', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: 'CATALOGUER' }] },
    ]);
  });
});

describe('parseIso2709: character sets', () => {
  it('gives text in NFC, and keeps it as stored with normalize: false', () => {
    const decomposed = 'Thu\u031B vie\u0323\u0302n';
    const bytes = rawIso2709([['245', Buffer.from(`10\x1fa${decomposed}`, 'utf8')]]);
    const nfc = onlyRecord(parseIso2709(bytes)).record.fields[0];
    expect(nfc).toEqual({ tag: '245', ind1: '1', ind2: '0', subfields: [{ code: 'a', value: 'Thư viện' }] });
    const raw = onlyRecord(parseIso2709(bytes, { normalize: false })).record.fields[0];
    expect(raw).toEqual({ tag: '245', ind1: '1', ind2: '0', subfields: [{ code: 'a', value: decomposed }] });
  });

  it('reads MARC-8 when leader/09 is blank, moving diacritics after their letter', () => {
    const bytes = rawIso2709([['245', '10\x1faPh\xe2ep l\xf2a c\xe0ua s\xf2\xbd t\xe0inh th\xe2\xbdc.']], '00000nam  2200000 a 4500');
    const { record, warnings } = onlyRecord(parseIso2709(bytes));
    expect(warnings).toEqual([]);
    expect(record.fields[0]).toEqual({ tag: '245', ind1: '1', ind2: '0', subfields: [{ code: 'a', value: 'Phép lạ của sự tỉnh thức.' }] });
  });

  it('reads a record that declares MARC-8 but holds UTF-8 as UTF-8, with a warning', () => {
    const bytes = rawIso2709([['245', Buffer.from('10\x1faThư viện', 'utf8')]], '00000nam  2200000 a 4500');
    const { record, warnings } = onlyRecord(parseIso2709(bytes));
    expect(record.fields[0]).toMatchObject({ subfields: [{ code: 'a', value: 'Thư viện' }] });
    expect(warnings.map((w) => w.code)).toEqual(['encoding-mismatch']);
    expect(warnings[0]?.message).toContain('declares MARC-8');
  });

  it('reads one UTF-8 field of an otherwise MARC-8 record as UTF-8', () => {
    const bytes = rawIso2709(
      [
        ['245', '10\x1faCaf\xe2e'],
        ['255', Buffer.from('  \x1fc(W 126°--W 124°)', 'utf8')],
      ],
      '00000nam  2200000 a 4500',
    );
    const { record, warnings } = onlyRecord(parseIso2709(bytes));
    expect(record.fields.map((f) => ('subfields' in f ? f.subfields[0]?.value : ''))).toEqual(['Café', '(W 126°--W 124°)']);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ code: 'encoding-mismatch', tag: '255' });
  });

  it('reads MARC-8 bytes in a record that claims UTF-8 as MARC-8, with a warning', () => {
    const bytes = rawIso2709([['245', '10\x1faHistoire du nouveau th\xe2e\xe3atre']]);
    const { record, warnings } = onlyRecord(parseIso2709(bytes));
    expect(record.fields[0]).toMatchObject({ subfields: [{ value: 'Histoire du nouveau théâtre' }] });
    expect(warnings.map((w) => w.code)).toEqual(['encoding-mismatch']);
  });

  it('obeys a named encoding over leader/09', () => {
    const bytes = rawIso2709([['245', '10\x1faTh\xad vi\xd6n']]);
    const { record, warnings } = onlyRecord(parseIso2709(bytes, { encoding: 'tcvn3' }));
    expect(record.fields[0]).toMatchObject({ subfields: [{ value: 'Thư viện' }] });
    expect(warnings).toEqual([]);
  });

  it('converts TCVN3 and VNI when they are named', () => {
    const tcvn3 = rawIso2709([['245', '10\x1faLÞch s\xf6 v\xa8n h\xe4c ViÖt Nam']], '00000nam  2200000 a 4500');
    expect(onlyRecord(parseIso2709(tcvn3, { encoding: 'tcvn3' })).record.fields[0]).toMatchObject({
      subfields: [{ value: 'Lịch sử văn học Việt Nam' }],
    });
    const vni = rawIso2709([['245', '10\x1faLòch söû vaên hoïc Vieät Nam']], '00000nam  2200000 a 4500');
    expect(onlyRecord(parseIso2709(vni, { encoding: 'vni' })).record.fields[0]).toMatchObject({ subfields: [{ value: 'Lịch sử văn học Việt Nam' }] });
  });

  it('detects TCVN3 and VNI when no encoding is named, with a warning', () => {
    const tcvn3 = rawIso2709(
      [
        ['245', '10\x1faLÞch s\xf6 v\xa8n h\xe4c ViÖt Nam :\x1fbgi\xb8o tr\xd7nh\x1fcNguyÔn V\xa8n Ph\xf3c'],
        ['260', '  \x1faHµ Néi :\x1fbGi\xb8o dôc'],
      ],
      '00000nam  2200000 a 4500',
    );
    const fromTcvn3 = onlyRecord(parseIso2709(tcvn3));
    expect(fromTcvn3.record.fields[0]).toMatchObject({
      subfields: [{ value: 'Lịch sử văn học Việt Nam :' }, { value: 'giáo trình' }, { value: 'Nguyễn Văn Phúc' }],
    });
    expect(fromTcvn3.warnings.map((w) => w.code)).toEqual(['legacy-encoding']);
    expect(fromTcvn3.warnings[0]?.message).toContain('TCVN3');

    const vni = rawIso2709(
      [
        ['245', '10\x1faLòch söû vaên hoïc Vieät Nam :\x1fbgiaùo trình\x1fcNguyeãn Vaên Phuùc'],
        ['260', '  \x1faHaø Noäi :\x1fbGiaùo duïc'],
      ],
      '00000nam  2200000 a 4500',
    );
    const fromVni = onlyRecord(parseIso2709(vni));
    expect(fromVni.record.fields[1]).toMatchObject({ subfields: [{ value: 'Hà Nội :' }, { value: 'Giáo dục' }] });
    expect(fromVni.warnings.map((w) => w.code)).toEqual(['legacy-encoding']);
  });

  it('keeps MARC-8 for French or Vietnamese MARC-8 text, and for a record with too few letters to tell', () => {
    const french = rawIso2709([['245', "10\x1faHistoire de l'\xe2eglise de France :\x1fbd\xe2etudes et r\xe2ecits"]], '00000nam  2200000 a 4500');
    expect(onlyRecord(parseIso2709(french)).warnings).toEqual([]);
    const short = rawIso2709([['008', '721211s1972    nyua         \xf6000 0 eng  ']], '00000nam  2200000 a 4500');
    expect(onlyRecord(parseIso2709(short)).warnings.map((w) => w.code)).not.toContain('legacy-encoding');
  });
});

describe('parseIso2709: bad input', () => {
  it('reports an empty input', () => {
    const item = onlyItem(parseIso2709(new Uint8Array(0)));
    expect(item.error).toMatchObject({ code: 'empty-file', recordNumber: 1, offset: 0, severity: 'error' });
    expect(item.error?.message).toBe('Record 1, byte 0: the input is empty');
    expect(onlyItem(parseIso2709(Buffer.from(' \n\r\n'))).error?.code).toBe('empty-file');
  });

  it('reports a file that is not MARC, and stops', () => {
    const text = Buffer.from('Tên sách,Tác giả\nThư viện,Nguyễn An\n'.repeat(50));
    const item = onlyItem(parseIso2709(text));
    expect(item.error).toMatchObject({ code: 'not-marc', recordNumber: 1, offset: 0 });
    const xml = onlyItem(parseIso2709(Buffer.from('<?xml version="1.0"?><collection/>')));
    expect(xml.error?.code).toBe('not-marc');
    expect(xml.error?.message).toContain('MARCXML');
  });

  it('reports a truncated last record with its number and offset, keeping the records before it', () => {
    const good = bytesOf(vietnamese, english);
    const bytes = Buffer.concat([good, writeIso2709Record(vietnamese).subarray(0, 100)]);
    const items = [...parseIso2709(bytes)];
    expect(items.slice(0, 2).every((item) => item.record && !item.error)).toBe(true);
    expect(items[2]?.error).toMatchObject({ code: 'truncated-record', recordNumber: 3, offset: good.length });
    expect(items[2]?.error?.message).toContain('only 100 remain');
  });

  it('reads a record whose leader length is wrong, with a warning, and the next one after it', () => {
    const wrong = writeIso2709Record(vietnamese);
    wrong.write('00100', 0, 'latin1');
    const items = [...parseIso2709(Buffer.concat([wrong, writeIso2709Record(english)]))];
    expect(items).toHaveLength(2);
    expect(items[0]?.record?.fields).toEqual(vietnamese.fields);
    expect(items[0]?.warnings.map((w) => w.code)).toEqual(['record-length-mismatch']);
    expect(items[0]?.warnings[0]?.message).toContain(`the leader says the record is 100 bytes but its terminator comes after ${wrong.length} bytes`);
    expect(items[1]).toMatchObject({ recordNumber: 2, offset: wrong.length, warnings: [] });
  });

  it('reads a record that lacks its record terminator when the next leader follows', () => {
    const first = writeIso2709Record(english).subarray(0, -1);
    const items = [...parseIso2709(Buffer.concat([first, writeIso2709Record(vietnamese)]))];
    expect(items.map((item) => item.record?.fields[0])).toEqual([english.fields[0], vietnamese.fields[0]]);
    expect(items[0]?.warnings[0]?.message).toContain('record terminator (0x1D) is missing');
  });

  it('rejects a record whose directory is malformed and goes on with the next', () => {
    const bad = writeIso2709Record(english);
    bad.write('0x', 24 + 3, 'latin1');
    const items = [...parseIso2709(Buffer.concat([bad, writeIso2709Record(vietnamese)]))];
    expect(items[0]?.error).toMatchObject({ code: 'bad-directory', recordNumber: 1, offset: 24 });
    expect(items[0]?.error?.message).toContain('malformed entries');
    expect(items[1]?.record?.fields).toEqual(vietnamese.fields);
  });

  it('reads fields by their terminators when the directory lengths are wrong', () => {
    const bytes = writeIso2709Record(vietnamese);
    const entry = 24 + 12 * 3;
    const length = Number(bytes.toString('latin1', entry + 3, entry + 7));
    bytes.write(String(length - 3).padStart(4, '0'), entry + 3, 'latin1');
    const { record, warnings } = onlyRecord(parseIso2709(bytes));
    expect(record.fields).toEqual(vietnamese.fields);
    expect(warnings.map((w) => w.code)).toEqual(['directory-mismatch']);
  });

  it('rejects a record whose directory lists more fields than the data holds', () => {
    const bytes = writeIso2709Record(english);
    const data = bytes.indexOf(0x1e);
    bytes[data + 1 + 'EN002'.length] = 0x20;
    expect(onlyItem(parseIso2709(bytes)).error).toMatchObject({ code: 'bad-directory' });
    expect(onlyItem(parseIso2709(bytes)).error?.message).toContain('lists 2 fields but the data holds 1');
  });

  it('warns about a wrong base address and reads the record from its directory', () => {
    const bytes = writeIso2709Record(english);
    bytes.write('00099', 12, 'latin1');
    const { record, warnings } = onlyRecord(parseIso2709(bytes));
    expect(record.fields).toEqual(english.fields);
    expect(warnings).toMatchObject([{ code: 'bad-base-address', offset: 12 }]);
  });

  it('uses the base address when the directory terminator is missing', () => {
    const bytes = writeIso2709Record(english);
    const end = bytes.indexOf(0x1e);
    bytes[end] = 0x1f;
    const { record, warnings } = onlyRecord(parseIso2709(bytes));
    expect(record.fields).toEqual(english.fields);
    expect(warnings.map((w) => w.code)).toEqual(['directory-mismatch']);
  });

  it('rejects a record with invalid UTF-8, naming the byte and field, and keeps its neighbours', () => {
    const bad = rawIso2709([
      ['001', 'x'],
      ['245', Buffer.concat([Buffer.from('10\x1faTh'), Buffer.from([0xc6]), Buffer.from(' vi\xe1\xbb\x87n', 'latin1')])],
    ]);
    const bytes = Buffer.concat([writeIso2709Record(english), bad, writeIso2709Record(english)]);
    const items = [...parseIso2709(bytes)];
    expect(items.map((item) => item.error?.code)).toEqual([undefined, 'invalid-utf8', undefined]);
    const error = items[1]?.error;
    const badByte = bytes.indexOf(0xc6, writeIso2709Record(english).length);
    expect(error).toMatchObject({ recordNumber: 2, tag: '245', offset: badByte });
    expect(error?.message).toContain('0xC6 is not valid UTF-8');
    expect(items[1]?.record?.fields[1]).toMatchObject({ subfields: [{ value: 'Th\uFFFD viện' }] });
  });

  it('skips junk before a record with a warning', () => {
    const bytes = Buffer.concat([Buffer.from('GARBAGE!'), writeIso2709Record(english)]);
    const items = [...parseIso2709(Buffer.concat([writeIso2709Record(english), bytes]))];
    expect(items).toHaveLength(2);
    expect(items[1]?.record?.fields).toEqual(english.fields);
    expect(items[1]?.warnings).toMatchObject([{ code: 'skipped-bytes' }]);
  });

  it('rejects a run of bytes ending in a terminator that holds no record', () => {
    const bytes = Buffer.concat([writeIso2709Record(english), Buffer.from('not a record at all\x1d'), writeIso2709Record(english)]);
    const items = [...parseIso2709(bytes)];
    expect(items.map((item) => item.error?.code)).toEqual([undefined, 'bad-leader', undefined]);
    expect(items[1]?.error).toMatchObject({ recordNumber: 2 });
  });

  it('repairs a leader holding control bytes', () => {
    const bytes = writeIso2709Record(english);
    bytes[22] = 0x02;
    const { record, warnings } = onlyRecord(parseIso2709(bytes));
    expect(record.leader.charAt(22)).toBe(' ');
    expect(warnings.map((w) => w.code)).toEqual(['bad-leader']);
  });

  it('keeps text before the first subfield as $a, and warns about it, missing indicators and codes that are not codes', () => {
    const bytes = rawIso2709([
      ['250', '  2nd ed.\x1fbrevised'],
      ['300', '\x1fa123 p.'],
      ['500', '  \x1faOne\x1f two'],
      ['001', '00\x1faD000015937'],
    ]);
    const { record, warnings } = onlyRecord(parseIso2709(bytes));
    expect(record.fields).toEqual([
      {
        tag: '250',
        ind1: ' ',
        ind2: ' ',
        subfields: [
          { code: 'a', value: '2nd ed.' },
          { code: 'b', value: 'revised' },
        ],
      },
      { tag: '300', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: '123 p.' }] },
      { tag: '500', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: 'One two' }] },
      { tag: '001', ind1: '0', ind2: '0', subfields: [{ code: 'a', value: 'D000015937' }] },
    ]);
    expect(warnings.map((w) => [w.code, w.tag])).toEqual([
      ['bad-field', '250'],
      ['bad-field', '300'],
      ['bad-field', '500'],
      ['bad-field', '001'],
    ]);
    expect(warnings[0]?.message).toContain('"2nd ed."');
  });
});
