import type { MarcRecord } from './record.js';

/**
 * Problems found while reading MARC data. An error means the record was rejected; a warning means it
 * was read but something was repaired or guessed. The code is stable (for localised messages and
 * reports); the message is English and names the record, the place and what is wrong.
 */
export type MarcIssueCode =
  /** The input holds no byte at all. */
  | 'empty-file'
  /** The input is not MARC (neither ISO 2709 nor MARCXML) as far as can be told. */
  | 'not-marc'
  /** The input ends inside a record. */
  | 'truncated-record'
  /** The 24-byte leader is missing or unusable. */
  | 'bad-leader'
  /** The record length in the leader does not match the bytes up to the record terminator. */
  | 'record-length-mismatch'
  /** The directory cannot be read or does not match the data. */
  | 'bad-directory'
  /** The directory's lengths or offsets are wrong; fields were read by their terminators. */
  | 'directory-mismatch'
  /** The base address of data in the leader is wrong; the directory end was used. */
  | 'bad-base-address'
  /** A field is malformed (data before the first subfield, missing indicators, bad tag). */
  | 'bad-field'
  /** Bytes between records that belong to no record were skipped. */
  | 'skipped-bytes'
  /** Bytes that are not valid UTF-8 in a record read as UTF-8. */
  | 'invalid-utf8'
  /** The record's bytes are in another encoding than its leader says; they were read as found. */
  | 'encoding-mismatch'
  /** No encoding was named and the bytes look like TCVN3 or VNI; they were converted. */
  | 'legacy-encoding'
  /** A MARC-8 byte or escape sequence that has no meaning; it was replaced or skipped. */
  | 'bad-marc8'
  /** An XML syntax error (not well-formed). */
  | 'xml-syntax'
  /** Well-formed XML that breaks the MARCXML structure (a subfield without a code, ...). */
  | 'bad-marcxml';

export type MarcIssueSeverity = 'error' | 'warning';

export interface MarcIssue {
  code: MarcIssueCode;
  severity: MarcIssueSeverity;
  /** English text naming the record, the place and what is wrong. */
  message: string;
  /** 1-based number of the record in the input (records and rejected records are both counted). */
  recordNumber: number;
  /** Byte offset in the input where the problem is (ISO 2709 input). */
  offset?: number;
  /** Line in the input where the problem is (MARCXML input). */
  line?: number;
  /** The field concerned, when there is one. */
  tag?: string;
}

export interface IssuePlace {
  recordNumber: number;
  offset?: number;
  line?: number;
  tag?: string;
}

export function makeIssue(severity: MarcIssueSeverity, code: MarcIssueCode, place: IssuePlace, what: string): MarcIssue {
  const where = [`Record ${place.recordNumber}`];
  if (place.offset !== undefined) where.push(`byte ${place.offset}`);
  if (place.line !== undefined) where.push(`line ${place.line}`);
  if (place.tag !== undefined) where.push(`field ${place.tag}`);
  const issue: MarcIssue = { code, severity, message: `${where.join(', ')}: ${what}`, recordNumber: place.recordNumber };
  if (place.offset !== undefined) issue.offset = place.offset;
  if (place.line !== undefined) issue.line = place.line;
  if (place.tag !== undefined) issue.tag = place.tag;
  return issue;
}

interface ReadItemPlace {
  /** 1-based number of the record in the input. */
  recordNumber: number;
  /** Byte offset of the record in the input (ISO 2709). */
  offset?: number;
  /** Line where the record starts (MARCXML). */
  line?: number;
}

/** A record that was read, with what was repaired or guessed on the way. */
export interface MarcRecordItem extends ReadItemPlace {
  record: MarcRecord;
  error?: undefined;
  warnings: MarcIssue[];
}

/** A record that was rejected. `record` holds a best-effort reading when the structure allowed one. */
export interface MarcErrorItem extends ReadItemPlace {
  error: MarcIssue;
  record?: MarcRecord;
  warnings: MarcIssue[];
}

/** What the readers yield, one per record found in the input, in order. */
export type MarcReadItem = MarcRecordItem | MarcErrorItem;

export type MarcWriteErrorCode =
  'record-too-long' | 'field-too-long' | 'bad-leader' | 'bad-tag' | 'bad-indicator' | 'bad-subfield-code' | 'bad-value' | 'not-xml-text';

/** Thrown by the writers when a record cannot be written as it is; nothing is written for it. */
export class MarcWriteError extends Error {
  readonly code: MarcWriteErrorCode;
  readonly tag: string | undefined;

  constructor(code: MarcWriteErrorCode, message: string, tag?: string) {
    super(message);
    this.name = 'MarcWriteError';
    this.code = code;
    this.tag = tag;
  }
}
