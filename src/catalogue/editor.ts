import { issue, ValidationError, type Issue } from '../platform/errors.js';
import { normalizeVi } from '../platform/text/index.js';
import { normalizeIsbn } from './isbn.js';
import { isControlField, isControlTag, type DataField, type MarcField, type MarcRecord } from './marc/index.js';

/** One row of the editor's grid, as typed: subfields written "$a…$b…", indicators blank or "_" for none. */
export interface GridRow {
  tag: string;
  ind1: string;
  ind2: string;
  data: string;
}

const NOT_REPEATABLE = new Set(['001', '003', '005', '008', '100', '110', '111', '130', '245', '250', '254', '256', '263', '300', '384']);
/** Positions 05-09 and 17-23 of the leader; the lengths and base address are worked out on writing. */
const LEADER = /^.{5}[acdnp][acdefgijkmoprt][abcdims][ a][ a].{7}[ 1-8uzIKLM][ acinu][ abcr]4500$/;

/** Rows for the grid from a record. */
export function gridOf(record: MarcRecord): GridRow[] {
  return record.fields.map((f) => isControlField(f)
    ? { tag: f.tag, ind1: '', ind2: '', data: f.value }
    : { tag: f.tag, ind1: f.ind1 === ' ' ? '_' : f.ind1, ind2: f.ind2 === ' ' ? '_' : f.ind2, data: f.subfields.map((s) => `$${s.code}${s.value}`).join('') });
}

/**
 * Reads the editor's leader and grid into a record, checking tags, indicators, subfield codes,
 * the leader's structure and the required fields (245 $a, 008); every problem names its row.
 */
export function recordFromGrid(leader: string, rows: GridRow[]): MarcRecord {
  const issues: Issue[] = [];
  const lead = leader.padEnd(24, ' ').slice(0, 24);
  if (leader.length > 24 || !LEADER.test(lead)) issues.push(issue('leader', 'catalogue.editor.badLeader'));
  const fields: MarcField[] = [];
  const seen = new Map<string, number>();
  rows.forEach((row, i) => {
    const n = i + 1;
    const tag = row.tag.trim();
    const data = row.data.replace(/\r?\n/g, ' ');
    if (!tag && !data.trim()) return;
    if (!/^[0-9]{3}$/.test(tag) || tag === '000') {
      issues.push(issue(`tag.${i}`, 'catalogue.editor.badTag', { row: n, tag }));
      return;
    }
    seen.set(tag, (seen.get(tag) ?? 0) + 1);
    if (seen.get(tag) === 2 && NOT_REPEATABLE.has(tag)) issues.push(issue(`tag.${i}`, 'catalogue.editor.notRepeatable', { row: n, tag }));
    if (isControlTag(tag)) {
      if (data.includes('$')) issues.push(issue(`data.${i}`, 'catalogue.editor.controlSubfields', { row: n, tag }));
      if (tag === '008' && data.length !== 40) issues.push(issue(`data.${i}`, 'catalogue.editor.bad008', { row: n, length: data.length }));
      fields.push({ tag, value: data });
      return;
    }
    const ind = (v: string) => (v === '' || v === '_' || v === '#' ? ' ' : v);
    const ind1 = ind(row.ind1.trim());
    const ind2 = ind(row.ind2.trim());
    for (const [name, v] of [['ind1', ind1], ['ind2', ind2]] as const) {
      if (!/^[0-9a-z ]$/.test(v)) issues.push(issue(`${name}.${i}`, 'catalogue.editor.badIndicator', { row: n, tag }));
    }
    if (!data.trim().startsWith('$')) {
      issues.push(issue(`data.${i}`, 'catalogue.editor.noSubfields', { row: n, tag }));
      return;
    }
    const field: DataField = { tag, ind1, ind2, subfields: [] };
    for (const part of data.trim().slice(1).split('$')) {
      const code = part.charAt(0);
      if (!/^[a-z0-9]$/.test(code)) issues.push(issue(`data.${i}`, 'catalogue.editor.badSubfieldCode', { row: n, tag, code }));
      else if (!part.slice(1).trim()) issues.push(issue(`data.${i}`, 'catalogue.editor.emptySubfield', { row: n, tag, code }));
      else field.subfields.push({ code, value: normalizeVi(part.slice(1)) });
    }
    fields.push(field);
  });
  const title = fields.find((f): f is DataField => f.tag === '245' && !isControlField(f));
  if (!title?.subfields.some((s) => s.code === 'a')) issues.push(issue('tag', 'catalogue.editor.need245'));
  if (!fields.some((f) => f.tag === '008')) issues.push(issue('tag', 'catalogue.editor.need008'));
  if (issues.length) throw new ValidationError(issues);
  fields.sort((a, b) => a.tag.localeCompare(b.tag));
  return { leader: lead, fields };
}

/** The quick cataloguing form for non-specialists. */
export interface SimpleRecord {
  title: string;
  subtitle?: string | undefined;
  author?: string | undefined;
  publisher?: string | undefined;
  place?: string | undefined;
  year?: number | undefined;
  isbn?: string | undefined;
  subjects?: string | undefined;
  ddc?: string | undefined;
  language?: string | undefined;
}

/** Writes the quick form as proper MARC 21 (RDA-style: 264 _1, 650 _7 with the source). */
export function recordFromSimple(s: SimpleRecord, today = new Date()): MarcRecord {
  const issues: Issue[] = [];
  if (s.isbn && !normalizeIsbn(s.isbn)) issues.push(issue('isbn', 'catalogue.editor.badIsbn'));
  if (issues.length) throw new ValidationError(issues);
  const sf = (code: string, value: string) => ({ code, value: normalizeVi(value) });
  const entered = today.toISOString().slice(2, 10).replace(/-/g, '');
  const year = s.year ? String(s.year).padStart(4, '0') : '    ';
  const lang = (s.language ?? 'vie').padEnd(3, ' ').slice(0, 3);
  const fields: MarcField[] = [{ tag: '008', value: `${entered}${s.year ? 's' : 'n'}${year}    vm            000 0 ${lang} d` }];
  if (s.isbn) fields.push({ tag: '020', ind1: ' ', ind2: ' ', subfields: [sf('a', normalizeIsbn(s.isbn) ?? s.isbn)] });
  fields.push({ tag: '041', ind1: '0', ind2: ' ', subfields: [sf('a', lang)] });
  if (s.ddc) fields.push({ tag: '082', ind1: '0', ind2: '4', subfields: [sf('a', s.ddc), sf('2', '23')] });
  if (s.author) fields.push({ tag: '100', ind1: '1', ind2: ' ', subfields: [sf('a', s.author)] });
  const t: DataField = { tag: '245', ind1: s.author ? '1' : '0', ind2: '0', subfields: [sf('a', s.subtitle ? `${s.title} :` : s.title)] };
  if (s.subtitle) t.subfields.push(sf('b', s.subtitle));
  fields.push(t);
  const pub = [s.place ? sf('a', s.publisher || s.year ? `${s.place} :` : s.place) : null, s.publisher ? sf('b', s.year ? `${s.publisher},` : s.publisher) : null, s.year ? sf('c', String(s.year)) : null]
    .filter((x): x is { code: string; value: string } => x !== null);
  if (pub.length) fields.push({ tag: '264', ind1: ' ', ind2: '1', subfields: pub });
  for (const subject of (s.subjects ?? '').split(/[;\n]/).map((x) => x.trim()).filter(Boolean)) {
    fields.push({ tag: '650', ind1: ' ', ind2: '7', subfields: [sf('a', subject), sf('2', 'Bộ TĐCĐ')] });
  }
  return { leader: '00000nam a2200000 i 4500', fields };
}
