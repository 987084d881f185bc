import { clean } from './extract.js';
import { getControlValue, isDataField, type DataField, type MarcRecord } from './marc/index.js';

/** The fifteen simple Dublin Core elements, each a list of values. */
export interface DublinCore {
  title: string[];
  creator: string[];
  subject: string[];
  description: string[];
  publisher: string[];
  contributor: string[];
  date: string[];
  type: string[];
  format: string[];
  identifier: string[];
  source: string[];
  language: string[];
  relation: string[];
  coverage: string[];
  rights: string[];
}

export const dcElements = [
  'title',
  'creator',
  'subject',
  'description',
  'publisher',
  'contributor',
  'date',
  'type',
  'format',
  'identifier',
  'source',
  'language',
  'relation',
  'coverage',
  'rights',
] as const;

/** Leader/06 to the DCMI Type Vocabulary, as in the Library of Congress crosswalk. */
const dcType: Record<string, string[]> = {
  a: ['Text'],
  c: ['Text'],
  d: ['Text'],
  t: ['Text'],
  e: ['Image'],
  f: ['Image'],
  g: ['Image'],
  k: ['Image'],
  i: ['Sound'],
  j: ['Sound'],
  m: ['Software'],
  p: ['Collection'],
  r: ['PhysicalObject'],
};

/** Which tags (and subfields) feed each element: the LoC MARC to Dublin Core crosswalk (unqualified). */
const map: Array<[keyof DublinCore, string[], string]> = [
  ['title', ['245'], 'abfghknps'],
  ['creator', ['100', '110', '111', '700', '710', '711', '720'], 'abcdq'],
  ['subject', ['600', '610', '611', '630', '650', '653'], 'abcdqvxyz'],
  ['subject', ['050', '060', '080', '082'], 'a'],
  [
    'description',
    [
      '500',
      '501',
      '502',
      '504',
      '505',
      '507',
      '508',
      '510',
      '511',
      '513',
      '514',
      '515',
      '516',
      '518',
      '520',
      '521',
      '522',
      '524',
      '525',
      '526',
      '530',
      '533',
      '534',
      '535',
      '536',
      '538',
      '541',
      '545',
      '547',
      '550',
      '552',
      '555',
      '556',
      '561',
      '562',
      '563',
      '565',
      '567',
      '580',
      '581',
      '583',
      '584',
      '585',
      '586',
    ],
    'a',
  ],
  ['publisher', ['260', '264'], 'ab'],
  ['date', ['260', '264'], 'cg'],
  ['format', ['340', '856'], 'aq'],
  ['identifier', ['020', '022', '024'], 'a'],
  ['identifier', ['856'], 'u'],
  ['source', ['534', '786'], 'to'],
  ['language', ['041', '546'], 'abdefghj'],
  ['relation', ['530', '760', '762', '765', '767', '770', '772', '773', '774', '775', '776', '777', '780', '785', '787'], 'ot'],
  ['coverage', ['651', '662', '751', '752'], 'abcdfgh'],
  ['rights', ['506', '540'], 'a'],
];

function text(field: DataField, codes: string, separator: string): string {
  return clean(
    field.subfields
      .filter((s) => codes.includes(s.code))
      .map((s) => clean(s.value))
      .filter(Boolean)
      .join(separator),
  );
}

/** The Dublin Core view of a MARC record (for display and for harvesting). */
export function toDublinCore(record: MarcRecord): DublinCore {
  const dc: DublinCore = {
    title: [],
    creator: [],
    subject: [],
    description: [],
    publisher: [],
    contributor: [],
    date: [],
    type: [],
    format: [],
    identifier: [],
    source: [],
    language: [],
    relation: [],
    coverage: [],
    rights: [],
  };
  const add = (el: keyof DublinCore, v: string) => {
    if (v && !dc[el].includes(v)) dc[el].push(v);
  };
  for (const [el, tags, codes] of map) {
    for (const f of record.fields) {
      if (!tags.includes(f.tag) || !isDataField(f)) continue;
      if (el === 'language' && f.tag === '041') {
        for (const s of f.subfields) if (codes.includes(s.code)) add(el, s.value.trim());
        continue;
      }
      add(el, text(f, codes, el === 'subject' ? ' -- ' : ' '));
    }
  }
  const f008 = getControlValue(record, '008') ?? '';
  const lang = f008.slice(35, 38).trim();
  if (/^[a-z]{3}$/.test(lang)) add('language', lang);
  if (dc.date.length === 0 && /^[0-9]{4}$/.test(f008.slice(7, 11))) add('date', f008.slice(7, 11));
  for (const t of dcType[record.leader[6] ?? ''] ?? []) add('type', t);
  for (const f of record.fields) if (f.tag === '655' && isDataField(f)) add('type', text(f, 'a', ' '));
  return dc;
}
