import { foldVi, normalizeVi, plainApostrophes, sortKeyVi } from '../platform/text/index.js';
import { isbn13to10, normalizeIsbn, normalizeIssn } from './isbn.js';
import { getControlValue, getDataFields, isDataField, subfieldValues, type DataField, type MarcRecord } from './marc/index.js';

export const materialTypes = [
  'book',
  'ebook',
  'serial',
  'article',
  'map',
  'score',
  'video',
  'audio',
  'music',
  'image',
  'software',
  'kit',
  'object',
  'manuscript',
  'mixed',
  'other',
] as const;
export type MaterialType = (typeof materialTypes)[number];

/** What is drawn from a MARC record for display, search and duplicate detection. */
export interface Extracted {
  controlNumber: string | null;
  controlSource: string | null;
  title: string;
  responsibility: string | null;
  authors: string[];
  publisher: string | null;
  place: string | null;
  year: number | null;
  edition: string | null;
  isbns: string[];
  issns: string[];
  language: string | null;
  ddc: string | null;
  ddcClass: number | null;
  subjects: string[];
  series: string[];
  physical: string | null;
  materialType: MaterialType;
  notes: string[];
  links: Array<{ url: string; label: string | null }>;
  matchKey: string;
  sortKey: string;
  titleFolded: string;
  authorFolded: string;
  subjectFolded: string;
  restFolded: string;
  toneWords: string[];
}

/** ISBD punctuation at the end of a subfield (" /", " :", ",", " ;", "."), dropped for display. */
export function clean(value: string): string {
  return normalizeVi(strip(value));
}

const ISBD_END = /\s*[/:;,=]\s*$/u;
const PERIOD_END = /(?<![A-ZĐ]|\.\.)\.\s*$/u;

function strip(value: string): string {
  const bare = endsWithOneOf(value, '/:;,=') ? value.replace(ISBD_END, '') : value;
  return endsWithOneOf(bare, '.') ? bare.replace(PERIOD_END, '') : bare;
}

/** Whether the last character before any trailing whitespace is one of `chars` (a cheap test before a regex). */
function endsWithOneOf(value: string, chars: string): boolean {
  const trimmed = value.trimEnd();
  return trimmed !== '' && chars.includes(trimmed.charAt(trimmed.length - 1));
}

function joined(field: DataField, codes: string, separator = ' '): string {
  return clean(
    field.subfields
      .filter((s) => codes.includes(s.code))
      .map((s) => strip(s.value.trim()))
      .filter(Boolean)
      .join(separator),
  );
}

function first(record: MarcRecord, tags: string[], codes: string): string | null {
  for (const tag of tags) {
    for (const f of getDataFields(record, tag)) {
      const v = joined(f, codes);
      if (v) return v;
    }
  }
  return null;
}

function all(record: MarcRecord, tags: string[], codes: string): string[] {
  const out: string[] = [];
  for (const f of record.fields) {
    if (!tags.includes(f.tag) || !isDataField(f)) continue;
    const v = joined(f, codes);
    if (v && !out.includes(v)) out.push(v);
  }
  return out;
}

/** Leader/06-07 with 007/00 and 008/23 (form of item) decide the material type. */
export function materialTypeOf(record: MarcRecord): MaterialType {
  const type = record.leader[6] ?? ' ';
  const level = record.leader[7] ?? ' ';
  const f007 = getControlValue(record, '007') ?? '';
  const f008 = getControlValue(record, '008') ?? '';
  if (type === 'a') {
    if (level === 's' || level === 'i') return 'serial';
    if (level === 'a' || level === 'b') return 'article';
    const form = f008[23];
    return form === 'o' || form === 's' || f007[0] === 'c' ? 'ebook' : 'book';
  }
  const byType: Record<string, MaterialType> = {
    c: 'score',
    d: 'score',
    e: 'map',
    f: 'map',
    g: 'video',
    i: 'audio',
    j: 'music',
    k: 'image',
    m: 'software',
    o: 'kit',
    p: 'mixed',
    r: 'object',
    t: 'manuscript',
  };
  return byType[type] ?? 'other';
}

function yearOf(record: MarcRecord): number | null {
  const f008 = getControlValue(record, '008') ?? '';
  const fixed = /^[0-9]{4}$/.test(f008.slice(7, 11)) ? Number(f008.slice(7, 11)) : null;
  const stated = first(record, ['264', '260'], 'c');
  const m = stated ? /(1[5-9]|20)[0-9]{2}/.exec(stated) : null;
  const y = m ? Number(m[0]) : fixed;
  return y !== null && y >= 1000 && y <= 2100 ? y : null;
}

function languageOf(record: MarcRecord): string | null {
  const f008 = getControlValue(record, '008') ?? '';
  const code = f008.slice(35, 38).trim().toLowerCase();
  if (/^[a-z]{3}$/.test(code)) return code;
  const f041 = getDataFields(record, '041')[0];
  const a = f041 ? subfieldValues(f041, 'a')[0]?.trim().toLowerCase() : undefined;
  return a && /^[a-z]{3}$/.test(a) ? a : null;
}

const WORD = /[\p{L}\p{N}][\p{L}\p{M}\p{N}]*/gu;

/** The lowercase words of text already normalised by normalizeVi (as tokensVi gives them, without normalising twice). */
function wordsOf(normalized: string): string[] {
  return plainApostrophes(normalized).toLowerCase().match(WORD) ?? [];
}

const PERSON_TAGS = ['100', '110', '111', '700', '710', '711'];
const SUBJECT_TAGS = ['600', '610', '611', '630', '648', '650', '651', '653', '655'];

/** The text of 880 fields (alternate scripts), by the field each links to in $6 (e.g. "245-01/$1"). */
function alternateScripts(record: MarcRecord): { title: string[]; author: string[]; subject: string[] } {
  const out = { title: [] as string[], author: [] as string[], subject: [] as string[] };
  for (const f of getDataFields(record, '880')) {
    const linked = subfieldValues(f, '6')[0]?.slice(0, 3) ?? '';
    const kind =
      linked === '245' || linked === '246' ? 'title' : PERSON_TAGS.includes(linked) ? 'author' : SUBJECT_TAGS.includes(linked) ? 'subject' : null;
    if (kind) out[kind].push(joined(f, kind === 'subject' ? 'abcdvxyz' : kind === 'title' ? 'abknp' : 'abcdq'));
  }
  return out;
}

export function extract(record: MarcRecord): Extracted {
  const title = first(record, ['245'], 'abknp') ?? '';
  const authors = all(record, PERSON_TAGS, 'abcdq');
  const subjectDisplay: string[] = [];
  for (const f of record.fields) {
    if (!SUBJECT_TAGS.includes(f.tag) || !isDataField(f)) continue;
    const v = joined(f, 'abcdvxyz', ' -- ');
    if (v && !subjectDisplay.includes(v)) subjectDisplay.push(v);
  }
  const isbns = [
    ...new Set(
      getDataFields(record, '020')
        .flatMap((f) => subfieldValues(f, 'a'))
        .map(normalizeIsbn)
        .filter((x): x is string => x !== null),
    ),
  ];
  const issns = [
    ...new Set(
      getDataFields(record, '022')
        .flatMap((f) => subfieldValues(f, 'a'))
        .map(normalizeIssn)
        .filter((x): x is string => x !== null),
    ),
  ];
  const ddc = first(record, ['082'], 'a');
  const ddcDigit = ddc ? /^[0-9]/.exec(ddc.trim()) : null;
  const series = all(record, ['490', '440', '830'], 'av');
  const notes = all(record, ['500', '501', '502', '504', '505', '508', '511', '518', '520', '521', '546', '588'], 'a');
  const links = getDataFields(record, '856')
    .flatMap((f) => subfieldValues(f, 'u').map((url) => ({ url, label: subfieldValues(f, 'y')[0] ?? subfieldValues(f, '3')[0] ?? null })))
    .filter((l) => /^https?:\/\//i.test(l.url));
  const publisher = first(record, ['264', '260'], 'b');
  const place = first(record, ['264', '260'], 'a');
  const year = yearOf(record);
  const edition = first(record, ['250'], 'ab');
  const responsibility = first(record, ['245'], 'c');
  const physical = first(record, ['300'], 'abce');
  const restText = [responsibility, publisher, place, edition, ...series, ...notes, ddc, year === null ? '' : String(year)].filter(Boolean).join(' ');
  const alternate = alternateScripts(record);
  const titleWords = wordsOf([title, ...alternate.title].join(' '));
  const authorWords = wordsOf([...authors, ...alternate.author].join(' '));
  const subjectWords = wordsOf([...subjectDisplay, ...alternate.subject].join(' '));
  const restWords = wordsOf(restText);
  const controlNumber = getControlValue(record, '001')?.trim() || null;
  const controlSource = getControlValue(record, '003')?.trim() || null;
  return {
    controlNumber,
    controlSource,
    title,
    responsibility,
    authors,
    publisher,
    place,
    year,
    edition,
    isbns,
    issns,
    language: languageOf(record),
    ddc,
    ddcClass: ddcDigit ? Number(ddcDigit[0]) : null,
    subjects: subjectDisplay,
    series,
    physical,
    materialType: materialTypeOf(record),
    notes,
    links,
    matchKey: `${titleWords.join(' ')}|${wordsOf(authors[0] ?? '').join(' ')}|${year ?? ''}`,
    sortKey: sortKeyVi(title),
    titleFolded: foldVi(titleWords.join(' ')),
    authorFolded: foldVi(authorWords.join(' ')),
    subjectFolded: foldVi(subjectWords.join(' ')),
    restFolded: foldVi([...restWords, ...isbns, ...isbns.map(isbn13to10).filter((x): x is string => x !== null)].join(' ')),
    toneWords: [...new Set([...titleWords, ...authorWords, ...subjectWords, ...restWords])],
  };
}
