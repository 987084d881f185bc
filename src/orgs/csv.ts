import { CsvError, parse } from 'csv-parse/sync';
import { issue, type Issue } from '../platform/errors.js';

export interface CsvRow {
  /** 1-based data row (the header is not counted). */
  row: number;
  values: Record<string, string>;
}

export interface CsvColumns {
  required: readonly string[];
  optional: readonly string[];
}

/** The separator of the header line: a comma, or the semicolon or tab spreadsheets in Vietnamese locales write. */
function delimiterOf(text: string): string {
  const first = text.slice(0, text.search(/\r?\n|$/));
  const counts = [',', ';', '\t'].map((d) => ({ d, n: first.split(d).length }));
  return counts.reduce((best, c) => (c.n > best.n ? c : best)).d;
}

function headerName(value: string): string {
  return value.trim().toLowerCase();
}

/**
 * Reads a CSV file with a header row. Every problem is reported with its data row and column:
 * broken quoting, missing or unknown columns, rows with the wrong number of cells.
 */
export function parseCsv(text: string, columns: CsvColumns): { rows: CsvRow[]; header: string[]; issues: Issue[] } {
  const body = text.replace(/^\uFEFF/, '');
  if (body.trim() === '') return { rows: [], header: [], issues: [issue('file', 'orgs.import.empty')] };
  let records: string[][];
  try {
    records = parse(body, { delimiter: delimiterOf(body), skip_empty_lines: true, relax_column_count: true });
  } catch (err) {
    if (!(err instanceof CsvError)) throw err;
    const details = err as CsvError & { records?: number; index?: number; lines?: number };
    const header = details.records ? parse(body, { delimiter: delimiterOf(body), to_line: 1 })[0]?.map(headerName) : undefined;
    const field = header && details.index !== undefined ? (header[details.index] ?? 'file') : 'file';
    const row = details.records ?? 0;
    return {
      rows: [],
      header: [],
      issues: [
        row > 0
          ? issue(field, 'orgs.import.badCsv', { line: details.lines ?? 0 }, row)
          : issue(field, 'orgs.import.badCsv', { line: details.lines ?? 0 }),
      ],
    };
  }
  const [head = [], ...data] = records;
  const header = head.map(headerName);
  const issues: Issue[] = [];
  const known = new Set([...columns.required, ...columns.optional]);
  for (const col of columns.required) if (!header.includes(col)) issues.push(issue(col, 'orgs.import.missingColumn', { column: col }));
  header.forEach((col, i) => {
    if (!known.has(col)) issues.push(issue(col || `#${i + 1}`, 'orgs.import.unknownColumn', { column: col, columns: [...known].join(', ') }));
    else if (header.indexOf(col) !== i) issues.push(issue(col, 'orgs.import.duplicateColumn', { column: col }));
  });
  if (issues.length) return { rows: [], header, issues };
  const rows: CsvRow[] = [];
  data.forEach((cells, i) => {
    if (cells.length !== header.length) {
      issues.push(issue('file', 'orgs.import.cellCount', { expected: header.length, found: cells.length }, i + 1));
      return;
    }
    rows.push({ row: i + 1, values: Object.fromEntries(header.map((col, c) => [col, (cells[c] ?? '').trim()])) });
  });
  if (rows.length === 0 && issues.length === 0) issues.push(issue('file', 'orgs.import.empty'));
  return { rows, header, issues };
}

/** Whether the header line names these columns (to tell one CSV layout from another). */
export function csvHasColumns(text: string, names: readonly string[]): boolean {
  const body = text.replace(/^\uFEFF/, '');
  const first = body
    .slice(0, body.search(/\r?\n|$/))
    .split(delimiterOf(body))
    .map((c) => headerName(c.replace(/^"|"$/g, '')));
  return names.every((n) => first.includes(n));
}

/** Enough to act on; a file with more problems than this is mostly wrong anyway. */
const MAX_ISSUES = 200;

/** The first problems of a file, and a last line saying how many more there are. */
export function capIssues(issues: Issue[]): Issue[] {
  return issues.length > MAX_ISSUES
    ? [...issues.slice(0, MAX_ISSUES), issue('file', 'orgs.import.moreErrors', { n: issues.length - MAX_ISSUES })]
    : issues;
}

/** One CSV line, quoting the cells that need it. */
export function csvLine(cells: readonly string[]): string {
  return cells.map((c) => (/[",\r\n;]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',');
}
