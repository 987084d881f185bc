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
  return record.fields.map((f) =>
    isControlField(f)
      ? { tag: f.tag, ind1: '', ind2: '', data: f.value }
      : {
          tag: f.tag,
          ind1: f.ind1 === ' ' ? '_' : f.ind1,
          ind2: f.ind2 === ' ' ? '_' : f.ind2,
          data: f.subfields.map((s) => `$${s.code}${s.value}`).join(''),
        },
  );
}

/** Where a problem of row i is shown: the editor's grid cells, or the fields of a MARC-in-JSON body. */
interface Places {
  leader: string;
  fields: string;
  cell: (name: 'tag' | 'ind1' | 'ind2' | 'data', i: number) => string;
}

const gridPlaces: Places = { leader: 'leader', fields: 'tag', cell: (name, i) => `${name}.${i}` };

/** A row with its subfields already apart (from JSON), so values may hold "$". */
type Row = GridRow & { subfields?: Array<{ code: string; value: string }> };

function buildRecord(leader: string, rows: Row[], at: Places): MarcRecord {
  const issues: Issue[] = [];
  const lead = leader.padEnd(24, ' ').slice(0, 24);
  if (leader.length > 24 || !LEADER.test(lead)) issues.push(issue(at.leader, 'catalogue.editor.badLeader'));
  const fields: MarcField[] = [];
  const seen = new Map<string, number>();
  rows.forEach((row, i) => {
    const n = i + 1;
    const tag = row.tag.trim();
    const data = row.data.replace(/\r?\n/g, ' ');
    if (!tag && !data.trim() && !row.subfields) return;
    if (!/^[0-9]{3}$/.test(tag) || tag === '000') {
      issues.push(issue(at.cell('tag', i), 'catalogue.editor.badTag', { row: n, tag }));
      return;
    }
    seen.set(tag, (seen.get(tag) ?? 0) + 1);
    if (seen.get(tag) === 2 && NOT_REPEATABLE.has(tag)) issues.push(issue(at.cell('tag', i), 'catalogue.editor.notRepeatable', { row: n, tag }));
    if (isControlTag(tag)) {
      if (row.subfields || data.includes('$')) issues.push(issue(at.cell('data', i), 'catalogue.editor.controlSubfields', { row: n, tag }));
      if (tag === '008' && data.length !== 40) issues.push(issue(at.cell('data', i), 'catalogue.editor.bad008', { row: n, length: data.length }));
      fields.push({ tag, value: data });
      return;
    }
    const ind = (v: string) => (v === '' || v === '_' || v === '#' ? ' ' : v);
    const ind1 = ind(row.ind1.trim());
    const ind2 = ind(row.ind2.trim());
    for (const [name, v] of [
      ['ind1', ind1],
      ['ind2', ind2],
    ] as const) {
      if (!/^[0-9a-z ]$/.test(v)) issues.push(issue(at.cell(name, i), 'catalogue.editor.badIndicator', { row: n, tag }));
    }
    const parts =
      row.subfields ??
      (data.trim().startsWith('$')
        ? data
            .trim()
            .slice(1)
            .split('$')
            .map((p) => ({ code: p.charAt(0), value: p.slice(1) }))
        : null);
    if (!parts?.length) {
      issues.push(issue(at.cell('data', i), 'catalogue.editor.noSubfields', { row: n, tag }));
      return;
    }
    const field: DataField = { tag, ind1, ind2, subfields: [] };
    for (const { code, value } of parts) {
      if (!/^[a-z0-9]$/.test(code)) issues.push(issue(at.cell('data', i), 'catalogue.editor.badSubfieldCode', { row: n, tag, code }));
      else if (!value.trim()) issues.push(issue(at.cell('data', i), 'catalogue.editor.emptySubfield', { row: n, tag, code }));
      else field.subfields.push({ code, value: normalizeVi(value) });
    }
    fields.push(field);
  });
  const title = fields.find((f): f is DataField => f.tag === '245' && !isControlField(f));
  if (!title?.subfields.some((s) => s.code === 'a')) issues.push(issue(at.fields, 'catalogue.editor.need245'));
  if (!fields.some((f) => f.tag === '008')) issues.push(issue(at.fields, 'catalogue.editor.need008'));
  if (issues.length) throw new ValidationError(issues);
  fields.sort((a, b) => a.tag.localeCompare(b.tag));
  return { leader: lead, fields };
}

/**
 * Reads the editor's leader and grid into a record, checking tags, indicators, subfield codes,
 * the leader's structure and the required fields (245 $a, 008); every problem names its row.
 */
export function recordFromGrid(leader: string, rows: GridRow[]): MarcRecord {
  return buildRecord(leader, rows, gridPlaces);
}

/** A record in MARC-in-JSON (code4lib): each field is `{ "tag": "value" }` or `{ "tag": { ind1, ind2, subfields: [{ "a": "…" }] } }`. */
export interface MarcJson {
  leader: string;
  fields: Array<Record<string, string | { ind1: string; ind2: string; subfields: Array<Record<string, string>> }>>;
}

/**
 * Reads a MARC-in-JSON record with the same checks as the editor; problems name the field
 * by its position in the body ("marc.fields.3", "marc.fields.3.ind1").
 */
export function recordFromMarcJson(json: MarcJson, prefix = 'marc'): MarcRecord {
  const rows: Row[] = json.fields.map((f) => {
    const entries = Object.entries(f);
    const [tag, content] = entries.length === 1 && entries[0] ? entries[0] : ['?', ''];
    if (typeof content === 'string') return { tag, ind1: '', ind2: '', data: content };
    const subfields = content.subfields.flatMap((s) => Object.entries(s).map(([code, value]) => ({ code, value })));
    return { tag, ind1: content.ind1, ind2: content.ind2, data: '', subfields };
  });
  return buildRecord(json.leader, rows, {
    leader: `${prefix}.leader`,
    fields: `${prefix}.fields`,
    cell: (name, i) => (name === 'ind1' || name === 'ind2' ? `${prefix}.fields.${i}.${name}` : `${prefix}.fields.${i}`),
  });
}

/** A record as MARC-in-JSON. */
export function marcJsonOf(record: MarcRecord): MarcJson {
  return {
    leader: record.leader,
    fields: record.fields.map((f) =>
      isControlField(f)
        ? { [f.tag]: f.value }
        : { [f.tag]: { ind1: f.ind1, ind2: f.ind2, subfields: f.subfields.map((s) => ({ [s.code]: s.value })) } },
    ),
  };
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
  const pub = [
    s.place ? sf('a', s.publisher || s.year ? `${s.place} :` : s.place) : null,
    s.publisher ? sf('b', s.year ? `${s.publisher},` : s.publisher) : null,
    s.year ? sf('c', String(s.year)) : null,
  ].filter((x): x is { code: string; value: string } => x !== null);
  if (pub.length) fields.push({ tag: '264', ind1: ' ', ind2: '1', subfields: pub });
  for (const subject of (s.subjects ?? '')
    .split(/[;\n]/)
    .map((x) => x.trim())
    .filter(Boolean)) {
    fields.push({ tag: '650', ind1: ' ', ind2: '7', subfields: [sf('a', subject), sf('2', 'Bộ TĐCĐ')] });
  }
  return { leader: '00000nam a2200000 i 4500', fields };
}
