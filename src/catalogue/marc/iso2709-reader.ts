import { isUtf8 } from 'node:buffer';
import { createReadStream } from 'node:fs';

import { chooseEncoding, mayChangeUnderNfc, nfc, utf8Text, type MarcEncoding } from './encoding.js';
import { makeIssue, type MarcIssue, type MarcIssueCode, type MarcReadItem } from './issues.js';
import { Marc8Decoder, type Marc8Problem } from './marc8.js';
import { isControlTag, type DataField, type MarcField, type MarcRecord, type Subfield } from './record.js';
import { decodeTcvn3, decodeVni } from './vietnamese-legacy.js';

export interface MarcReadOptions {
  /**
   * The character encoding of the input. When omitted, each record's leader/09 decides (`a` = UTF-8,
   * blank = MARC-8), and records whose bytes say otherwise (UTF-8 in a MARC-8 record, TCVN3 or VNI)
   * are read as what they hold, with a warning.
   */
  encoding?: MarcEncoding;
  /** Normalise text to Unicode NFC (default true). `false` keeps UTF-8 text exactly as stored. */
  normalize?: boolean;
}

const RECORD_TERMINATOR = 0x1d;
const FIELD_TERMINATOR = 0x1e;
const SUBFIELD_DELIMITER = 0x1f;
const LEADER_LENGTH = 24;
/** ISO 2709 records are at most 99,999 bytes; past this much data without a terminator there is none. */
const MAX_RECORD_SCAN = 100_000;

/** Bytes skipped silently between records: NUL, tab, line ends, space, DOS end-of-file, stray terminators. */
const FILLER = new Uint8Array(256);
for (const b of [0x00, 0x09, 0x0a, 0x0d, 0x20, 0x1a, RECORD_TERMINATOR]) FILLER[b] = 1;

const TAGS = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));
const NON_PRINTABLE = /[^\x20-\x7e]/u;
const NON_PRINTABLE_ALL = /[^\x20-\x7e]/gu;

/** The directory entry map of leader/20-22: digits of the field length and offset, and the entry size. */
interface EntryMap {
  lengthDigits: number;
  offsetDigits: number;
  size: number;
}

/** A leader digit, or the MARC 21 value when the position holds no digit. */
function leaderDigit(leader: string, index: number, fallback: number): number {
  const d = leader.charCodeAt(index) - 0x30;
  return d >= 0 && d <= 9 ? d : fallback;
}

/** The decimal number in bytes [pos, pos+n), or -1 when one of them is not a digit. */
function readNumber(buf: Uint8Array, pos: number, n: number): number {
  let value = 0;
  for (let i = pos; i < pos + n; i++) {
    const d = (buf[i] ?? 0) - 0x30;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}

function looksLikeLeader(buf: Uint8Array, pos: number, len: number): boolean {
  return pos + LEADER_LENGTH <= len && readNumber(buf, pos, 5) >= 0 && readNumber(buf, pos + 12, 5) >= 0;
}

/** File kinds told by their first bytes, for the answer to a file that is not MARC at all. */
const SIGNATURES: Array<[string, number[]]> = [
  ['gzip', [0x1f, 0x8b]],
  ['zip', [0x50, 0x4b, 0x03, 0x04]],
  ['zip', [0x50, 0x4b, 0x05, 0x06]],
  ['PDF', [0x25, 0x50, 0x44, 0x46]],
  ['an ELF binary', [0x7f, 0x45, 0x4c, 0x46]],
  ['bzip2', [0x42, 0x5a, 0x68]],
  ['xz', [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]],
  ['7-Zip', [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]],
  ['PNG', [0x89, 0x50, 0x4e, 0x47]],
  ['JPEG', [0xff, 0xd8, 0xff]],
  ['an Excel or Word file', [0xd0, 0xcf, 0x11, 0xe0]],
];

/** What the bytes at pos look like when they are a known kind of file, else undefined. */
function sniff(buf: Uint8Array, pos: number): string | undefined {
  return SIGNATURES.find(([, magic]) => magic.every((b, i) => buf[pos + i] === b))?.[0];
}

/** Whether a directory entry (three tag characters, then the field's length and offset in digits) follows the leader. */
function directoryFollows(buf: Uint8Array, pos: number, len: number): boolean {
  return pos + LEADER_LENGTH + 12 <= len && readNumber(buf, pos + LEADER_LENGTH + 3, 9) >= 0;
}

function looksLikeXml(buf: Uint8Array, pos: number, len: number): boolean {
  let i = pos;
  if (buf[i] === 0xef && buf[i + 1] === 0xbb && buf[i + 2] === 0xbf) i += 3;
  while (i < len && FILLER[buf[i] as number] === 1) i++;
  return buf[i] === 0x3c;
}

/** Whether a record starts somewhere in [pos, end): a leader whose length lands on a record terminator. */
function hasLeaderBefore(buf: Uint8Array, pos: number, end: number): boolean {
  for (let t = buf.indexOf(RECORD_TERMINATOR, pos); t !== -1 && t < end; t = buf.indexOf(RECORD_TERMINATOR, t + 1)) {
    for (let s = pos; s + LEADER_LENGTH < t; s++) {
      if (readNumber(buf, s, 5) === t - s + 1 && looksLikeLeader(buf, s, buf.length)) return true;
    }
    if (t - pos > 8 * MAX_RECORD_SCAN) return false;
  }
  return false;
}

interface Note {
  code: MarcIssueCode;
  what: string;
  offset: number;
}

type Frame =
  | { kind: 'record'; start: number; end: number; notes: Note[] }
  | { kind: 'bad'; start: number; end: number; code: MarcIssueCode; what: string }
  | { kind: 'not-marc'; start: number; what: string }
  | { kind: 'need-more'; start: number }
  | { kind: 'done'; start: number };

/**
 * Finds the next record in buf from pos. The leader's record length is trusted when a record
 * terminator stands where it says; otherwise the record ends at the next terminator, and a leader
 * whose length lands exactly there is looked for inside, to skip junk before a record.
 */
function nextFrame(buf: Uint8Array, from: number, final: boolean, first: boolean, absBase: number): Frame {
  const len = buf.length;
  let pos = from;
  while (pos < len && FILLER[buf[pos] as number] === 1) pos++;
  if (pos >= len) return { kind: final ? 'done' : 'need-more', start: pos };
  if (!final && len - pos < LEADER_LENGTH) return { kind: 'need-more', start: pos };
  const declared = readNumber(buf, pos, 5);
  if (first && declared < 0) {
    if (looksLikeXml(buf, pos, len)) {
      return { kind: 'not-marc', start: pos, what: 'the input is XML, not ISO 2709; read it with the MARCXML reader' };
    }
    const kind = sniff(buf, pos);
    if (kind) return { kind: 'not-marc', start: pos, what: `not a MARC file (looks like ${kind})` };
    const terminator = buf.indexOf(RECORD_TERMINATOR, pos);
    if (terminator === -1 && (final || len - pos >= MAX_RECORD_SCAN)) {
      return {
        kind: 'not-marc',
        start: pos,
        what: 'the input is not an ISO 2709 (MARC) file: it starts with no leader and holds no record terminator',
      };
    }
    if (terminator === -1 || (!final && len - pos < MAX_RECORD_SCAN)) return { kind: 'need-more', start: pos };
    if (!directoryFollows(buf, pos, len) && !hasLeaderBefore(buf, pos, Math.min(len, pos + MAX_RECORD_SCAN))) {
      return { kind: 'not-marc', start: pos, what: 'not a MARC file: it starts with neither a leader nor a directory, and no record follows' };
    }
  }
  if (declared > LEADER_LENGTH) {
    const stop = pos + declared;
    if (stop <= len) {
      if (buf[stop - 1] === RECORD_TERMINATOR) return { kind: 'record', start: pos, end: stop, notes: [] };
      for (const end of [stop, stop - 1]) {
        if (buf[end - 1] === FIELD_TERMINATOR && (end === len ? final : looksLikeLeader(buf, end, len))) {
          return {
            kind: 'record',
            start: pos,
            end,
            notes: [{ code: 'record-length-mismatch', what: 'the record terminator (0x1D) is missing', offset: absBase + end - 1 }],
          };
        }
      }
    } else if (!final && declared < MAX_RECORD_SCAN) {
      return { kind: 'need-more', start: pos };
    }
  }
  const terminator = buf.indexOf(RECORD_TERMINATOR, pos);
  if (terminator === -1) {
    if (!final && len - pos < MAX_RECORD_SCAN) return { kind: 'need-more', start: pos };
    if (!final) {
      return {
        kind: 'bad',
        start: pos,
        end: len,
        code: 'bad-leader',
        what: `no record terminator in the ${len - pos} bytes from here, which cannot be a record; they were skipped`,
      };
    }
    const what =
      declared > 0
        ? `the input ends inside a record: the leader announces ${declared} bytes, only ${len - pos} remain and no record terminator follows`
        : `the input ends with ${len - pos} bytes that are not a whole record`;
    return { kind: 'bad', start: pos, end: len, code: 'truncated-record', what };
  }
  const found = terminator - pos + 1;
  if (declared !== found) {
    for (let s = pos + 1; s + LEADER_LENGTH < terminator; s++) {
      if (readNumber(buf, s, 5) === terminator - s + 1 && looksLikeLeader(buf, s, len)) {
        return {
          kind: 'record',
          start: s,
          end: terminator + 1,
          notes: [
            { code: 'skipped-bytes', what: `${s - pos} bytes before the record are not part of any record and were skipped`, offset: absBase + pos },
          ],
        };
      }
    }
  }
  if (found <= LEADER_LENGTH + 1) {
    return {
      kind: 'bad',
      start: pos,
      end: terminator + 1,
      code: 'bad-leader',
      what: `only ${found} bytes up to the record terminator; too short for a record`,
    };
  }
  const notes: Note[] = [];
  if (declared !== found) {
    notes.push({
      code: 'record-length-mismatch',
      what:
        declared < 0
          ? `the record length in the leader is not a number; the record ends at its terminator after ${found} bytes`
          : `the leader says the record is ${declared} bytes but its terminator comes after ${found} bytes`,
      offset: absBase + pos,
    });
  }
  return { kind: 'record', start: pos, end: terminator + 1, notes };
}

interface Directory {
  count: number;
  /** Content of each field: start and end (terminator excluded) as buffer indexes. */
  starts: Int32Array;
  ends: Int32Array;
  tags: string[];
  /** Fields stored in directory order one after the other, each ending in a field terminator. */
  contiguous: boolean;
  /** The entries' lengths or offsets were wrong and the fields were taken by their terminators. */
  repaired: boolean;
}

/** Why a directory could not be used: malformed entries, or entries that match no field layout. */
type DirectoryResult = Directory | 'malformed' | { entries: number; fieldsFound: number };

/** The warnings of one record, and where its bytes sit in the input (for issue offsets). */
class RecordIssues {
  private list: MarcIssue[] | undefined;

  constructor(
    readonly recordNumber: number,
    readonly absBase: number,
  ) {}

  /** Records a warning about the byte at buffer index `at`. */
  warn(code: MarcIssueCode, what: string, at: number, tag?: string): void {
    (this.list ??= []).push(this.issue('warning', code, what, at, tag));
  }

  issue(severity: 'error' | 'warning', code: MarcIssueCode, what: string, at: number, tag?: string): MarcIssue {
    const place = { recordNumber: this.recordNumber, offset: this.absBase + at };
    return makeIssue(severity, code, tag === undefined ? place : { ...place, tag }, what);
  }

  get warnings(): MarcIssue[] {
    return this.list ?? [];
  }
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

function hex4(code: number): string {
  return code.toString(16).toUpperCase().padStart(4, '0');
}

function isNumericTag(tag: string): boolean {
  return isDigit(tag.charCodeAt(0)) && isDigit(tag.charCodeAt(1)) && isDigit(tag.charCodeAt(2));
}

/** Reads ISO 2709 records from bytes; one instance per input (it keeps scratch space). */
class RecordParser {
  private readonly encoding: MarcEncoding | undefined;
  private readonly normalize: boolean;
  private readonly marc8 = new Marc8Decoder();
  private readonly problems: Marc8Problem[] = [];
  private starts = new Int32Array(64);
  private ends = new Int32Array(64);

  constructor(options: MarcReadOptions) {
    this.encoding = options.encoding;
    this.normalize = options.normalize ?? true;
  }

  parse(buf: Buffer, start: number, end: number, recordNumber: number, absBase: number, notes: Note[]): MarcReadItem {
    const offset = absBase + start;
    const issues = new RecordIssues(recordNumber, absBase);
    for (const note of notes) issues.warn(note.code, note.what, note.offset - absBase);

    const recordEnd = buf[end - 1] === RECORD_TERMINATOR ? end - 1 : end;
    let leader = buf.toString('latin1', start, start + LEADER_LENGTH);
    if (NON_PRINTABLE.test(leader)) {
      leader = leader.replace(NON_PRINTABLE_ALL, ' ');
      issues.warn('bad-leader', 'the leader holds bytes that are not printable ASCII; they were read as blanks', start);
    }
    const indicatorCount = leaderDigit(leader, 10, 2);
    if (indicatorCount > 2)
      issues.warn('bad-leader', `leader/10 declares ${indicatorCount} indicators; only the first two of each field are kept`, start + 10);
    const lengthDigits = leaderDigit(leader, 20, 4) || 4;
    const offsetDigits = leaderDigit(leader, 21, 5) || 5;
    const map: EntryMap = { lengthDigits, offsetDigits, size: 3 + lengthDigits + offsetDigits + leaderDigit(leader, 22, 0) };
    const base = readNumber(buf, start + 12, 5);

    const dirStart = start + LEADER_LENGTH;
    let dirEnd = -1;
    for (let p = dirStart; p < recordEnd; p += map.size) {
      if (buf[p] === FIELD_TERMINATOR) {
        dirEnd = p;
        break;
      }
    }
    let directory: DirectoryResult = dirEnd === -1 ? 'malformed' : this.readDirectory(buf, dirStart, dirEnd, recordEnd, map);
    if (directory === 'malformed' && base > LEADER_LENGTH && (base - LEADER_LENGTH - 1) % map.size === 0 && start + base - 1 < recordEnd) {
      const fromBase = this.readDirectory(buf, dirStart, start + base - 1, recordEnd, map);
      if (fromBase !== 'malformed') {
        dirEnd = start + base - 1;
        directory = fromBase;
        issues.warn('directory-mismatch', 'the directory does not end with a field terminator (0x1E); the base address was used', dirEnd);
      }
    }
    if (directory === 'malformed' || !('count' in directory)) {
      const what =
        directory !== 'malformed'
          ? `the directory lists ${directory.entries} fields but the data holds ${directory.fieldsFound}`
          : dirEnd === -1
            ? 'no field terminator (0x1E) ends the directory'
            : 'the directory holds malformed entries (tags, lengths or offsets that are not numbers)';
      return { error: issues.issue('error', 'bad-directory', what, dirStart), recordNumber, offset, warnings: issues.warnings };
    }
    if (base !== dirEnd + 1 - start) {
      issues.warn(
        'bad-base-address',
        `the leader gives base address ${base < 0 ? 'that is not a number' : base}; the directory ends at ${dirEnd - start}`,
        start + 12,
      );
    }
    if (directory.repaired) {
      issues.warn(
        'directory-mismatch',
        'the field lengths or offsets in the directory do not match the data; fields were read by their terminators',
        dirStart,
      );
    }

    const dataStart = dirEnd + 1;
    const choice = chooseEncoding(buf, dataStart, recordEnd, leader.charAt(9), this.encoding);
    if (choice.note) issues.warn(choice.note.code, choice.note.what, dataStart);
    const fields =
      choice.encoding === 'ascii' || choice.encoding === 'utf8'
        ? this.fieldsFromText(buf, directory, dataStart, recordEnd, indicatorCount, choice.encoding === 'utf8', choice.invalidUtf8 !== true, issues)
        : this.fieldsFromBytes(buf, directory, indicatorCount, choice.encoding, issues);
    const record: MarcRecord = { leader, fields };
    if (choice.invalidUtf8) {
      const at = firstInvalidUtf8(buf, dataStart, recordEnd);
      const what = `byte 0x${(buf[at] ?? 0).toString(16).toUpperCase()} is not valid UTF-8 although the record is read as UTF-8; the record was read with U+FFFD in its place`;
      const error = issues.issue('error', 'invalid-utf8', what, at, directory.tags[fieldIndexAt(directory, at)]);
      return { error, record, recordNumber, offset, warnings: issues.warnings };
    }
    return { record, recordNumber, offset, warnings: issues.warnings };
  }

  /**
   * Parses the directory entries in [dirStart, dirEnd). When the fields do not sit where the entries
   * say, they are taken by their terminators, in the order of the entries' offsets, provided there are
   * as many as entries.
   */
  private readDirectory(buf: Buffer, dirStart: number, dirEnd: number, recordEnd: number, map: EntryMap): DirectoryResult {
    const count = (dirEnd - dirStart) / map.size;
    if (this.starts.length < count) {
      this.starts = new Int32Array(count * 2);
      this.ends = new Int32Array(count * 2);
    }
    const starts = this.starts;
    const ends = this.ends;
    const tags = new Array<string>(count);
    const dataStart = dirEnd + 1;
    let consistent = true;
    let expected = dataStart;
    let contiguous = true;
    for (let i = 0, p = dirStart; i < count; i++, p += map.size) {
      const b0 = buf[p] as number;
      const b1 = buf[p + 1] as number;
      const b2 = buf[p + 2] as number;
      if (b0 < 0x20 || b0 > 0x7e || b1 < 0x20 || b1 > 0x7e || b2 < 0x20 || b2 > 0x7e) return 'malformed';
      tags[i] =
        isDigit(b0) && isDigit(b1) && isDigit(b2)
          ? (TAGS[(b0 - 0x30) * 100 + (b1 - 0x30) * 10 + b2 - 0x30] as string)
          : buf.toString('latin1', p, p + 3);
      const length = readNumber(buf, p + 3, map.lengthDigits);
      const offset = readNumber(buf, p + 3 + map.lengthDigits, map.offsetDigits);
      if (length < 0 || offset < 0) return 'malformed';
      const fieldStart = dataStart + offset;
      const fieldEnd = fieldStart + length;
      if (length < 1 || fieldEnd > recordEnd || buf[fieldEnd - 1] !== FIELD_TERMINATOR) consistent = false;
      if (fieldStart !== expected) contiguous = false;
      expected = fieldEnd;
      starts[i] = fieldStart;
      ends[i] = fieldEnd - 1;
    }
    if (consistent) return { count, starts, ends, tags, contiguous: contiguous && expected === recordEnd, repaired: false };

    const order = Array.from({ length: count }, (_, i) => i).sort((a, b) => (starts[a] as number) - (starts[b] as number));
    const orderedTags = order.map((i) => tags[i] as string);
    let found = 0;
    for (let p = dataStart; p < recordEnd; found++) {
      let q = buf.indexOf(FIELD_TERMINATOR, p);
      if (q === -1 || q > recordEnd) q = recordEnd;
      if (found < count) {
        starts[found] = p;
        ends[found] = q;
      }
      p = q + 1;
    }
    if (found !== count) return { entries: count, fieldsFound: found };
    return { count, starts, ends, tags: orderedTags, contiguous: false, repaired: true };
  }

  /** Fields of a record whose data is ASCII or valid UTF-8: decoded at once, then cut at the delimiters. */
  private fieldsFromText(
    buf: Buffer,
    directory: Directory,
    dataStart: number,
    recordEnd: number,
    indicatorCount: number,
    utf8: boolean,
    valid: boolean,
    issues: RecordIssues,
  ): MarcField[] {
    const { count, starts, ends, tags } = directory;
    const fields = new Array<MarcField>(count);
    const text = utf8 ? utf8Text(buf, dataStart, recordEnd, valid) : buf.toString('latin1', dataStart, recordEnd);
    const normalize = this.normalize && utf8 && mayChangeUnderNfc(text);
    if (directory.contiguous) {
      let from = 0;
      let i = 0;
      for (; i < count; i++) {
        const to = text.indexOf('\x1e', from);
        if (to === -1) break;
        fields[i] = this.fieldFromText(tags[i] as string, text, from, to, indicatorCount, normalize, starts[i] as number, issues);
        from = to + 1;
      }
      if (i === count && from === text.length) return fields;
    }
    for (let i = 0; i < count; i++) {
      const s = starts[i] as number;
      const content = utf8 ? utf8Text(buf, s, ends[i] as number, valid) : buf.toString('latin1', s, ends[i]);
      fields[i] = this.fieldFromText(tags[i] as string, content, 0, content.length, indicatorCount, normalize, s, issues);
    }
    return fields;
  }

  /** The field held in text[from, to), its terminator excluded; `at` is its byte index, for warnings. */
  private fieldFromText(
    tag: string,
    text: string,
    from: number,
    to: number,
    indicatorCount: number,
    normalize: boolean,
    at: number,
    issues: RecordIssues,
  ): MarcField {
    let s = text.indexOf('\x1f', from);
    if (s >= to) s = -1;
    if (s === -1 && (isControlTag(tag) || !isNumericTag(tag))) {
      const value = text.slice(from, to);
      return { tag, value: normalize ? nfc(value) : value };
    }
    if (isControlTag(tag)) issues.warn('bad-field', 'this control field holds subfield delimiters; it was read as a data field', at, tag);
    const indicators = Math.min(indicatorCount, (s === -1 ? to : s) - from);
    if (indicators < indicatorCount) issues.warn('bad-field', 'indicators are missing; blanks were assumed', at, tag);
    const subfields: Subfield[] = [];
    const field: DataField = { tag, ind1: indicators > 0 ? text.charAt(from) : ' ', ind2: indicators > 1 ? text.charAt(from + 1) : ' ', subfields };
    const stray = text.slice(from + indicators, s === -1 ? to : s);
    if (stray.trim()) {
      issues.warn('bad-field', `the field's text does not start with a subfield delimiter; "${stray}" was kept as $a`, at, tag);
      subfields.push({ code: 'a', value: normalize ? nfc(stray) : stray });
    } else if (stray) {
      issues.warn('bad-field', `${stray.length} blanks before the first subfield delimiter were dropped`, at, tag);
    }
    while (s !== -1) {
      let next = text.indexOf('\x1f', s + 1);
      if (next >= to) next = -1;
      const partEnd = next === -1 ? to : next;
      const code = text.charCodeAt(s + 1);
      const previous = subfields[subfields.length - 1];
      if (partEnd === s + 1) {
        issues.warn('bad-field', 'a subfield delimiter is followed by no subfield code; it was dropped', at, tag);
      } else if (code <= 0x20 && previous) {
        issues.warn('bad-field', `a subfield delimiter is followed by U+${hex4(code)}, not a subfield code; the delimiter was dropped`, at, tag);
        const value = previous.value + text.slice(s + 1, partEnd);
        previous.value = normalize ? nfc(value) : value;
      } else {
        const valueStart = (code & 0xfc00) === 0xd800 && partEnd > s + 2 ? s + 3 : s + 2;
        const value = text.slice(valueStart, partEnd);
        subfields.push({ code: text.slice(s + 1, valueStart), value: normalize ? nfc(value) : value });
      }
      s = next;
    }
    return field;
  }

  /** Fields of a record in MARC-8, TCVN3 or VNI: each subfield decoded from its bytes. */
  private fieldsFromBytes(buf: Buffer, directory: Directory, indicatorCount: number, encoding: MarcEncoding, issues: RecordIssues): MarcField[] {
    const { count, starts, ends, tags } = directory;
    const fields = new Array<MarcField>(count);
    const problems = this.problems;
    for (let i = 0; i < count; i++) {
      const tag = tags[i] as string;
      const s = starts[i] as number;
      const e = ends[i] as number;
      if (encoding === 'marc8' && this.encoding === undefined && fieldHoldsUtf8(buf, s, e)) {
        issues.warn('encoding-mismatch', 'this field of a MARC-8 record holds UTF-8; it was read as UTF-8', s, tag);
        const text = utf8Text(buf, s, e, true);
        fields[i] = this.fieldFromText(tag, text, 0, text.length, indicatorCount, this.normalize && mayChangeUnderNfc(text), s, issues);
        continue;
      }
      problems.length = 0;
      fields[i] = this.fieldFromBytes(buf, tag, s, e, indicatorCount, encoding, issues);
      const first = problems[0];
      if (first) {
        const more = problems.length > 1 ? ` (and ${problems.length - 1} more in this field)` : '';
        issues.warn('bad-marc8', `${first.what}${more}`, first.offset, tag);
      }
    }
    return fields;
  }

  private decode(buf: Buffer, from: number, to: number, encoding: MarcEncoding): string {
    let text: string;
    if (encoding === 'marc8') text = this.marc8.decode(buf, from, to, this.problems);
    else if (encoding === 'tcvn3') text = decodeTcvn3(buf, from, to);
    else if (encoding === 'vni') text = decodeVni(buf, from, to);
    else text = buf.toString('utf8', from, to);
    return this.finish(text);
  }

  /** An indicator byte, decoded like the rest of the record (a byte that decodes to nothing reads as a blank). */
  private indicator(buf: Buffer, at: number, encoding: MarcEncoding): string {
    const b = buf[at] as number;
    if (b < 0x80) return String.fromCharCode(b);
    return this.decode(buf, at, at + 1, encoding).charAt(0) || ' ';
  }

  private finish(text: string): string {
    return this.normalize ? nfc(text) : text;
  }

  private fieldFromBytes(
    buf: Buffer,
    tag: string,
    start: number,
    end: number,
    indicatorCount: number,
    encoding: MarcEncoding,
    issues: RecordIssues,
  ): MarcField {
    let s = buf.indexOf(SUBFIELD_DELIMITER, start);
    if (s >= end) s = -1;
    if (s === -1 && (isControlTag(tag) || !isNumericTag(tag))) return { tag, value: this.decode(buf, start, end, encoding) };
    if (isControlTag(tag)) issues.warn('bad-field', 'this control field holds subfield delimiters; it was read as a data field', start, tag);
    const indicators = Math.min(indicatorCount, (s === -1 ? end : s) - start);
    if (indicators < indicatorCount) issues.warn('bad-field', 'indicators are missing; blanks were assumed', start, tag);
    const subfields: Subfield[] = [];
    const field: DataField = {
      tag,
      ind1: indicators > 0 ? this.indicator(buf, start, encoding) : ' ',
      ind2: indicators > 1 ? this.indicator(buf, start + 1, encoding) : ' ',
      subfields,
    };
    const strayEnd = s === -1 ? end : s;
    const value = strayEnd > start + indicators ? this.decode(buf, start + indicators, strayEnd, encoding) : '';
    if (value.trim()) {
      issues.warn('bad-field', `the field's text does not start with a subfield delimiter; "${value}" was kept as $a`, start, tag);
      subfields.push({ code: 'a', value });
    } else if (value) {
      issues.warn('bad-field', `${value.length} blanks before the first subfield delimiter were dropped`, start, tag);
    }
    while (s !== -1) {
      let next = buf.indexOf(SUBFIELD_DELIMITER, s + 1);
      if (next >= end) next = -1;
      const partEnd = next === -1 ? end : next;
      const code = buf[s + 1] as number;
      const previous = subfields[subfields.length - 1];
      if (partEnd === s + 1) {
        issues.warn('bad-field', 'a subfield delimiter is followed by no subfield code; it was dropped', s, tag);
      } else if (code <= 0x20 && previous) {
        issues.warn(
          'bad-field',
          `a subfield delimiter is followed by byte 0x${hex4(code).slice(2)}, not a subfield code; the delimiter was dropped`,
          s,
          tag,
        );
        previous.value = this.finish(previous.value + this.decode(buf, s + 1, partEnd, encoding));
      } else {
        subfields.push({ code: String.fromCharCode(code), value: this.decode(buf, s + 2, partEnd, encoding) });
      }
      s = next;
    }
    return field;
  }
}

function fieldHoldsUtf8(buf: Buffer, start: number, end: number): boolean {
  let high = false;
  for (let i = start; i < end; i++) {
    const b = buf[i] as number;
    if (b === 0x1b) return false;
    if (b >= 0x80) high = true;
  }
  return high && isUtf8(buf.subarray(start, end));
}

function fieldIndexAt(directory: Directory, at: number): number {
  for (let i = 0; i < directory.count; i++) {
    if (at >= (directory.starts[i] as number) && at <= (directory.ends[i] as number)) return i;
  }
  return 0;
}

/** Index of the first byte in [start, end) where UTF-8 decoding fails. */
export function firstInvalidUtf8(bytes: Uint8Array, start: number, end: number): number {
  let i = start;
  while (i < end) {
    const b = bytes[i] as number;
    let need: number;
    let min: number;
    if (b < 0x80) {
      i++;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else {
      return i;
    }
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (i + k >= end || c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return end;
}

/** Splits a byte stream into records; feed it chunks, then finish. */
class Iso2709Scanner {
  private readonly parser: RecordParser;
  private pending: Buffer = Buffer.alloc(0);
  private pendingOffset = 0;
  private recordNumber = 0;
  private total = 0;
  private stopped = false;

  constructor(options: MarcReadOptions) {
    this.parser = new RecordParser(options);
  }

  *push(chunk: Uint8Array, final: boolean): Generator<MarcReadItem> {
    if (this.stopped) return;
    this.total += chunk.length;
    const incoming = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const buf = this.pending.length === 0 ? incoming : Buffer.concat([this.pending, incoming]);
    const absBase = this.pendingOffset;
    let pos = 0;
    for (;;) {
      const frame = nextFrame(buf, pos, final, this.recordNumber === 0, absBase);
      pos = frame.start;
      if (frame.kind === 'need-more' || frame.kind === 'done') break;
      this.recordNumber++;
      if (frame.kind === 'not-marc') {
        this.stopped = true;
        yield this.errorItem('not-marc', frame.what, absBase + frame.start);
        return;
      }
      if (frame.kind === 'bad') {
        yield this.errorItem(frame.code, frame.what, absBase + frame.start);
      } else {
        yield this.parser.parse(buf, frame.start, frame.end, this.recordNumber, absBase, frame.notes);
      }
      pos = frame.end;
    }
    this.pending = buf.subarray(pos);
    this.pendingOffset = absBase + pos;
    if (final && this.recordNumber === 0) {
      this.recordNumber = 1;
      yield this.errorItem('empty-file', this.total === 0 ? 'the input is empty' : 'the input holds no record, only blank bytes', 0);
    }
  }

  private errorItem(code: MarcIssueCode, what: string, offset: number): MarcReadItem {
    const error = makeIssue('error', code, { recordNumber: this.recordNumber, offset }, what);
    return { error, recordNumber: this.recordNumber, offset, warnings: [] };
  }
}

/** Reads every record of an ISO 2709 file held in memory. */
export function* parseIso2709(bytes: Uint8Array, options: MarcReadOptions = {}): Generator<MarcReadItem> {
  yield* new Iso2709Scanner(options).push(bytes, true);
}

/**
 * Reads ISO 2709 records from a stream of bytes (a Node Readable, a file stream, any async iterable
 * of chunks) without holding more than the record being read and the current chunk in memory.
 */
export async function* readIso2709(source: AsyncIterable<Uint8Array>, options: MarcReadOptions = {}): AsyncGenerator<MarcReadItem> {
  const scanner = new Iso2709Scanner(options);
  for await (const chunk of source) yield* scanner.push(chunk, false);
  yield* scanner.push(new Uint8Array(0), true);
}

/** Reads the ISO 2709 records of a file, streaming. */
export function readIso2709File(path: string, options: MarcReadOptions = {}): AsyncGenerator<MarcReadItem> {
  return readIso2709(createReadStream(path, { highWaterMark: 1 << 20 }), options);
}
