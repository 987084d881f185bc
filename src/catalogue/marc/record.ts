/** One subfield of a data field: a one-character code and its text (Unicode, NFC). */
export interface Subfield {
  code: string;
  value: string;
}

/** A control field (tags 001-009): no indicators, no subfields. */
export interface ControlField {
  tag: string;
  value: string;
}

/** A data field: two one-character indicators and an ordered list of subfields. */
export interface DataField {
  tag: string;
  ind1: string;
  ind2: string;
  subfields: Subfield[];
}

export type MarcField = ControlField | DataField;

/** A MARC 21 record: the 24-character leader and its fields in record order. */
export interface MarcRecord {
  leader: string;
  fields: MarcField[];
}

export function isControlField(field: MarcField): field is ControlField {
  return 'value' in field;
}

export function isDataField(field: MarcField): field is DataField {
  return 'subfields' in field;
}

/** Tags 000-009 (and alphanumeric tags starting with "00") hold control fields. */
export function isControlTag(tag: string): boolean {
  return tag.length === 3 && tag.charCodeAt(0) === 0x30 && tag.charCodeAt(1) === 0x30;
}

/** Every field with one of the given tags, in record order. */
export function getFields(record: MarcRecord, ...tags: string[]): MarcField[] {
  return record.fields.filter((field) => tags.includes(field.tag));
}

/** The data fields with the given tag, in record order. */
export function getDataFields(record: MarcRecord, tag: string): DataField[] {
  const found: DataField[] = [];
  for (const field of record.fields) {
    if (field.tag === tag && isDataField(field)) found.push(field);
  }
  return found;
}

/** The value of the first control field with the given tag. */
export function getControlValue(record: MarcRecord, tag: string): string | undefined {
  for (const field of record.fields) {
    if (field.tag === tag && isControlField(field)) return field.value;
  }
  return undefined;
}

/** The values of the field's subfields with the given code, in order. */
export function subfieldValues(field: DataField, code: string): string[] {
  const values: string[] = [];
  for (const subfield of field.subfields) {
    if (subfield.code === code) values.push(subfield.value);
  }
  return values;
}

/** The value of the field's first subfield with the given code. */
export function firstSubfield(field: DataField, code: string): string | undefined {
  for (const subfield of field.subfields) {
    if (subfield.code === code) return subfield.value;
  }
  return undefined;
}

/** The first value of `tag $code` in the record, e.g. `firstValue(record, '245', 'a')`. */
export function firstValue(record: MarcRecord, tag: string, code: string): string | undefined {
  for (const field of record.fields) {
    if (field.tag !== tag || !isDataField(field)) continue;
    const value = firstSubfield(field, code);
    if (value !== undefined) return value;
  }
  return undefined;
}
