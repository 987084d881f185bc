/** ISBN and ISSN: normalised, check digits validated, ISBN-10 ↔ ISBN-13. */

function digitsOf(raw: string): string {
  const m = /[0-9][0-9\s-]{8,}[0-9Xx]/.exec(raw);
  return m ? m[0].replace(/[\s-]/g, '').toUpperCase() : '';
}

function isbn10Valid(s: string): boolean {
  if (!/^[0-9]{9}[0-9X]$/.test(s)) return false;
  let sum = 0;
  for (let i = 0; i < 10; i++) sum += (s[i] === 'X' ? 10 : Number(s[i])) * (10 - i);
  return sum % 11 === 0;
}

function isbn13Check(first12: string): string {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(first12[i]) * (i % 2 === 0 ? 1 : 3);
  return String((10 - (sum % 10)) % 10);
}

function isbn13Valid(s: string): boolean {
  return /^97[89][0-9]{10}$/.test(s) && isbn13Check(s.slice(0, 12)) === s[12];
}

/** The ISBN-13 form of an ISBN-10 or ISBN-13 written any way, or null when it is not a valid ISBN. */
export function normalizeIsbn(raw: string): string | null {
  const s = digitsOf(raw);
  if (s.length === 13) return isbn13Valid(s) ? s : null;
  if (s.length === 10 && isbn10Valid(s)) {
    const first12 = `978${s.slice(0, 9)}`;
    return first12 + isbn13Check(first12);
  }
  return null;
}

/** The ISBN-10 form of a 978 ISBN-13 (979 ISBNs have none). */
export function isbn13to10(isbn13: string): string | null {
  if (!isbn13Valid(isbn13) || !isbn13.startsWith('978')) return null;
  const core = isbn13.slice(3, 12);
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(core[i]) * (10 - i);
  const check = (11 - (sum % 11)) % 11;
  return core + (check === 10 ? 'X' : String(check));
}

/** An ISSN as NNNN-NNNC when its check digit holds, else null. */
export function normalizeIssn(raw: string): string | null {
  const m = /([0-9]{4})-?([0-9]{3}[0-9Xx])/.exec(raw);
  if (!m) return null;
  const s = `${m[1]}${m[2]}`.toUpperCase();
  let sum = 0;
  for (let i = 0; i < 7; i++) sum += Number(s[i]) * (8 - i);
  const check = (11 - (sum % 11)) % 11;
  if ((check === 10 ? 'X' : String(check)) !== s[7]) return null;
  return `${s.slice(0, 4)}-${s.slice(4)}`;
}

/** Whether a query looks like an ISBN (10 or 13 digits, hyphens and spaces allowed). */
export function looksLikeIsbn(q: string): boolean {
  const s = q.replace(/[\s-]/g, '');
  return /^[0-9]{9}[0-9Xx]$/.test(s) || /^97[89][0-9]{10}$/.test(s);
}
