/**
 * A small streaming XML tokenizer: enough XML 1.0 for MARCXML and the documents that wrap it
 * (OAI-PMH, SRU). It handles the XML declaration, processing instructions, comments, a DOCTYPE
 * (skipped; its internal entities are not expanded), CDATA sections, the predefined and numeric
 * character references, attribute-value normalisation, line-end normalisation and namespaces.
 * It reports well-formedness errors as events and keeps going, so one broken record does not hide
 * the ones after it.
 */

export interface XmlName {
  /** The name as written, with its prefix. */
  qname: string;
  local: string;
  /** The namespace URI ('' for none). */
  uri: string;
}

export type XmlEvent =
  | { type: 'open'; name: XmlName; attributes: ReadonlyMap<string, string>; line: number }
  | { type: 'close'; name: XmlName; line: number }
  | { type: 'text'; text: string; line: number }
  | { type: 'problem'; severity: 'error' | 'warning'; message: string; line: number };

/** Stands for a byte that was not valid UTF-8 (U+FFFF cannot occur in XML text). */
export const INVALID_BYTE = '\uFFFF';

const XML_NAMESPACE = 'http://www.w3.org/XML/1998/namespace';
const NAME = /^[A-Za-z_:\u00C0-\uFFFD][\w.:\u00B7\u00C0-\uFFFD-]*$/;
const NAME_END = /[\s/]|$/;
/** What ends a tag or must be skipped inside it: a quote opens an attribute value, where > and < do not count. */
const TAG_STOP = /["'<>]/g;
const REFERENCE = /&(#x[0-9A-Fa-f]+|#[0-9]+|[A-Za-z_][\w.-]*);|&/g;
const PREDEFINED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', apos: "'", quot: '"' };

interface Scope {
  name: XmlName;
  namespaces: Map<string, string> | undefined;
}

export class XmlTokenizer {
  private buffer = '';
  private pos = 0;
  private line = 1;
  private readonly stack: Scope[] = [];
  private rootClosed = false;
  private started = false;
  private events: XmlEvent[] = [];

  /** Feeds decoded text; returns the events completed by it. */
  write(text: string): XmlEvent[] {
    const start = !this.started && text.charCodeAt(0) === 0xfeff ? 1 : 0;
    if (text.length > 0) this.started = true;
    this.buffer = this.buffer.slice(this.pos) + (start === 0 ? text : text.slice(start));
    this.pos = 0;
    this.run(false);
    return this.take();
  }

  /** Ends the input; returns the last events (errors for unclosed elements, which are then closed). */
  end(): XmlEvent[] {
    this.run(true);
    if (this.pos < this.buffer.length) this.problem('error', 'the document ends in the middle of markup');
    for (let scope = this.stack.pop(); scope; scope = this.stack.pop()) {
      this.problem('error', `element <${scope.name.qname}> is not closed`);
      this.events.push({ type: 'close', name: scope.name, line: this.line });
    }
    this.buffer = '';
    this.pos = 0;
    return this.take();
  }

  private take(): XmlEvent[] {
    const events = this.events;
    this.events = [];
    return events;
  }

  private problem(severity: 'error' | 'warning', message: string, line = this.line): void {
    this.events.push({ type: 'problem', severity, message, line });
  }

  /** Moves past `piece` (the input from pos on), counting its lines. */
  private advance(piece: string): void {
    for (let nl = piece.indexOf('\n'); nl !== -1; nl = piece.indexOf('\n', nl + 1)) this.line++;
    this.pos += piece.length;
  }

  private run(final: boolean): void {
    const buf = this.buffer;
    while (this.pos < buf.length) {
      const start = this.pos;
      if (buf.charCodeAt(start) !== 0x3c) {
        let lt = buf.indexOf('<', start);
        if (lt === -1) {
          if (!final) {
            lt = textCut(buf, start);
            if (lt === start) return;
          } else {
            lt = buf.length;
          }
        }
        const text = buf.slice(start, lt);
        this.text(text);
        this.advance(text);
        continue;
      }
      const end = this.markupEnd(buf, start);
      if (end === -1) {
        if (!final) return;
        this.problem('error', 'markup is not closed before the end of the document');
        this.advance(buf.slice(start));
        return;
      }
      const raw = buf.slice(start, end);
      this.markup(raw, this.line);
      this.advance(raw);
    }
  }

  /** The index just after the markup starting at `start`, or -1 when it is not complete yet. */
  private markupEnd(buf: string, start: number): number {
    if (buf.startsWith('<!--', start)) return after(buf, '-->', start + 4);
    if (buf.startsWith('<![CDATA[', start)) return after(buf, ']]>', start + 9);
    if (buf.startsWith('<?', start)) return after(buf, '?>', start + 2);
    if (buf.startsWith('<!', start)) {
      let depth = 0;
      let quote = '';
      for (let i = start + 2; i < buf.length; i++) {
        const c = buf.charAt(i);
        if (quote) {
          if (c === quote) quote = '';
        } else if (c === '"' || c === "'") quote = c;
        else if (c === '[') depth++;
        else if (c === ']') depth--;
        else if (c === '>' && depth <= 0) return i + 1;
      }
      return -1;
    }
    TAG_STOP.lastIndex = start + 1;
    for (let stop = TAG_STOP.exec(buf); stop; stop = TAG_STOP.exec(buf)) {
      const c = stop[0];
      if (c === '>') return stop.index + 1;
      if (c === '<') return stop.index;
      const close = buf.indexOf(c, stop.index + 1);
      if (close === -1) return -1;
      TAG_STOP.lastIndex = close + 1;
    }
    return -1;
  }

  private markup(raw: string, line: number): void {
    if (raw.startsWith('<!--') || raw.startsWith('<?') || raw.startsWith('<!DOCTYPE')) return;
    if (raw.startsWith('<![CDATA[')) {
      this.emitText(normaliseLineEnds(raw.slice(9, -3)), line);
      return;
    }
    if (raw.startsWith('<!')) {
      this.problem('error', `unexpected markup ${raw.slice(0, 20)}`, line);
      return;
    }
    if (!raw.endsWith('>')) {
      this.problem('error', `tag ${raw.slice(0, 40)} is not closed`, line);
      return;
    }
    if (raw.startsWith('</')) this.closeTag(raw.slice(2, -1).trim(), line);
    else this.openTag(raw, line);
  }

  private openTag(raw: string, line: number): void {
    const selfClosing = raw.endsWith('/>');
    const inner = raw.slice(1, selfClosing ? -2 : -1);
    const nameEnd = inner.search(NAME_END);
    const qname = inner.slice(0, nameEnd);
    if (!NAME.test(qname)) {
      this.problem('error', `"${qname}" is not a valid element name`, line);
      return;
    }
    const attributes = new Map<string, string>();
    let namespaces: Map<string, string> | undefined;
    let at = skipSpace(inner, nameEnd);
    while (at < inner.length) {
      const eq = inner.indexOf('=', at);
      const name = eq === -1 ? '' : inner.slice(at, eq).trimEnd();
      const open = eq === -1 ? -1 : skipSpace(inner, eq + 1);
      const quote = open === -1 ? '' : inner.charAt(open);
      const close = quote === '"' || quote === "'" ? inner.indexOf(quote, open + 1) : -1;
      if (close === -1 || name === '' || /[\s/>]/.test(name)) {
        this.problem('error', `malformed attributes on <${qname}>: ${inner.slice(at).trim().slice(0, 40)}`, line);
        break;
      }
      const value = this.attributeValue(inner.slice(open + 1, close), name, line);
      if (attributes.has(name)) this.problem('error', `attribute ${name} appears twice on <${qname}>`, line);
      attributes.set(name, value);
      if (name === 'xmlns') (namespaces ??= new Map()).set('', value);
      else if (name.startsWith('xmlns:')) (namespaces ??= new Map()).set(name.slice(6), value);
      at = skipSpace(inner, close + 1);
      if (at === close + 1 && at < inner.length) {
        this.problem('error', `malformed attributes on <${qname}>: no space before ${inner.slice(at).trim().slice(0, 40)}`, line);
        break;
      }
    }
    if (this.stack.length === 0 && this.rootClosed) {
      this.problem('warning', `<${qname}> is a second root element; the document is not well-formed XML but was read on`, line);
    }
    this.stack.push({ name: { qname, local: qname, uri: '' }, namespaces });
    const name = this.resolve(qname, line);
    (this.stack[this.stack.length - 1] as Scope).name = name;
    this.events.push({ type: 'open', name, attributes, line });
    if (selfClosing) this.closeTag(qname, line);
  }

  private closeTag(qname: string, line: number): void {
    const index = this.stack.findLastIndex((scope) => scope.name.qname === qname);
    if (index === -1) {
      this.problem('error', `end tag </${qname}> matches no open element`, line);
      return;
    }
    while (this.stack.length > index + 1) {
      const unclosed = this.stack.pop() as Scope;
      this.problem('error', `element <${unclosed.name.qname}> is not closed before </${qname}>`, line);
      this.events.push({ type: 'close', name: unclosed.name, line });
    }
    const scope = this.stack.pop() as Scope;
    this.events.push({ type: 'close', name: scope.name, line });
    if (this.stack.length === 0) this.rootClosed = true;
  }

  private resolve(qname: string, line: number): XmlName {
    const colon = qname.indexOf(':');
    const prefix = colon === -1 ? '' : qname.slice(0, colon);
    const local = colon === -1 ? qname : qname.slice(colon + 1);
    if (prefix === 'xml') return { qname, local, uri: XML_NAMESPACE };
    for (let i = this.stack.length - 1; i >= 0; i--) {
      const uri = this.stack[i]?.namespaces?.get(prefix);
      if (uri !== undefined) return { qname, local, uri };
    }
    if (prefix !== '') this.problem('error', `namespace prefix "${prefix}" is not declared`, line);
    return { qname, local, uri: '' };
  }

  private text(raw: string): void {
    if (raw.length === 0) return;
    if (this.stack.length === 0) {
      if (raw.trim() !== '') this.problem(this.rootClosed ? 'warning' : 'error', 'text outside the root element');
      return;
    }
    this.emitText(this.decode(normaliseLineEnds(raw), this.line), this.line);
  }

  private emitText(text: string, line: number): void {
    this.check(text, line);
    this.events.push({ type: 'text', text: text.includes(INVALID_BYTE) ? text.replaceAll(INVALID_BYTE, '\uFFFD') : text, line });
  }

  private attributeValue(raw: string, name: string, line: number): string {
    if (raw.includes('<')) this.problem('error', `attribute ${name} holds a "<"`, line);
    const value = this.decode(raw.replace(/\r\n|[\r\n\t]/g, ' '), line);
    this.check(value, line);
    return value.includes(INVALID_BYTE) ? value.replaceAll(INVALID_BYTE, '\uFFFD') : value;
  }

  private check(text: string, line: number): void {
    const bad = firstNonXmlCharacter(text, true);
    if (bad !== -1) {
      const cp = bad.toString(16).toUpperCase().padStart(4, '0');
      this.problem('error', `character U+${cp} is not allowed in XML`, line);
    }
    if (text.includes(INVALID_BYTE)) this.problem('error', 'bytes that are not valid UTF-8 (read as U+FFFD)', line);
  }

  private decode(raw: string, line: number): string {
    if (!raw.includes('&')) return raw;
    return raw.replace(REFERENCE, (whole, ref: string | undefined) => {
      if (ref === undefined) {
        this.problem('error', 'a bare "&" that starts no character reference', line);
        return whole;
      }
      if (ref.startsWith('#')) {
        const cp = ref.startsWith('#x') ? Number.parseInt(ref.slice(2), 16) : Number.parseInt(ref.slice(1), 10);
        if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) || cp === 0) {
          this.problem('error', `character reference ${whole} names no character`, line);
          return '\uFFFD';
        }
        return String.fromCodePoint(cp);
      }
      const predefined = PREDEFINED[ref];
      if (predefined === undefined) this.problem('error', `entity ${whole} is not declared (only the five predefined XML entities are)`, line);
      return predefined ?? whole;
    });
  }
}

/**
 * The first code point in text that XML 1.0 does not allow (C0 controls other than tab and line
 * ends, U+FFFE, U+FFFF, unpaired surrogates), or -1. With `allowInvalidByte`, U+FFFF (INVALID_BYTE)
 * is let through: the tokenizer reports it as invalid UTF-8 instead.
 */
export function firstNonXmlCharacter(text: string, allowInvalidByte = false): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20) {
      if (c !== 0x09 && c !== 0x0a && c !== 0x0d) return c;
    } else if (c >= 0xd800 && c <= 0xdfff) {
      const next = text.charCodeAt(i + 1);
      if (c > 0xdbff || !(next >= 0xdc00 && next <= 0xdfff)) return c;
      i++;
    } else if (c === 0xfffe || (c === 0xffff && !allowInvalidByte)) {
      return c;
    }
  }
  return -1;
}

/** The index of the first character at or after `from` that is not XML white space. */
function skipSpace(text: string, from: number): number {
  let i = from;
  for (let c = text.charCodeAt(i); c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d; c = text.charCodeAt(++i));
  return i;
}

function normaliseLineEnds(text: string): string {
  return text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
}

function after(buf: string, terminator: string, from: number): number {
  const at = buf.indexOf(terminator, from);
  return at === -1 ? -1 : at + terminator.length;
}

/** Where to cut unfinished text so that no character reference or CR LF pair is split. */
function textCut(buf: string, start: number): number {
  let cut = buf.length;
  const amp = buf.lastIndexOf('&');
  if (amp >= start && buf.indexOf(';', amp) === -1) cut = amp;
  if (cut > start && buf.charCodeAt(cut - 1) === 0x0d) cut--;
  return cut;
}
