import { sql, type SQL } from 'drizzle-orm';
import { rowsOf, uuidArray, type Db } from '../platform/db/index.js';
import { foldVi } from '../platform/text/index.js';
import { materialTypes, type MaterialType } from './extract.js';
import { likePatterns, parseQuery, toneWordsOf, type ParsedQuery, type QueryField } from './query.js';
import { currentIndex } from './search-engine.js';
import type { CatalogueSearchIndex, IndexHit, SearchFilters } from './search-index.js';
import { isUuid, pageWindow } from '../platform/http/schemas.js';

export const sorts = ['relevance', 'title', 'year'] as const;
export type SearchSort = (typeof sorts)[number];

export interface SearchInput extends SearchFilters {
  q?: string;
  sort?: SearchSort;
  page?: number;
  pageSize?: number;
}

export interface FacetValue {
  value: string;
  count: number;
}

export interface SearchHit {
  id: string;
  title: string;
  responsibility: string | null;
  authors: string[];
  publisher: string | null;
  year: number | null;
  materialType: MaterialType;
  language: string | null;
  copies: number;
  available: number;
}

export interface SearchResult {
  total: number;
  page: number;
  pageSize: number;
  hits: SearchHit[];
  facets: { library: FacetValue[]; material: FacetValue[]; language: FacetValue[]; decade: FacetValue[]; ddc: FacetValue[]; available: number };
  /** A corrected query when some words are unknown and look like typos of known ones. */
  suggestion: string | null;
}

/** A folded part padded with spaces, so that a pattern's words match whole words. */
const padded = (column: SQL) => sql`(' ' || ${column} || ' ')`;
const FOLDED: Record<Exclude<QueryField, 'any'>, SQL> = {
  title: padded(sql`r.title_folded`),
  author: padded(sql`r.author_folded`),
  subject: padded(sql`r.subject_folded`),
};
const REST = padded(sql`r.rest_folded`);
/** Every folded part, with a separator no phrase can match across. */
const ANY = sql`(' ' || r.title_folded || ' | ' || r.author_folded || ' | ' || r.subject_folded || ' | ' || r.rest_folded || ' ')`;

/** Where each term matches: its field, or any field. */
function termMatches(terms: ParsedQuery['terms']): SQL[] {
  return likePatterns(terms).map(({ field, pattern }) => sql`${field === 'any' ? ANY : FOLDED[field]} like ${pattern}`);
}

/** The record's folded words, one space between each. */
const WORDS = sql`concat_ws(' ', nullif(r.title_folded, ''), nullif(r.author_folded, ''), nullif(r.subject_folded, ''), nullif(r.rest_folded, ''))`;
/** How many words the record's folded parts hold. */
const WORD_COUNT = sql`(length(${WORDS}) - length(replace(${WORDS}, ' ', '')) + 1)`;

/**
 * Relevance as the index weighs it: the best field weight of each query word (title 1, authors
 * 0.4, subjects 0.2, the rest 0.1; within the term's field where it names one), averaged and
 * normalised by the record's length, after one point per word found with the very same marks.
 */
function rankOf(terms: ParsedQuery['terms'], tones: string[]): SQL {
  const words = terms.flatMap((t) => likePatterns(t.folded.map((w) => ({ ...t, folded: [w] }))));
  const weight = ({ field, pattern }: (typeof words)[number]) =>
    field !== 'any'
      ? sql`(case when ${FOLDED[field]} like ${pattern} then ${sql.raw(field === 'title' ? '1' : field === 'author' ? '0.4' : '0.2')} else 0 end)`
      : sql`(case when ${FOLDED.title} like ${pattern} then 1 when ${FOLDED.author} like ${pattern} then 0.4 when ${FOLDED.subject} like ${pattern} then 0.2 when ${REST} like ${pattern} then 0.1 else 0 end)`;
  const bonus = tones.map((t) => sql`(r.tone_words @> array[${t}]::text[])::int`);
  const weights = sql`(${sql.join(words.map(weight), sql` + `)})::float8 / ${sql.raw(String(words.length))} / (1 + ln(1 + ${WORD_COUNT}))`;
  return sql.join([...bonus, weights], sql` + `);
}

function conditions(parsed: ParsedQuery, f: SearchInput): SQL[] {
  const where: SQL[] = termMatches(parsed.terms);
  for (const isbn of parsed.isbns) where.push(isbn ? sql`r.isbns @> array[${isbn}]::text[]` : sql`false`);
  if (f.material) where.push((materialTypes as readonly string[]).includes(f.material) ? sql`r.material_type = ${f.material}` : sql`false`);
  if (f.language) where.push(sql`r.language = ${f.language}`);
  if (f.ddc !== undefined) where.push(sql`r.ddc_class = ${f.ddc}`);
  if (f.yearFrom !== undefined) where.push(sql`r.year >= ${f.yearFrom}`);
  if (f.yearTo !== undefined) where.push(sql`r.year <= ${f.yearTo}`);
  if (f.library) {
    where.push(
      isUuid(f.library)
        ? sql`exists (select 1 from catalogue_items i where i.record_id = r.id and i.institution_id = ${f.library} and i.status <> 'withdrawn')`
        : sql`false`,
    );
  }
  if (f.available) {
    where.push(
      f.library && isUuid(f.library)
        ? sql`exists (select 1 from catalogue_items i where i.record_id = r.id and i.status = 'available' and i.institution_id = ${f.library})`
        : sql`exists (select 1 from catalogue_items i where i.record_id = r.id and i.status = 'available')`,
    );
  }
  return where;
}

type HitRow = {
  id: string;
  title: string;
  responsibility: string | null;
  authors: string[];
  publisher: string | null;
  year: number | null;
  material_type: MaterialType;
  language: string | null;
  copies: number;
  available: number;
};

function toHit(h: HitRow): SearchHit {
  return {
    id: h.id,
    title: h.title,
    responsibility: h.responsibility,
    authors: h.authors,
    publisher: h.publisher,
    year: h.year,
    materialType: h.material_type,
    language: h.language,
    copies: h.copies,
    available: h.available,
  };
}

const hitColumns = sql`r.id, r.title, r.responsibility, r.authors, r.publisher, r.year, r.material_type, r.language,
  (select count(*)::int from catalogue_items i where i.record_id = r.id and i.status <> 'withdrawn') as copies,
  (select count(*)::int from catalogue_items i where i.record_id = r.id and i.status = 'available') as available`;

function byCount(values: Iterable<[string, number]>): FacetValue[] {
  return [...values].map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
}

/**
 * Searches the union catalogue. Words match without regard to marks; among matches, records
 * holding the query's words with the very same marks come first, then by field weight (title,
 * authors, subjects, the rest), then words of an unquoted query standing together. Facets count
 * the whole result set exactly. Served by the in-memory index, current with every committed
 * change; by SQL while the index is being built or is catching up with a large import.
 */
export async function searchCatalogue(db: Db, f: SearchInput): Promise<SearchResult> {
  const index = await currentIndex(db);
  return index ? searchIndex(db, index, f) : searchCatalogueSql(db, f);
}

async function searchIndex(db: Db, index: CatalogueSearchIndex, f: SearchInput): Promise<SearchResult> {
  const { page, pageSize, offset } = pageWindow(f);
  const parsed = parseQuery(f.q ?? '');
  const result = index.search({ ...f, terms: parsed.terms, isbns: parsed.isbns, sort: f.sort ?? 'relevance', limit: page * pageSize });
  const ordered = await settleTies(db, result.hits, result.boundaryTies, page * pageSize, f.sort ?? 'relevance');
  const ids = ordered.slice(offset).map((h) => h.id);
  const rows = ids.length ? await rowsOf<HitRow>(db, sql`select ${hitColumns} from catalogue_records r where r.id = any(${uuidArray(ids)})`) : [];
  const byId = new Map(rows.map((r) => [r.id, r]));
  const { facets } = result;
  return {
    total: facets.total,
    page,
    pageSize,
    hits: ids.flatMap((id) => {
      const row = byId.get(id);
      return row ? [toHit(row)] : [];
    }),
    facets: {
      library: byCount(facets.library),
      material: byCount(facets.material),
      language: byCount(facets.language),
      decade: [...facets.decade].sort((a, b) => b[0] - a[0]).map(([d, count]) => ({ value: String(d), count })),
      ddc: [...facets.ddc].sort((a, b) => a[0] - b[0]).map(([d, count]) => ({ value: String(d), count })),
      available: facets.available,
    },
    suggestion: facets.total < 3 && parsed.terms.length ? await suggest(db, f.q ?? '', parsed) : null,
  };
}

/**
 * The index orders hits by score, year and the first characters of the sort key; where hits
 * share all three, their order (and at the page's end, which of them make it) follows the full
 * sort key, as in the database.
 */
async function settleTies(db: Db, hits: IndexHit[], boundaryTies: string[] | null, limit: number, sort: SearchSort): Promise<IndexHit[]> {
  const group = (h: IndexHit) => `${h.score}|${h.year ?? ''}|${h.sortPrefix}`;
  const sizes = new Map<string, number>();
  for (const h of hits) sizes.set(group(h), (sizes.get(group(h)) ?? 0) + 1);
  const last = hits[hits.length - 1];
  const extra = last && boundaryTies ? boundaryTies.filter((id) => !hits.some((h) => h.id === id)).map((id) => ({ ...last, id })) : [];
  const tied = [...hits.filter((h) => (sizes.get(group(h)) ?? 0) > 1), ...extra];
  if (!tied.length) return hits;
  const keys = new Map(
    (
      await rowsOf<{ id: string; sort_key: string }>(
        db,
        sql`select r.id, r.sort_key from catalogue_records r
    where r.id = any(${uuidArray(tied.map((h) => h.id))})`,
      )
    ).map((r) => [r.id, r.sort_key]),
  );
  const yearKey = (h: IndexHit) => (sort === 'year' ? -(h.year ?? -32768) : 0);
  const key = (h: IndexHit) => keys.get(h.id) ?? h.sortPrefix;
  return [...hits, ...extra]
    .sort(
      (a, b) =>
        b.score - a.score || yearKey(a) - yearKey(b) || (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    )
    .slice(0, limit);
}

/**
 * The same search with SQL alone (a scan of the folded text, and aggregates): used while the
 * index is being built or catching up.
 */
export async function searchCatalogueSql(db: Db, f: SearchInput): Promise<SearchResult> {
  const { page, pageSize, offset } = pageWindow(f);
  const parsed = parseQuery(f.q ?? '');
  const tones = toneWordsOf(parsed.terms);
  const where = conditions(parsed, f);
  const whereSql = where.length ? sql`where ${sql.join(where, sql` and `)}` : sql``;
  const rank = parsed.terms.length ? rankOf(parsed.terms, tones) : sql`0`;
  const sort = f.sort ?? 'relevance';
  const order =
    sort === 'title' ? sql`r.sort_key, r.id` : sort === 'year' ? sql`r.year desc nulls last, r.sort_key, r.id` : sql`rank desc, r.sort_key, r.id`;
  const [hits, facetRows] = await Promise.all([
    rowsOf<HitRow>(
      db,
      sql`
      select ${hitColumns}
      from (select r.*, ${rank} as rank from catalogue_records r ${whereSql} order by ${order} limit ${pageSize} offset ${offset}) r
      order by ${order}`,
    ),
    rowsOf<{ facet: string; value: string | null; n: number }>(
      db,
      sql`
      with hits as (select r.id, r.material_type, r.language, r.ddc_class, r.year from catalogue_records r ${whereSql})
      select 'total' as facet, null as value, count(*)::int as n from hits
      union all select 'material', material_type, count(*)::int from hits group by material_type
      union all select 'language', language, count(*)::int from hits where language is not null group by language
      union all select 'ddc', ddc_class::text, count(*)::int from hits where ddc_class is not null group by ddc_class
      union all select 'decade', (year / 10 * 10)::text, count(*)::int from hits where year is not null group by year / 10
      union all select 'library', i.institution_id::text, count(distinct i.record_id)::int from catalogue_items i join hits h on h.id = i.record_id where i.status <> 'withdrawn' group by i.institution_id
      union all select 'available', null, count(*)::int from hits h where exists (select 1 from catalogue_items i where i.record_id = h.id and i.status = 'available')`,
    ),
  ]);
  const facet = (name: string) =>
    facetRows
      .filter((r) => r.facet === name && r.value !== null)
      .map((r) => ({ value: r.value as string, count: r.n }))
      .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
  const total = facetRows.find((r) => r.facet === 'total')?.n ?? 0;
  return {
    total,
    page,
    pageSize,
    hits: hits.map(toHit),
    facets: {
      library: facet('library'),
      material: facet('material'),
      language: facet('language'),
      decade: facet('decade').sort((a, b) => Number(b.value) - Number(a.value)),
      ddc: facet('ddc').sort((a, b) => Number(a.value) - Number(b.value)),
      available: facetRows.find((r) => r.facet === 'available')?.n ?? 0,
    },
    suggestion: total < 3 && parsed.terms.length ? await suggest(db, f.q ?? '', parsed) : null,
  };
}

/** "Did you mean": each word not in the catalogue's vocabulary replaced by its nearest known word (trigrams). */
async function suggest(db: Db, q: string, parsed: ParsedQuery): Promise<string | null> {
  const words = [...new Set(parsed.terms.flatMap((t) => t.folded))].filter((w) => w.length >= 3);
  if (!words.length) return null;
  const rows = await rowsOf<{ word: string; term: string | null }>(
    db,
    sql`
    select w.word, (select t.term from catalogue_terms t where t.term % w.word order by similarity(t.term, w.word) desc, t.term limit 1) as term
    from unnest(${sql`array[${sql.join(
      words.map((w) => sql`${w}`),
      sql`, `,
    )}]::text[]`}) as w(word)
    where not exists (select 1 from catalogue_terms t where t.term = w.word)`,
  );
  const fixes = new Map(rows.filter((r) => r.term && r.term !== r.word).map((r) => [r.word, r.term as string]));
  if (!fixes.size) return null;
  return q
    .split(/([\s":]+)/u)
    .map((tok) => fixes.get(foldVi(tok)) ?? tok)
    .join('');
}
