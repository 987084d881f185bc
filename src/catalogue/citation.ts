import { isDataField, subfieldValues, type MarcRecord } from './marc/index.js';
import type { RecordView } from './presenters.js';

/** Vancouver (ICMJE / NLM "Citing Medicine") lists six authors, then "et al.". */
const MAX_AUTHORS = 6;

const trimmed = (v: string) =>
  v
    .normalize('NFC')
    .replace(/[\s,.;:/]+$/u, '')
    .trim();

/** The first letter of each part of a given name: "Văn An" → "VA", "Jean-Paul" → "JP". */
function initials(given: string): string {
  return given
    .split(/[\s\-‐.]+/u)
    .filter(Boolean)
    .map((w) => Array.from(w)[0]?.toUpperCase() ?? '')
    .join('');
}

/**
 * A personal name as Vancouver cites it: family name, then the initials of the given names.
 * An inverted heading ("Nguyễn, Văn A", "Smith, John") splits at the comma; a name without one
 * is read in Vietnamese order, family name first ("Nguyễn Du" → "Nguyễn D", "Hồ Chí Minh" → "Hồ CM").
 * Dates and titles after a second comma ("Nguyễn, Du, 1765-1820") are left out.
 */
export function vancouverName(name: string): string {
  const clean = trimmed(name);
  const comma = clean.indexOf(',');
  if (comma >= 0) {
    const family = clean.slice(0, comma).trim();
    const given =
      clean
        .slice(comma + 1)
        .split(',')[0]
        ?.trim() ?? '';
    const init = initials(given);
    return init ? `${family} ${init}` : family;
  }
  const [family, ...given] = clean.split(/\s+/u);
  const init = initials(given.join(' '));
  return init ? `${family ?? ''} ${init}` : (family ?? '');
}

const PERSONAL = ['100', '700'];
const CORPORATE = ['110', '111', '710', '711'];

/**
 * The authors of a record for a Vancouver citation, from its MARC headings: personal names (100, 700)
 * as family name and initials, family names (first indicator 3) and corporate bodies (110, 111, 710, 711) in full.
 */
export function vancouverAuthors(marc: MarcRecord): string[] {
  const out: string[] = [];
  for (const field of marc.fields) {
    if (!isDataField(field) || (!PERSONAL.includes(field.tag) && !CORPORATE.includes(field.tag))) continue;
    const a = subfieldValues(field, 'a')[0];
    if (!a) continue;
    const name = PERSONAL.includes(field.tag)
      ? field.ind1 === '3'
        ? trimmed(a)
        : vancouverName(a)
      : [a, ...subfieldValues(field, 'b')].map(trimmed).filter(Boolean).join('. ');
    if (name && !out.includes(name)) out.push(name);
  }
  return out;
}

/** End a part with a full stop unless it already ends with a mark of its own. */
const sentence = (v: string) => (/[.?!]$/u.test(v) ? v : `${v}.`);

/** A Vancouver-style citation of a book: Authors. Title. Edition. Place: Publisher; Year. */
export function citationVancouver(r: RecordView, marc: MarcRecord): string {
  const authors = vancouverAuthors(marc);
  const listed = authors.length > MAX_AUTHORS ? `${authors.slice(0, MAX_AUTHORS).join(', ')}, et al.` : authors.join(', ');
  const place = r.place ? trimmed(r.place) : '';
  const publisher = r.publisher ? trimmed(r.publisher) : '';
  const imprint = [place && publisher ? `${place}: ${publisher}` : place || publisher, r.year ? String(r.year) : ''].filter(Boolean).join('; ');
  return [listed, trimmed(r.title), r.edition ? trimmed(r.edition) : '', imprint].filter(Boolean).map(sentence).join(' ');
}
