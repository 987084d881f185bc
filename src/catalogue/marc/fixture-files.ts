import { gzipSync } from 'node:zlib';
import { rawIso2709 } from './test-support.js';

const F008 = '070101s2007    vm            000 0 vie d';

/**
 * Small files, one per class of problem real MARC files have: values no writer accepts, text
 * before the first subfield, a MARC-8 indicator, holdings, a title without $a, MARCXchange, and
 * files that are not MARC at all. Used by the tests and written to test/fixtures/marc by make.ts.
 */
export function fixtureFiles(): Record<string, Buffer> {
  const unexportable = rawIso2709(
    [
      ['001', 'u1'],
      ['008', `${F008.slice(0, 10)}\x01\x02${F008.slice(12)}`],
      ['245', Buffer.from('1\u00e9\x1faTruyện Kiều', 'utf8')],
      ['1a!', '  \x1faMalformed tag'],
      ['500', Buffer.from('  \x1f\u00e9Code not ASCII', 'utf8')],
    ],
    '00000nam a2200000 a 4500',
  );
  const stray = rawIso2709([
    ['001', 's1'],
    ['245', '00\x1faTitle'],
    ['250', '  2nd ed.'],
  ]);
  const marc8Indicator = rawIso2709(
    [
      ['001', 'm1'],
      ['245', '\xe2 \x1faTitle in MARC-8'],
    ],
    '00000nam  2200000 a 4500',
  );
  const holdings = Buffer.concat([
    rawIso2709([
      ['001', 'bib-1'],
      ['245', '00\x1faBook with holdings'],
    ]),
    rawIso2709(
      [
        ['001', 'hold-1'],
        ['004', 'bib-1'],
        ['852', '  \x1fbMain\x1fhPL1\x1fpHB0001'],
      ],
      '00000nx  a2200000 a 4500',
    ),
    rawIso2709(
      [
        ['001', 'hold-2'],
        ['004', 'missing'],
        ['852', '  \x1fbMain\x1fpHB0002'],
      ],
      '00000ny  a2200000 a 4500',
    ),
  ]);
  const titleWithoutA = rawIso2709([
    ['001', 'k1'],
    ['245', '00\x1fkCollected papers,\x1fn1950-1960.'],
  ]);
  const marcxchange = Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>
<collection xmlns="info:lc/xmlns/marcxchange-v1">
  <record format="MARC21" type="Bibliographic">
    <leader>00000nam a2200000 a 4500</leader>
    <controlfield tag="001">x1</controlfield>
    <datafield tag="245" ind1="0" ind2="0"><subfield code="a">Đất nước</subfield></datafield>
  </record>
</collection>
`);
  let seed = 12345;
  const random = Buffer.alloc(4096, 0).map(() => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed >> 16;
  });
  return {
    'unexportable.mrc': unexportable,
    'stray-text.mrc': stray,
    'marc8-indicator.mrc': marc8Indicator,
    'holdings.mrc': holdings,
    'title-without-a.mrc': titleWithoutA,
    'marcxchange.xml': marcxchange,
    'empty.mrc': Buffer.alloc(0),
    'gzip.mrc': gzipSync(holdings),
    'zip.mrc': Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(200, 0x1d)]),
    'pdf.mrc': Buffer.from('%PDF-1.4\n%\xe2\xe3\n1 0 obj\x1d\x1d\n', 'latin1'),
    'elf.mrc': Buffer.concat([Buffer.from('\x7fELF\x02\x01\x01', 'latin1'), Buffer.alloc(300, 0x1d)]),
    'random.mrc': Buffer.from(random),
  };
}
