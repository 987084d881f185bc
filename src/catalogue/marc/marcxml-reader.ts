import { isUtf8 } from 'node:buffer';
import { createReadStream } from 'node:fs';

import { nfc, utf8Text } from './encoding.js';
import { firstInvalidUtf8 } from './iso2709-reader.js';
import { makeIssue, type MarcIssue, type MarcReadItem } from './issues.js';
import type { DataField, MarcField, MarcRecord } from './record.js';
import { INVALID_BYTE, XmlTokenizer, type XmlEvent } from './xml-tokenizer.js';

export const MARCXML_NAMESPACE = 'http://www.loc.gov/MARC21/slim';

export interface MarcXmlReadOptions {
  /** Normalise text to Unicode NFC (default true). */
  normalize?: boolean;
}

/**
 * Turns the bytes of an XML document into text: UTF-8 unless a byte-order mark or the XML
 * declaration names another encoding. Bytes that are not valid UTF-8 become INVALID_BYTE so the
 * tokenizer can report them where they are.
 */
class XmlByteDecoder {
  private pending: Buffer = Buffer.alloc(0);
  private decoder: TextDecoder | undefined;
  private started = false;
  unsupported: string | undefined;

  decode(chunk: Uint8Array, final: boolean): string {
    let bytes: Buffer =
      this.pending.length === 0 ? Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength) : Buffer.concat([this.pending, chunk]);
    this.pending = Buffer.alloc(0);
    if (!this.started) {
      if (bytes.length < 256 && !final) {
        this.pending = bytes;
        return '';
      }
      this.started = true;
      bytes = this.sniff(bytes);
    }
    if (this.decoder) return this.decoder.decode(bytes, { stream: !final });
    const cut = final ? bytes.length : completeUtf8Length(bytes);
    this.pending = bytes.subarray(cut);
    return decodeUtf8Marking(bytes.subarray(0, cut));
  }

  private sniff(bytes: Buffer): Buffer {
    if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return bytes.subarray(3);
    if (bytes[0] === 0xff && bytes[1] === 0xfe) {
      this.decoder = new TextDecoder('utf-16le');
      return bytes.subarray(2);
    }
    if (bytes[0] === 0xfe && bytes[1] === 0xff) {
      this.decoder = new TextDecoder('utf-16be');
      return bytes.subarray(2);
    }
    const declaration = /^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/u.exec(bytes.toString('latin1', 0, 256));
    const label = declaration?.[1]?.toLowerCase();
    if (label !== undefined && !['utf-8', 'utf8', 'us-ascii', 'ascii'].includes(label)) {
      try {
        this.decoder = new TextDecoder(label);
      } catch {
        this.unsupported = label;
      }
    }
    return bytes;
  }
}

/** Length of the prefix of bytes that ends on a whole UTF-8 sequence. */
function completeUtf8Length(bytes: Uint8Array): number {
  const n = bytes.length;
  for (let back = 1; back <= Math.min(3, n); back++) {
    const b = bytes[n - back] as number;
    if ((b & 0xc0) === 0x80) continue;
    const size = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return size > back ? n - back : n;
  }
  return n;
}

function decodeUtf8Marking(bytes: Buffer): string {
  if (isUtf8(bytes)) return utf8Text(bytes, 0, bytes.length, true);
  let out = '';
  let start = 0;
  while (start < bytes.length) {
    const bad = firstInvalidUtf8(bytes, start, bytes.length);
    out += bytes.toString('utf8', start, bad);
    if (bad < bytes.length) out += INVALID_BYTE;
    start = bad + 1;
  }
  return out;
}

interface Capture {
  kind: 'leader' | 'controlfield' | 'subfield';
  tag: string;
  code: string;
  text: string;
}

interface RecordState {
  recordNumber: number;
  line: number;
  depth: number;
  leader: string | undefined;
  fields: MarcField[];
  field: DataField | undefined;
  capture: Capture | undefined;
  errors: MarcIssue[];
  warnings: MarcIssue[];
}

/** MARCXchange (ISO 25577): the same structure as MARCXML under its own namespace. */
export const MARCXCHANGE_NAMESPACE = 'info:lc/xmlns/marcxchange-v1';

function isMarcElement(uri: string): boolean {
  return uri === MARCXML_NAMESPACE || uri === MARCXCHANGE_NAMESPACE || uri === '';
}

/** Builds records from tokenizer events. */
class MarcXmlCollector {
  private readonly normalize: boolean;
  private current: RecordState | undefined;
  private recordNumber = 0;
  private outside: MarcIssue[] = [];
  /** The last record read, held back so that problems found after it can be added to it. */
  private last: MarcReadItem | undefined;
  private readonly items: MarcReadItem[] = [];

  constructor(options: MarcXmlReadOptions) {
    this.normalize = options.normalize ?? true;
  }

  handle(events: XmlEvent[]): MarcReadItem[] {
    for (const event of events) {
      switch (event.type) {
        case 'open':
          this.open(event.name.local, event.name.uri, event.attributes, event.line);
          break;
        case 'close':
          this.close(event.line);
          break;
        case 'text':
          if (this.current?.capture) this.current.capture.text += event.text;
          break;
        case 'problem':
          this.problem(event.severity, event.message, event.line);
          break;
      }
    }
    return this.items.splice(0);
  }

  /**
   * Ends the document. Problems after the last record become warnings of that record (it is held
   * back until the next record starts for this); a document without records gives one error.
   */
  finish(noRecordReason: string): MarcReadItem[] {
    const last = this.last;
    this.last = undefined;
    if (last) {
      last.warnings.push(...this.outside.map((issue) => asWarning(issue, last.recordNumber)));
      this.items.push(last);
    } else if (this.recordNumber === 0) {
      this.recordNumber = 1;
      const first = this.outside.find((issue) => issue.severity === 'error');
      const what = first ? `${noRecordReason}; ${first.message.slice(first.message.indexOf(': ') + 2)}` : noRecordReason;
      const error = makeIssue('error', 'not-marc', { recordNumber: 1, line: first?.line ?? 1 }, what);
      this.items.push({ error, recordNumber: 1, line: first?.line ?? 1, warnings: [] });
    }
    this.outside = [];
    return this.items.splice(0);
  }

  private problem(severity: 'error' | 'warning', message: string, line: number): void {
    const record = this.current;
    if (!record) {
      this.outside.push(makeIssue(severity, 'xml-syntax', { recordNumber: this.recordNumber + 1, line }, message));
      return;
    }
    const issue = makeIssue(severity, 'xml-syntax', { recordNumber: record.recordNumber, line }, message);
    (severity === 'error' ? record.errors : record.warnings).push(issue);
  }

  private issue(record: RecordState, severity: 'error' | 'warning', what: string, line: number, tag?: string): void {
    const issue = makeIssue(severity, 'bad-marcxml', { recordNumber: record.recordNumber, line, ...(tag === undefined ? {} : { tag }) }, what);
    (severity === 'error' ? record.errors : record.warnings).push(issue);
  }

  private open(local: string, uri: string, attributes: ReadonlyMap<string, string>, line: number): void {
    const record = this.current;
    if (!record) {
      if (local === 'record' && isMarcElement(uri)) this.startRecord(line);
      return;
    }
    record.depth++;
    const marc = isMarcElement(uri);
    if (record.depth === 2 && marc && local === 'leader') {
      record.capture = { kind: 'leader', tag: '', code: '', text: '' };
    } else if (record.depth === 2 && marc && local === 'controlfield') {
      record.capture = { kind: 'controlfield', tag: this.tag(record, attributes, line), code: '', text: '' };
    } else if (record.depth === 2 && marc && local === 'datafield') {
      const tag = this.tag(record, attributes, line);
      record.field = {
        tag,
        ind1: this.indicator(record, attributes, 'ind1', tag, line),
        ind2: this.indicator(record, attributes, 'ind2', tag, line),
        subfields: [],
      };
    } else if (record.depth === 3 && marc && local === 'subfield' && record.field) {
      const code = attributes.get('code') ?? '';
      if (code.length === 0) this.issue(record, 'error', 'a subfield has no code', line, record.field.tag);
      else if ([...code].length !== 1) this.issue(record, 'error', `subfield code "${code}" is not one character`, line, record.field.tag);
      record.capture = { kind: 'subfield', tag: record.field.tag, code, text: '' };
    } else if (record.depth === 2 || (record.depth === 3 && record.field)) {
      this.issue(record, 'warning', `element <${local}> has no place in a MARCXML record and was ignored`, line);
    }
  }

  private tag(record: RecordState, attributes: ReadonlyMap<string, string>, line: number): string {
    const tag = attributes.get('tag') ?? '';
    if (!/^[\x21-\x7e]{3}$/u.test(tag)) this.issue(record, 'error', `"${tag}" is not a field tag (three characters)`, line);
    return tag;
  }

  private indicator(record: RecordState, attributes: ReadonlyMap<string, string>, name: string, tag: string, line: number): string {
    const value = attributes.get(name);
    if (value === undefined || value.length === 0) {
      this.issue(record, 'warning', `${name} is ${value === undefined ? 'missing' : 'empty'}; a blank was assumed`, line, tag);
      return ' ';
    }
    if ([...value].length !== 1) {
      this.issue(record, 'error', `${name} "${value}" is not one character`, line, tag);
      return value.charAt(0);
    }
    if (value !== ' ' && /^\s$/u.test(value)) {
      this.issue(
        record,
        'warning',
        `${name} is U+${(value.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}, a kind of space; a blank was read`,
        line,
        tag,
      );
      return ' ';
    }
    return value;
  }

  private startRecord(line: number): void {
    if (this.last) this.items.push(this.last);
    this.last = undefined;
    this.recordNumber++;
    const warnings = this.outside.map((issue) => asWarning(issue, this.recordNumber));
    this.outside = [];
    this.current = {
      recordNumber: this.recordNumber,
      line,
      depth: 1,
      leader: undefined,
      fields: [],
      field: undefined,
      capture: undefined,
      errors: [],
      warnings,
    };
  }

  private close(line: number): void {
    const record = this.current;
    if (!record) return;
    const capture = record.capture;
    if (capture && (record.depth === 2 || (record.depth === 3 && capture.kind === 'subfield'))) {
      record.capture = undefined;
      const text = this.normalize ? nfc(capture.text) : capture.text;
      if (capture.kind === 'leader') record.leader = this.leader(record, capture.text, line);
      else if (capture.kind === 'controlfield') record.fields.push({ tag: capture.tag, value: text });
      else record.field?.subfields.push({ code: capture.code, value: text });
    } else if (record.depth === 2 && record.field) {
      record.fields.push(record.field);
      record.field = undefined;
    }
    record.depth--;
    if (record.depth === 0) {
      this.current = undefined;
      this.last = this.finishRecord(record);
    }
  }

  private leader(record: RecordState, text: string, line: number): string {
    let leader = text;
    if (/[^\x20-\x7e]/u.test(leader)) {
      leader = leader.replace(/[^\x20-\x7e]/gu, ' ');
      this.issue(record, 'warning', 'the leader holds characters that are not printable ASCII; they were read as blanks', line);
    }
    if (leader.length !== 24) {
      this.issue(
        record,
        'warning',
        `the leader is ${leader.length} characters long, not 24; it was ${leader.length > 24 ? 'cut' : 'padded with blanks'}`,
        line,
      );
      leader = leader.padEnd(24, ' ').slice(0, 24);
    }
    return leader;
  }

  private finishRecord(state: RecordState): MarcReadItem {
    if (state.leader === undefined) this.issue(state, 'error', 'the record has no leader', state.line);
    const record: MarcRecord = { leader: state.leader ?? ' '.repeat(24), fields: state.fields };
    const [error, ...others] = state.errors;
    const place = { recordNumber: state.recordNumber, line: state.line };
    if (error) return { ...place, error, record, warnings: [...state.warnings, ...others] };
    return { ...place, record, warnings: state.warnings };
  }
}

/** An XML problem met outside any record, as a warning of the given record. */
function asWarning(issue: MarcIssue, recordNumber: number): MarcIssue {
  return makeIssue(
    'warning',
    issue.code,
    { recordNumber, ...(issue.line === undefined ? {} : { line: issue.line }) },
    issue.message.slice(issue.message.indexOf(': ') + 2),
  );
}

/** Text is tokenized this much at a time, so that events never pile up for a whole document. */
const TEXT_CHUNK = 1 << 16;

const NO_RECORD = 'no MARCXML record (a <record> element in the MARC21 slim namespace or in no namespace) was found';

/** Reads every record of a MARCXML document held in memory (a collection, a single record, or records inside another document). */
export function* parseMarcXml(input: string | Uint8Array, options: MarcXmlReadOptions = {}): Generator<MarcReadItem> {
  const tokenizer = new XmlTokenizer();
  const collector = new MarcXmlCollector(options);
  const decoder = new XmlByteDecoder();
  const text = typeof input === 'string' ? input : decoder.decode(input, true);
  if (decoder.unsupported !== undefined) {
    yield* collector.finish(`the document's encoding "${decoder.unsupported}" is not supported`);
    return;
  }
  for (let at = 0; at < text.length; at += TEXT_CHUNK) yield* collector.handle(tokenizer.write(text.slice(at, at + TEXT_CHUNK)));
  yield* collector.handle(tokenizer.end());
  yield* collector.finish(NO_RECORD);
}

/** Reads MARCXML records from a stream of bytes, one record at a time. */
export async function* readMarcXml(source: AsyncIterable<Uint8Array | string>, options: MarcXmlReadOptions = {}): AsyncGenerator<MarcReadItem> {
  const tokenizer = new XmlTokenizer();
  const collector = new MarcXmlCollector(options);
  const decoder = new XmlByteDecoder();
  for await (const chunk of source) {
    const text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, false);
    if (decoder.unsupported !== undefined) {
      yield* collector.finish(`the document's encoding "${decoder.unsupported}" is not supported`);
      return;
    }
    for (let at = 0; at < text.length; at += TEXT_CHUNK) yield* collector.handle(tokenizer.write(text.slice(at, at + TEXT_CHUNK)));
  }
  yield* collector.handle(tokenizer.write(decoder.decode(new Uint8Array(0), true)));
  yield* collector.handle(tokenizer.end());
  yield* collector.finish(NO_RECORD);
}

/** Reads the MARCXML records of a file, streaming. */
export function readMarcXmlFile(path: string, options: MarcXmlReadOptions = {}): AsyncGenerator<MarcReadItem> {
  return readMarcXml(createReadStream(path, { highWaterMark: 1 << 20 }), options);
}
