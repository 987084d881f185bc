import { MarcWriteError } from './issues.js';
import { MARCXML_NAMESPACE } from './marcxml-reader.js';
import { isControlField, type MarcRecord } from './record.js';
import { firstNonXmlCharacter } from './xml-tokenizer.js';

const TEXT_SPECIAL = /[&<>\r]/g;
const ATTRIBUTE_SPECIAL = /[&<>"\t\n\r]/g;
const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  '\t': '&#9;',
  '\n': '&#10;',
  '\r': '&#13;',
};

function escape(text: string, special: RegExp, tag: string | undefined, where: string): string {
  const bad = firstNonXmlCharacter(text);
  if (bad !== -1) {
    const cp = bad.toString(16).toUpperCase().padStart(4, '0');
    throw new MarcWriteError(
      'not-xml-text',
      `${tag === undefined ? 'The leader' : `Field ${tag}`}: ${where} holds U+${cp}, which XML 1.0 cannot represent`,
      tag,
    );
  }
  special.lastIndex = 0;
  return special.test(text) ? text.replace(special, (c) => ESCAPES[c] ?? c) : text;
}

export interface MarcXmlWriteOptions {
  /** Declare the MARC21 slim namespace on the record element (default true; false inside a collection that declares it). */
  namespace?: boolean;
  /** Indentation unit; '' writes the record on one line. Default two spaces. */
  indent?: string;
}

/**
 * One record as a MARCXML <record> element. Text is written exactly (line ends and tabs kept as
 * character references), so reading it back gives the same record. As in ISO 2709 output, leader/09
 * is "a" (the text is Unicode) and leader/10-11 and 20-23 hold MARC 21's "22" and "4500". Throws MarcWriteError for text that XML cannot carry (control characters other
 * than tab and line ends).
 */
export function writeMarcXmlRecord(record: MarcRecord, options: MarcXmlWriteOptions = {}): string {
  const unit = options.indent ?? '  ';
  const nl = unit === '' ? '' : '\n';
  const i1 = unit;
  const i2 = unit + unit;
  const xmlns = (options.namespace ?? true) ? ` xmlns="${MARCXML_NAMESPACE}"` : '';
  const leader = record.leader.length === 24 ? `${record.leader.slice(0, 9)}a22${record.leader.slice(12, 20)}4500` : record.leader;
  let out = `<record${xmlns}>${nl}${i1}<leader>${escape(leader, TEXT_SPECIAL, undefined, 'the text')}</leader>${nl}`;
  for (const field of record.fields) {
    const tag = escape(field.tag, ATTRIBUTE_SPECIAL, field.tag, 'the tag');
    if (isControlField(field)) {
      out += `${i1}<controlfield tag="${tag}">${escape(field.value, TEXT_SPECIAL, field.tag, 'the value')}</controlfield>${nl}`;
      continue;
    }
    const ind1 = escape(field.ind1, ATTRIBUTE_SPECIAL, field.tag, 'ind1');
    const ind2 = escape(field.ind2, ATTRIBUTE_SPECIAL, field.tag, 'ind2');
    out += `${i1}<datafield tag="${tag}" ind1="${ind1}" ind2="${ind2}">${nl}`;
    for (const subfield of field.subfields) {
      const code = escape(subfield.code, ATTRIBUTE_SPECIAL, field.tag, 'a subfield code');
      out += `${i2}<subfield code="${code}">${escape(subfield.value, TEXT_SPECIAL, field.tag, `subfield $${subfield.code}`)}</subfield>${nl}`;
    }
    out += `${i1}</datafield>${nl}`;
  }
  return `${out}</record>`;
}

export const MARCXML_COLLECTION_START = `<?xml version="1.0" encoding="UTF-8"?>\n<collection xmlns="${MARCXML_NAMESPACE}">\n`;
export const MARCXML_COLLECTION_END = '</collection>\n';

/** A MARCXML document: a <collection> holding the records. */
export function writeMarcXml(records: Iterable<MarcRecord>, options: Omit<MarcXmlWriteOptions, 'namespace'> = {}): string {
  const parts = [MARCXML_COLLECTION_START];
  const inner = { ...options, namespace: false };
  for (const record of records) parts.push(writeMarcXmlRecord(record, inner), '\n');
  parts.push(MARCXML_COLLECTION_END);
  return parts.join('');
}

/** A MARCXML document, chunk by chunk, for writing large exports to a stream. */
export async function* streamMarcXml(
  records: AsyncIterable<MarcRecord> | Iterable<MarcRecord>,
  options: Omit<MarcXmlWriteOptions, 'namespace'> = {},
): AsyncGenerator<string> {
  yield MARCXML_COLLECTION_START;
  const inner = { ...options, namespace: false };
  for await (const record of records) yield `${writeMarcXmlRecord(record, inner)}\n`;
  yield MARCXML_COLLECTION_END;
}
