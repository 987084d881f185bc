import { foldVi, tokensVi, toneKeyVi } from '../platform/text/index.js';
import { escapeLike } from '../platform/db/index.js';
import { looksLikeIsbn, normalizeIsbn } from './isbn.js';

export type QueryField = 'any' | 'title' | 'author' | 'subject';

/** One part of a query: a word, or a phrase whose words must be adjacent, in one field or any. */
export interface QueryTerm {
  field: QueryField;
  /** foldVi of each word. */
  folded: string[];
  /** toneKeyVi of each word, for the exact-tone bonus. */
  tones: string[];
  phrase: boolean;
}

export interface ParsedQuery {
  terms: QueryTerm[];
  /** ISBN-13s asked for (with `isbn:` or a bare ISBN); null where an `isbn:` value is not a valid ISBN. */
  isbns: Array<string | null>;
}

const PREFIXES: Record<string, QueryField | 'isbn'> = {
  'tac gia': 'author',
  author: 'author',
  'nhan de': 'title',
  title: 'title',
  'chu de': 'subject',
  subject: 'subject',
  isbn: 'isbn',
};

const PART = /(?:(\p{L}+(?: \p{L}+)?)\s*:\s*)?(?:"([^"]*)"?|([^\s"]+))/gu;

/**
 * Reads a search box query: words, "phrases", field prefixes (`tác giả:` / `author:`, `nhan đề:` /
 * `title:`, `chủ đề:` / `subject:`, `isbn:`; with or without marks) and ISBNs with or without hyphens.
 * A field prefix holds for the words after it up to the next prefix or quoted phrase.
 */
export function parseQuery(q: string): ParsedQuery {
  const text = toneKeyVi(q);
  const out: ParsedQuery = { terms: [], isbns: [] };
  let sticky: QueryField = 'any';
  for (const m of text.matchAll(PART)) {
    let prefix = m[1] ? PREFIXES[foldVi(m[1])] : undefined;
    let body = m[2] ?? m[3] ?? '';
    if (m[1] && !prefix) {
      const words = m[1].split(' ');
      const last = words.pop() ?? '';
      prefix = PREFIXES[foldVi(last)];
      for (const w of words) pushWords(out, sticky, w, false);
      if (!prefix) body = `${last} ${body}`;
    }
    if (prefix === 'isbn' || (!prefix && m[3] && looksLikeIsbn(body))) {
      out.isbns.push(normalizeIsbn(body));
      sticky = 'any';
      continue;
    }
    if (prefix) sticky = prefix;
    else if (m[2] !== undefined) sticky = 'any';
    pushWords(out, sticky, body, m[2] !== undefined);
  }
  return out;
}

function pushWords(out: ParsedQuery, field: QueryField, body: string, quoted: boolean): void {
  const tones = tokensVi(body);
  if (!tones.length) return;
  if (quoted || (tones.length > 1 && !/\s/.test(body.trim()))) {
    out.terms.push({ field, folded: tones.map(foldVi), tones, phrase: tones.length > 1 });
    return;
  }
  for (const t of tones) out.terms.push({ field, folded: [foldVi(t)], tones: [t], phrase: false });
}

/**
 * Each term as a LIKE pattern over folded text padded with spaces: its words, adjacent, as whole
 * words (`% van hoa %`). The SQL search matches it in the term's field, or in any field.
 */
export function likePatterns(terms: QueryTerm[]): Array<{ field: QueryField; pattern: string }> {
  return terms.map((t) => ({ field: t.field, pattern: `% ${t.folded.map(escapeLike).join(' ')} %` }));
}

/** The query's words with their marks, for the exact-tone bonus. */
export function toneWordsOf(terms: QueryTerm[]): string[] {
  return [...new Set(terms.flatMap((t) => t.tones))];
}
