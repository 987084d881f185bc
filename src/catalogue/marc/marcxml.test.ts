import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { MarcWriteError } from './issues.js';
import { parseIso2709 } from './iso2709-reader.js';
import { writeIso2709Record } from './iso2709-writer.js';
import { MARCXML_NAMESPACE, parseMarcXml, readMarcXml, readMarcXmlFile } from './marcxml-reader.js';
import { streamMarcXml, writeMarcXml, writeMarcXmlRecord } from './marcxml-writer.js';
import type { MarcRecord } from './record.js';
import { chunked, collect, onlyItem, onlyRecord, recordsOf } from './test-support.js';

const record: MarcRecord = {
  leader: '00000nam a2200000 a 4500',
  fields: [
    { tag: '001', value: 'VN<1>' },
    {
      tag: '245',
      ind1: '1',
      ind2: '0',
      subfields: [
        { code: 'a', value: 'Tôm & cá "tươi" <ngon>' },
        { code: 'c', value: 'Lê  Văn\tA\r\nB' },
      ],
    },
    { tag: '500', ind1: '"', ind2: '&', subfields: [{ code: '<', value: '' }] },
  ],
};

describe('writeMarcXmlRecord', () => {
  it('writes the MARC21 slim structure with everything escaped', () => {
    expect(writeMarcXmlRecord(record)).toBe(
      [
        `<record xmlns="${MARCXML_NAMESPACE}">`,
        '  <leader>00000nam a2200000 a 4500</leader>',
        '  <controlfield tag="001">VN&lt;1&gt;</controlfield>',
        '  <datafield tag="245" ind1="1" ind2="0">',
        '    <subfield code="a">Tôm &amp; cá "tươi" &lt;ngon&gt;</subfield>',
        '    <subfield code="c">Lê  Văn\tA&#13;\nB</subfield>',
        '  </datafield>',
        '  <datafield tag="500" ind1="&quot;" ind2="&amp;">',
        '    <subfield code="&lt;"></subfield>',
        '  </datafield>',
        '</record>',
      ].join('\n'),
    );
  });

  it('sets leader/09 to "a" (MARCXML text is Unicode) and the MARC 21 constants of leader/10-11 and 20-23', () => {
    const marc8 = { ...record, leader: '00000nam    00000 a     ' };
    expect(writeMarcXmlRecord(marc8, { indent: '' })).toContain('<leader>00000nam a2200000 a 4500</leader>');
  });

  it('refuses text XML cannot carry', () => {
    const bad: MarcRecord = {
      leader: record.leader,
      fields: [{ tag: '245', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: 'form\x0cfeed' }] }],
    };
    expect(() => writeMarcXmlRecord(bad)).toThrow(MarcWriteError);
    expect(() => writeMarcXmlRecord(bad)).toThrow('Field 245: subfield $a holds U+000C, which XML 1.0 cannot represent');
  });

  it('writes a collection document, at once or streaming', async () => {
    const document = writeMarcXml([record, record]);
    expect(document.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<collection xmlns="http://www.loc.gov/MARC21/slim">\n<record>')).toBe(true);
    expect(document.endsWith('</record>\n</collection>\n')).toBe(true);
    expect((await collect(streamMarcXml([record, record]))).join('')).toBe(document);
  });
});

describe('parseMarcXml', () => {
  it('reads back exactly what was written', () => {
    expect(recordsOf(parseMarcXml(writeMarcXml([record, record])))).toEqual([record, record]);
  });

  it('reads records in the MARC namespace under any prefix, or in no namespace', () => {
    const prefixed = `<marc:collection xmlns:marc="${MARCXML_NAMESPACE}"><marc:record><marc:leader>00000nam a2200000 a 4500</marc:leader><marc:controlfield tag="001">1</marc:controlfield></marc:record></marc:collection>`;
    const bare = '<collection><record><leader>00000nam a2200000 a 4500</leader><controlfield tag="001">2</controlfield></record></collection>';
    const single = `<record xmlns="${MARCXML_NAMESPACE}"><leader>00000nam a2200000 a 4500</leader><controlfield tag="001">3</controlfield></record>`;
    expect([prefixed, bare, single].map((xml) => onlyRecord(parseMarcXml(xml)).record.fields)).toEqual([
      [{ tag: '001', value: '1' }],
      [{ tag: '001', value: '2' }],
      [{ tag: '001', value: '3' }],
    ]);
  });

  it('finds records inside another document (OAI-PMH) and ignores records of other namespaces', () => {
    const xml = `<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><ListRecords><record><header/><metadata><marc:record xmlns:marc="${MARCXML_NAMESPACE}"><marc:leader>00000nam a2200000 a 4500</marc:leader></marc:record></metadata></record></ListRecords></OAI-PMH>`;
    const item = onlyRecord(parseMarcXml(xml));
    expect(item.record).toEqual({ leader: '00000nam a2200000 a 4500', fields: [] });
    expect(item.line).toBe(1);
  });

  it('normalises to NFC unless told not to', () => {
    const xml =
      '<record><leader>00000nam a2200000 a 4500</leader><datafield tag="245" ind1=" " ind2=" "><subfield code="a">Vie&#x0323;&#x0302;t</subfield></datafield></record>';
    expect(onlyRecord(parseMarcXml(xml)).record.fields[0]).toMatchObject({ subfields: [{ value: 'Việt' }] });
    expect(onlyRecord(parseMarcXml(xml, { normalize: false })).record.fields[0]).toMatchObject({ subfields: [{ value: 'Vie\u0323\u0302t' }] });
  });

  it('repairs leaders that are not 24 ASCII characters, with warnings', () => {
    const xml =
      '<collection><record><leader>01142cam\u00a0\u00a02200301 a 4500</leader></record><record><leader>short</leader></record></collection>';
    const items = [...parseMarcXml(xml)];
    expect(items.map((item) => item.record?.leader)).toEqual(['01142cam  2200301 a 4500', 'short                   ']);
    expect(items.map((item) => item.warnings.map((w) => w.code))).toEqual([['bad-marcxml'], ['bad-marcxml']]);
  });

  it('assumes blank indicators when they are missing or empty, with warnings', () => {
    const xml = '<record><leader>00000nam a2200000 a 4500</leader><datafield tag="650" ind1=""><subfield code="a">X</subfield></datafield></record>';
    const item = onlyRecord(parseMarcXml(xml));
    expect(item.record.fields[0]).toEqual({ tag: '650', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: 'X' }] });
    expect(item.warnings.map((w) => w.message)).toEqual([
      'Record 1, line 1, field 650: ind1 is empty; a blank was assumed',
      'Record 1, line 1, field 650: ind2 is missing; a blank was assumed',
    ]);
  });

  it('rejects a record breaking the MARCXML rules, with a best-effort record, and reads the others', () => {
    const good = '<record><leader>00000nam a2200000 a 4500</leader></record>';
    const xml = `<collection>${good}\n<record><leader>00000nam a2200000 a 4500</leader><datafield tag="245" ind1="1" ind2="0"><subfield>no code</subfield><subfield code="b">kept</subfield></datafield></record>\n${good}</collection>`;
    const items = [...parseMarcXml(xml)];
    expect(items.map((item) => item.error?.code)).toEqual([undefined, 'bad-marcxml', undefined]);
    expect(items[1]?.error).toMatchObject({ recordNumber: 2, line: 2, tag: '245' });
    expect(items[1]?.error?.message).toBe('Record 2, line 2, field 245: a subfield has no code');
    expect(items[1]?.record?.fields[0]).toMatchObject({
      subfields: [
        { code: '', value: 'no code' },
        { code: 'b', value: 'kept' },
      ],
    });
    for (const bad of ['<controlfield>x</controlfield>', '<datafield tag="24" ind1=" " ind2=" "/>', '<datafield tag="245" ind1="ab" ind2=" "/>']) {
      expect(onlyItem(parseMarcXml(`<record><leader>00000nam a2200000 a 4500</leader>${bad}</record>`)).error?.code).toBe('bad-marcxml');
    }
    expect(onlyItem(parseMarcXml('<record><controlfield tag="001">1</controlfield></record>')).error?.message).toContain('no leader');
  });

  it('rejects a record holding an XML error and reads the records after it', () => {
    const good = '<record><leader>00000nam a2200000 a 4500</leader></record>';
    const xml = `<collection>${good}<record><leader>00000nam a2200000 a 4500</leader><datafield tag="245" ind1="1" ind2="0"><subfield code="\x07">x</subfield></datafield></record>${good}</collection>`;
    const items = [...parseMarcXml(xml)];
    expect(items.map((item) => item.error?.code)).toEqual([undefined, 'xml-syntax', undefined]);
    const unclosed = `<collection>${good}<record><leader>00000nam a2200000 a 4500</leader><datafield tag="245" ind1="1" ind2="0"></record>${good}</collection>`;
    expect([...parseMarcXml(unclosed)].map((item) => item.error?.code)).toEqual([undefined, 'xml-syntax', undefined]);
  });

  it('rejects a record cut off by the end of the document, and adds problems after the last record to it as warnings', () => {
    const document = writeMarcXml([record, record]);
    const cutInRecord = [...parseMarcXml(document.slice(0, document.lastIndexOf('<subfield')))];
    expect(cutInRecord.map((item) => item.error?.code)).toEqual([undefined, 'xml-syntax']);
    const cutAfter = [...parseMarcXml(document.slice(0, -5))];
    expect(cutAfter.map((item) => item.error)).toEqual([undefined, undefined]);
    expect(cutAfter[1]?.warnings.map((w) => w.message)).toEqual([
      'Record 2, line 27: markup is not closed before the end of the document',
      'Record 2, line 27: element <collection> is not closed',
    ]);
  });

  it('reads records that stand side by side without a collection, with warnings', () => {
    const good = '<record><leader>00000nam a2200000 a 4500</leader></record>';
    const items = [...parseMarcXml(`${good}\n${good}\n${good}`)];
    expect(items.map((item) => [item.error, item.warnings.length])).toEqual([
      [undefined, 0],
      [undefined, 1],
      [undefined, 1],
    ]);
  });

  it('reports a document without MARC records, and a document that is not XML', () => {
    expect(onlyItem(parseMarcXml('<collection><datafield tag="952"/></collection>')).error).toMatchObject({ code: 'not-marc', recordNumber: 1 });
    expect(onlyItem(parseMarcXml('')).error?.code).toBe('not-marc');
    const binary = onlyItem(parseMarcXml(writeIso2709Record(record)));
    expect(binary.error?.code).toBe('not-marc');
    expect(binary.error?.message).toContain('text outside the root element');
  });

  it('reports bytes that are not UTF-8 in the record holding them', () => {
    const bytes = Buffer.concat([
      Buffer.from('<collection><record><leader>00000nam a2200000 a 4500</leader><controlfield tag="001">', 'utf8'),
      Buffer.from([0x41, 0xff, 0x42]),
      Buffer.from('</controlfield></record></collection>', 'utf8'),
    ]);
    const item = onlyItem(parseMarcXml(bytes));
    expect(item.error?.message).toContain('not valid UTF-8');
    expect(item.record?.fields[0]).toEqual({ tag: '001', value: 'A\uFFFDB' });
  });

  it('reads documents in UTF-16 and in encodings their declaration names', () => {
    const text = `<?xml version="1.0" encoding="ISO-8859-1"?><record><leader>00000nam a2200000 a 4500</leader><controlfield tag="001">Caf\xe9</controlfield></record>`;
    expect(onlyRecord(parseMarcXml(Buffer.from(text.padEnd(300, ' '), 'latin1'))).record.fields[0]).toEqual({ tag: '001', value: 'Café' });
    const utf16 = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from('<record><leader>00000nam a2200000 a 4500</leader><controlfield tag="001">Việt</controlfield></record>', 'utf16le'),
    ]);
    expect(onlyRecord(parseMarcXml(utf16)).record.fields[0]).toEqual({ tag: '001', value: 'Việt' });
    const unknown = '<?xml version="1.0" encoding="X-UNKNOWN"?><record/>'.padEnd(300, ' ');
    expect(onlyItem(parseMarcXml(Buffer.from(unknown))).error?.message).toContain('"x-unknown" is not supported');
  });

  it('streams a file', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'marcxml-'));
    try {
      const file = path.join(dir, 'catalogue.xml');
      await writeFile(file, writeMarcXml(Array.from({ length: 2000 }, () => record)));
      const items = await collect(readMarcXmlFile(file));
      expect(items).toHaveLength(2000);
      expect(items.every((item) => item.record && !item.error)).toBe(true);
    } finally {
      await rm(dir, { recursive: true });
    }
  });

  it('streams: the same items from chunks cut anywhere, including inside UTF-8 sequences', async () => {
    const bytes = Buffer.from(`\uFEFF${writeMarcXml([record, record, record])}`, 'utf8');
    const expected = [...parseMarcXml(bytes)];
    expect(expected).toHaveLength(3);
    for (const sizes of [[1], [2, 3], [257], [1000, 1]]) {
      expect(await collect(readMarcXml(chunked(bytes, sizes)))).toEqual(expected);
    }
  });
});

describe('ISO 2709 → MARCXML → ISO 2709', () => {
  it('gives back the same bytes', () => {
    const iso = writeIso2709Record(record);
    const viaXml = recordsOf(parseMarcXml(writeMarcXmlRecord(recordsOf(parseIso2709(iso))[0] as MarcRecord)))[0] as MarcRecord;
    expect(writeIso2709Record(viaXml)).toEqual(iso);
  });
});
