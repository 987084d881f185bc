import { firstNonXmlCharacter } from './xml-tokenizer.js';
import { isControlField, type MarcField, type MarcRecord, type Subfield } from './record.js';

/** One value that was changed so that the record can be written: the field and what was done. */
export interface Cleaning {
  tag?: string;
  what: string;
}

const LEADER_CHAR = /[0-9A-Za-z ]/u;
const LEADER_NOT_BLANK = /[0-9A-Za-z]/u;
const INDICATOR = /^[0-9a-z ]$/u;
const SUBFIELD_CODE = /^[0-9A-Za-z!"#$%&'()*+,\-./:;<=>?{}_^`~[\]\\]$/u;
const CONTROL_TAG = /^00[1-9A-Za-z]$/u;
const DATA_TAG = /^(0[1-9A-Z][0-9A-Z]|0[1-9a-z][0-9a-z]|[1-9A-Z][0-9A-Z]{2}|[1-9a-z][0-9a-z]{2})$/u;
/** C0 controls but tab and line ends (the MARC delimiters among them), which neither writer can carry. */
function isBadControl(code: number): boolean {
  return code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d;
}

function withoutControls(text: string, blank: boolean): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (!isBadControl(code)) out += text.charAt(i);
    else if (blank) out += ' ';
  }
  return out;
}

function hex(text: string): string {
  return [...text].map((c) => `U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`).join(' ');
}

/** Text without the characters XML 1.0 and ISO 2709 cannot carry; `blank` keeps positions (fixed fields). */
function cleanText(text: string, blank: boolean): string {
  let out = withoutControls(text, blank);
  for (let bad = firstNonXmlCharacter(out); bad !== -1; bad = firstNonXmlCharacter(out)) {
    out = out.replace(String.fromCodePoint(bad), blank ? ' ' : '\uFFFD');
  }
  return out;
}

/** The character without its diacritics, when that leaves one ASCII letter or digit. */
function asciiOf(c: string): string | undefined {
  const base = c.normalize('NFD').replace(/\p{M}/gu, '');
  return /^[0-9A-Za-z]$/u.test(base) ? base : undefined;
}

function cleanLeader(leader: string, out: Cleaning[]): string {
  const chars = [...leader.padEnd(24, ' ').slice(0, 24)];
  for (let i = 0; i < 24; i++) {
    const c = chars[i] as string;
    if (i <= 4 || (i >= 12 && i <= 16)) {
      // Lengths and base address, computed again by the ISO 2709 writer; MARCXML wants digits there.
      if (!/[0-9 ]/u.test(c)) chars[i] = '0';
      continue;
    }
    if (i === 6 ? !LEADER_NOT_BLANK.test(c) : !LEADER_CHAR.test(c)) chars[i] = i === 6 ? 'a' : ' ';
  }
  const fixed = chars.join('');
  const meaningful = (l: string) => l.slice(5, 12) + l.slice(17);
  if (meaningful(fixed) !== meaningful(leader.padEnd(24, ' ')))
    out.push({ what: `the leader "${leader}" holds characters a MARC 21 leader cannot; they were replaced` });
  return fixed;
}

/** A tag both writers accept (and MARC21slim.xsd): letters kept, anything else read as "X". */
function cleanTag(tag: string, control: boolean): string {
  const chars = [...tag].map((c) => asciiOf(c) ?? 'X');
  let fixed = chars.join('').padEnd(3, 'X').slice(0, 3);
  if (!/^[0-9a-z]{3}$/u.test(fixed) && !/^[0-9A-Z]{3}$/u.test(fixed)) fixed = fixed.toUpperCase();
  if (control) return CONTROL_TAG.test(fixed) ? fixed : `00${fixed.charAt(2) === '0' ? 'X' : fixed.charAt(2)}`;
  return DATA_TAG.test(fixed) ? fixed : fixed.charAt(0) === '0' ? `9${fixed.slice(1)}` : `X${fixed.slice(1)}`;
}

function cleanIndicator(ind: string): string {
  const lower = (asciiOf(ind) ?? '').toLowerCase();
  return INDICATOR.test(lower) ? lower : ' ';
}

function cleanCode(code: string): string {
  if (SUBFIELD_CODE.test(code)) return code;
  return asciiOf(code) ?? '?';
}

function cleanField(field: MarcField, out: Cleaning[]): MarcField {
  const control = isControlField(field);
  const tag = control ? (CONTROL_TAG.test(field.tag) ? field.tag : undefined) : DATA_TAG.test(field.tag) ? field.tag : undefined;
  if (control && tag === undefined && !/^00/u.test(field.tag)) {
    out.push({ tag: field.tag, what: `"${field.tag}" is not a control field tag; the field was kept as a data field with its text in $a` });
    return cleanField({ tag: field.tag, ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: field.value }] }, out);
  }
  const newTag = tag ?? cleanTag(field.tag, control);
  if (newTag !== field.tag)
    out.push({ tag: field.tag, what: `the tag "${field.tag}" (${hex(field.tag)}) is malformed; the field was kept as ${newTag}` });
  if (control) {
    const value = cleanText(field.value, true);
    if (value !== field.value) out.push({ tag: newTag, what: 'control characters in the value were replaced by blanks' });
    return { tag: newTag, value };
  }
  const ind1 = cleanIndicator(field.ind1);
  const ind2 = cleanIndicator(field.ind2);
  if (ind1 !== field.ind1 || ind2 !== field.ind2) {
    out.push({
      tag: newTag,
      what: `the indicators "${field.ind1}${field.ind2}" (${hex(field.ind1 + field.ind2)}) are not MARC 21 indicators; they were read as "${ind1}${ind2}"`,
    });
  }
  const subfields: Subfield[] = field.subfields.map((s) => {
    const code = cleanCode(s.code);
    if (code !== s.code) out.push({ tag: newTag, what: `the subfield code "${s.code}" (${hex(s.code)}) was read as "${code}"` });
    const value = cleanText(s.value, false);
    if (value !== s.value) out.push({ tag: newTag, what: `control characters in $${code} were removed` });
    return { code, value };
  });
  return { tag: newTag, ind1, ind2, subfields };
}

/**
 * The record with every value both writers (ISO 2709 and MARCXML, MARC21slim.xsd) accept, and
 * what was changed: control characters in fixed fields are blanked, malformed indicators read as
 * blanks, non-ASCII subfield codes and tags made ASCII, empty data fields dropped. A record that needs nothing is returned as is.
 */
export function makeExportable(record: MarcRecord): { record: MarcRecord; cleanings: Cleaning[] } {
  const cleanings: Cleaning[] = [];
  const leader = cleanLeader(record.leader, cleanings);
  const fields: MarcField[] = [];
  for (const f of record.fields) {
    if (!isControlField(f) && f.subfields.length === 0) {
      cleanings.push({ tag: f.tag, what: 'the field holds no subfield; it was dropped' });
      continue;
    }
    fields.push(cleanField(f, cleanings));
  }
  // MARCXML (MARC21slim.xsd) puts every control field before the data fields.
  const firstData = fields.findIndex((f) => !isControlField(f));
  const late = firstData === -1 ? [] : fields.slice(firstData).filter(isControlField);
  for (const f of late) cleanings.push({ tag: f.tag, what: 'this control field came after data fields; it was moved before them' });
  const ordered = late.length ? [...fields.filter(isControlField), ...fields.filter((f) => !isControlField(f))] : fields;
  return cleanings.length ? { record: { leader, fields: ordered }, cleanings } : { record, cleanings };
}
