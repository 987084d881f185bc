import { Type, type Static } from 'typebox';
import { dcElements, toDublinCore } from './dublin-core.js';
import { isbn13to10 } from './isbn.js';
import type { SearchResult } from './search.js';
import type { ItemRow, RecordRow } from './service.js';
export { ErrorOut } from '../platform/http/schemas.js';
import { Nullable } from '../platform/http/schemas.js';

export const ItemOut = Type.Object({
  id: Type.String(),
  recordId: Type.String(),
  library: Type.Object({ id: Type.String(), name: Type.String() }),
  barcode: Type.String(),
  callNumber: Nullable(Type.String()),
  location: Nullable(Type.String()),
  status: Type.String(),
});
export type ItemView = Static<typeof ItemOut>;

export function presentItem(i: ItemRow, libraryName: string): ItemView {
  return {
    id: i.id,
    recordId: i.recordId,
    library: { id: i.institutionId, name: libraryName },
    barcode: i.barcode,
    callNumber: i.callNumber,
    location: i.location,
    status: i.status,
  };
}

const DcOut = Type.Object(
  Object.fromEntries(dcElements.map((e) => [e, Type.Array(Type.String())])) as Record<
    (typeof dcElements)[number],
    ReturnType<typeof Type.Array<ReturnType<typeof Type.String>>>
  >,
);

export const RecordOut = Type.Object({
  id: Type.String(),
  title: Type.String(),
  responsibility: Nullable(Type.String()),
  authors: Type.Array(Type.String()),
  publisher: Nullable(Type.String()),
  place: Nullable(Type.String()),
  year: Nullable(Type.Integer()),
  edition: Nullable(Type.String()),
  isbns: Type.Array(Type.Object({ isbn13: Type.String(), isbn10: Nullable(Type.String()) })),
  issns: Type.Array(Type.String()),
  language: Nullable(Type.String()),
  ddc: Nullable(Type.String()),
  subjects: Type.Array(Type.String()),
  series: Type.Array(Type.String()),
  physical: Nullable(Type.String()),
  materialType: Type.String(),
  notes: Type.Array(Type.String()),
  links: Type.Array(Type.Object({ url: Type.String(), label: Nullable(Type.String()) })),
  url: Type.String(),
  dublinCore: DcOut,
});
export type RecordView = Static<typeof RecordOut>;

export function presentRecord(r: RecordRow): RecordView {
  return {
    id: r.id,
    title: r.title,
    responsibility: r.responsibility,
    authors: r.authors,
    publisher: r.publisher,
    place: r.place,
    year: r.year,
    edition: r.edition,
    isbns: r.isbns.map((isbn13) => ({ isbn13, isbn10: isbn13to10(isbn13) })),
    issns: r.issns,
    language: r.language,
    ddc: r.ddc,
    subjects: r.subjects,
    series: r.series,
    physical: r.physical,
    materialType: r.materialType,
    notes: r.notes,
    links: r.links,
    url: `/catalogue/records/${r.id}`,
    dublinCore: toDublinCore(r.marc),
  };
}

const FacetOut = Type.Array(Type.Object({ value: Type.String(), label: Type.String(), count: Type.Integer() }));

export const SearchOut = Type.Object({
  total: Type.Integer(),
  page: Type.Integer(),
  pageSize: Type.Integer(),
  suggestion: Nullable(Type.String()),
  items: Type.Array(
    Type.Object({
      id: Type.String(),
      title: Type.String(),
      responsibility: Nullable(Type.String()),
      authors: Type.Array(Type.String()),
      publisher: Nullable(Type.String()),
      year: Nullable(Type.Integer()),
      materialType: Type.String(),
      language: Nullable(Type.String()),
      copies: Type.Integer(),
      available: Type.Integer(),
      url: Type.String(),
    }),
  ),
  facets: Type.Object({ library: FacetOut, material: FacetOut, language: FacetOut, decade: FacetOut, ddc: FacetOut, available: Type.Integer() }),
});
export type SearchView = Static<typeof SearchOut>;

export function presentSearch(
  r: SearchResult,
  label: (facet: 'library' | 'material' | 'language' | 'decade' | 'ddc', value: string) => string,
): SearchView {
  const f = (name: 'library' | 'material' | 'language' | 'decade' | 'ddc') => r.facets[name].map((v) => ({ ...v, label: label(name, v.value) }));
  return {
    total: r.total,
    page: r.page,
    pageSize: r.pageSize,
    suggestion: r.suggestion,
    items: r.hits.map((h) => ({ ...h, url: `/catalogue/records/${h.id}` })),
    facets: {
      library: f('library'),
      material: f('material'),
      language: f('language'),
      decade: f('decade'),
      ddc: f('ddc'),
      available: r.facets.available,
    },
  };
}

/** An author heading "Nguyễn, Văn An" as APA cites it; Vietnamese names are written in full, as they are cited in Vietnam. */
function apaAuthor(name: string): string {
  return name.replace(/,\s*$/, '');
}

/** An APA-style (7th edition) citation of a book: Author. (Year). *Title* (Edition). Publisher. */
export function citationApa(r: RecordView): { authors: string; year: string; title: string; rest: string } {
  const authors = r.authors.slice(0, 20).map(apaAuthor);
  const list = authors.length > 1 ? `${authors.slice(0, -1).join(', ')}, & ${authors[authors.length - 1] ?? ''}` : (authors[0] ?? '');
  const edition = r.edition ? ` (${r.edition})` : '';
  return { authors: list, year: `(${r.year ?? 'n.d.'}).`, title: r.title, rest: `${edition}.${r.publisher ? ` ${r.publisher}.` : ''}` };
}
