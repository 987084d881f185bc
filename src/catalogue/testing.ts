import type { Actor } from '../platform/access.js';
import type { Db } from '../platform/db/index.js';
import type { Browser } from '../testing/app.js';
import type { DataField, MarcField, MarcRecord } from './marc/index.js';
import { createRecord } from './service.js';

/** A small bibliographic record for tests, built from plain fields. */
export interface RecordSpec {
  title: string;
  author?: string;
  year?: number;
  isbn?: string;
  subjects?: string[];
  publisher?: string;
  /** 001, and 003 when given. */
  control?: [string, string?];
  language?: string;
  ddc?: string;
  /** Copies as 852: barcode, location, call number. */
  copies?: Array<{ barcode?: string; location?: string; call?: string }>;
  leader?: string;
  notes?: string[];
}

const sf = (code: string, value: string) => ({ code, value });

export function testRecord(spec: RecordSpec): MarcRecord {
  const year = spec.year ?? 2020;
  const fields: MarcField[] = [];
  if (spec.control) {
    fields.push({ tag: '001', value: spec.control[0] });
    if (spec.control[1]) fields.push({ tag: '003', value: spec.control[1] });
  }
  fields.push({ tag: '008', value: `200101s${year}    vm            000 0 ${spec.language ?? 'vie'} d` });
  if (spec.isbn) fields.push({ tag: '020', ind1: ' ', ind2: ' ', subfields: [sf('a', spec.isbn)] });
  if (spec.ddc) fields.push({ tag: '082', ind1: '0', ind2: '4', subfields: [sf('a', spec.ddc)] });
  if (spec.author) fields.push({ tag: '100', ind1: '1', ind2: ' ', subfields: [sf('a', spec.author)] });
  fields.push({ tag: '245', ind1: spec.author ? '1' : '0', ind2: '0', subfields: [sf('a', spec.title)] });
  fields.push({
    tag: '264',
    ind1: ' ',
    ind2: '1',
    subfields: [sf('a', 'Hà Nội :'), sf('b', `${spec.publisher ?? 'Nxb. Trẻ'},`), sf('c', String(year))],
  });
  for (const n of spec.notes ?? []) fields.push({ tag: '500', ind1: ' ', ind2: ' ', subfields: [sf('a', n)] });
  for (const s of spec.subjects ?? []) fields.push({ tag: '650', ind1: ' ', ind2: '7', subfields: [sf('a', s)] });
  for (const c of spec.copies ?? []) {
    const f: DataField = { tag: '852', ind1: ' ', ind2: ' ', subfields: [sf('a', 'TV')] };
    if (c.location) f.subfields.push(sf('b', c.location));
    if (c.call) f.subfields.push(sf('j', c.call));
    if (c.barcode) f.subfields.push(sf('p', c.barcode));
    fields.push(f);
  }
  return { leader: spec.leader ?? '00000nam a2200000 a 4500', fields };
}

/** Posts one file (and form fields) as a multipart form, with the CSRF token in the query string. */
export function upload(b: Browser, url: string, file: { name: string; bytes: Uint8Array }, fields: Record<string, string>) {
  return b.upload(url, { field: 'file', name: file.name, bytes: file.bytes, type: 'application/marc' }, fields);
}

/** One catalogue write (a new record) at the institution, for the access matrix across modules. */
export function writeCatalogue(db: Db, actor: Actor, institutionId: string): Promise<unknown> {
  return createRecord(db, actor, institutionId, testRecord({ title: 'Thử quyền biên mục' }));
}

export { signedIn } from '../testing/app.js';
