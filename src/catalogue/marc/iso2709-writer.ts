import { MarcWriteError } from './issues.js';
import { isControlField, type MarcRecord } from './record.js';

/** ISO 2709 with MARC 21's 4-digit field lengths and 5-digit offsets and record length. */
export const MAX_RECORD_BYTES = 99_999;
export const MAX_FIELD_BYTES = 9_999;

const FIELD_TERMINATOR = 0x1e;
const RECORD_TERMINATOR = 0x1d;
const SUBFIELD_DELIMITER = '\x1f';
const TAG = /^[\x21-\x7e]{3}$/u;
const ONE_ASCII = /^[\x20-\x7e]$/u;
const CODE = /^[\x21-\x7e]$/u;
const LEADER = /^[\x20-\x7e]{24}$/u;

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function checkText(text: string, tag: string, where: string): void {
  if (text.includes('\x1d') || text.includes('\x1e') || text.includes('\x1f')) {
    throw new MarcWriteError('bad-value', `Field ${tag}: ${where} holds a MARC delimiter character (0x1D-0x1F), which would break the record`, tag);
  }
}

/**
 * Encodes one record as ISO 2709 in UTF-8 (leader/09 = "a"); the leader's lengths, base address and
 * entry map are computed. Throws MarcWriteError, and writes nothing, when the record cannot be
 * written as it is: a field over 9,999 bytes, a record over 99,999 bytes, a malformed leader, tag,
 * indicator or subfield code, or text holding MARC delimiters.
 */
export function writeIso2709Record(record: MarcRecord): Buffer {
  if (!LEADER.test(record.leader)) {
    throw new MarcWriteError(
      'bad-leader',
      `The leader must be 24 printable ASCII characters; it is "${record.leader}" (${record.leader.length} characters)`,
    );
  }
  const count = record.fields.length;
  const encoded: Buffer[] = new Array<Buffer>(count);
  let dataLength = 0;
  for (let i = 0; i < count; i++) {
    const field = record.fields[i];
    if (field === undefined) continue;
    const tag = field.tag;
    if (!TAG.test(tag)) throw new MarcWriteError('bad-tag', `"${tag}" is not a field tag: a tag is three printable ASCII characters`, tag);
    let text: string;
    if (isControlField(field)) {
      checkText(field.value, tag, 'the value');
      text = field.value;
    } else {
      if (!ONE_ASCII.test(field.ind1) || !ONE_ASCII.test(field.ind2)) {
        throw new MarcWriteError(
          'bad-indicator',
          `Field ${tag}: indicators must each be one printable ASCII character, not "${field.ind1}" and "${field.ind2}"`,
          tag,
        );
      }
      text = field.ind1 + field.ind2;
      for (const subfield of field.subfields) {
        if (!CODE.test(subfield.code)) {
          throw new MarcWriteError('bad-subfield-code', `Field ${tag}: subfield code "${subfield.code}" is not one printable ASCII character`, tag);
        }
        checkText(subfield.value, tag, `subfield $${subfield.code}`);
        text += SUBFIELD_DELIMITER + subfield.code + subfield.value;
      }
    }
    const bytes = Buffer.allocUnsafe(Buffer.byteLength(text, 'utf8') + 1);
    bytes.write(text, 0, 'utf8');
    bytes[bytes.length - 1] = FIELD_TERMINATOR;
    if (bytes.length > MAX_FIELD_BYTES) {
      throw new MarcWriteError(
        'field-too-long',
        `Field ${tag} is ${bytes.length} bytes long; ISO 2709 allows at most ${MAX_FIELD_BYTES} bytes per field`,
        tag,
      );
    }
    encoded[i] = bytes;
    dataLength += bytes.length;
  }
  const baseAddress = 24 + 12 * count + 1;
  const length = baseAddress + dataLength + 1;
  if (length > MAX_RECORD_BYTES) {
    throw new MarcWriteError(
      'record-too-long',
      `The record would be ${length} bytes long; ISO 2709 allows at most ${MAX_RECORD_BYTES} bytes per record`,
    );
  }
  const out = Buffer.allocUnsafe(length);
  const leader = record.leader;
  out.write(`${pad(length, 5)}${leader.slice(5, 9)}a22${pad(baseAddress, 5)}${leader.slice(17, 20)}4500`, 0, 'latin1');
  let entry = 24;
  let at = baseAddress;
  for (let i = 0; i < count; i++) {
    const bytes = encoded[i] as Buffer;
    out.write(`${record.fields[i]?.tag}${pad(bytes.length, 4)}${pad(at - baseAddress, 5)}`, entry, 'latin1');
    entry += 12;
    bytes.copy(out, at);
    at += bytes.length;
  }
  out[entry] = FIELD_TERMINATOR;
  out[at] = RECORD_TERMINATOR;
  return out;
}

/** Encodes records one after the other into one ISO 2709 buffer (see writeIso2709Record). */
export function writeIso2709(records: Iterable<MarcRecord>): Buffer {
  const parts: Buffer[] = [];
  for (const record of records) parts.push(writeIso2709Record(record));
  return Buffer.concat(parts);
}
