import type { ComponentChildren } from 'preact';
import { formatNumber, messageKey } from '../../platform/i18n/index.js';
import { Button, Notice, Pagination, qs, SummaryList, TextField } from '../../platform/web/components.js';
import type { PageContext } from '../../platform/web/context.js';
import { Layout } from '../../platform/web/layout.js';
import type { DublinCore } from '../dublin-core.js';
import { dcElements } from '../dublin-core.js';
import { isControlField, type MarcRecord } from '../marc/index.js';
import { citationApa, type ItemView, type RecordView, type SearchView } from '../presenters.js';

export interface SearchParams {
  q?: string | undefined;
  library?: string | undefined;
  material?: string | undefined;
  language?: string | undefined;
  ddc?: number | undefined;
  decade?: number | undefined;
  available?: boolean | undefined;
  sort?: string | undefined;
  page?: number | undefined;
}

export function searchHref(p: SearchParams): string {
  return `/catalogue${qs({ q: p.q, library: p.library, material: p.material, language: p.language, ddc: p.ddc, decade: p.decade, available: p.available ? '1' : undefined, sort: p.sort && p.sort !== 'relevance' ? p.sort : undefined, page: p.page && p.page > 1 ? p.page : undefined })}`;
}

/** The catalogue's search box, for the home page and the OPAC. */
export function CatalogueSearchBox({ ctx, q }: { ctx: PageContext; q?: string | undefined }) {
  return (
    <form method="get" action="/catalogue" role="search" class="filters">
      <TextField ctx={ctx} name="q" type="search" label={ctx.t('catalogue.search.label')} hint={ctx.t('catalogue.search.hint')} value={q} />
      <div class="field">
        <Button>{ctx.t('catalogue.search.submit')}</Button>
      </div>
    </form>
  );
}

type FacetName = 'library' | 'material' | 'language' | 'decade' | 'ddc';

function FacetGroup({
  ctx,
  name,
  params,
  values,
}: {
  ctx: PageContext;
  name: FacetName;
  params: SearchParams;
  values: SearchView['facets'][FacetName];
}) {
  if (!values.length) return null;
  const current = name === 'ddc' ? params.ddc?.toString() : name === 'decade' ? params.decade?.toString() : params[name];
  return (
    <section aria-labelledby={`facet-${name}`}>
      <h3 id={`facet-${name}`}>{ctx.t(`catalogue.facet.${name}`)}</h3>
      <ul>
        {values.slice(0, 12).map((v) => {
          const active = current === v.value;
          const next: SearchParams = {
            ...params,
            page: undefined,
            [name]: active ? undefined : name === 'ddc' || name === 'decade' ? Number(v.value) : v.value,
          };
          return (
            <li key={v.value}>
              <a href={searchHref(next)} aria-current={active ? 'true' : undefined}>
                {active ? '✓ ' : ''}
                {v.label}
              </a>{' '}
              <span class="muted">({formatNumber(ctx.locale, v.count)})</span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

export function SearchPage({
  ctx,
  params,
  result,
  notice,
}: {
  ctx: PageContext;
  params: SearchParams;
  result: SearchView | null;
  notice?: string | undefined;
}) {
  const { t } = ctx;
  const title = params.q ? t('catalogue.search.titleFor', { q: params.q }) : t('catalogue.search.title');
  return (
    <Layout ctx={ctx} title={title}>
      {notice ? <Notice kind="success">{notice}</Notice> : null}
      <h1>{t('catalogue.search.title')}</h1>
      <CatalogueSearchBox ctx={ctx} q={params.q} />
      {result ? (
        <>
          {result.suggestion ? (
            <p>
              {t('catalogue.search.didYouMean')} <a href={searchHref({ q: result.suggestion })}>{result.suggestion}</a>?
            </p>
          ) : null}
          <p role="status">{t('catalogue.search.count', { n: formatNumber(ctx.locale, result.total) })}</p>
          {result.total > 0 ? (
            <p>
              {t('catalogue.search.sortBy')}{' '}
              {(['relevance', 'title', 'year'] as const).map((s, i) => (
                <span key={s}>
                  {i ? ' · ' : ''}
                  {(params.sort ?? 'relevance') === s ? (
                    <strong>{t(`catalogue.sort.${s}`)}</strong>
                  ) : (
                    <a href={searchHref({ ...params, sort: s, page: undefined })}>{t(`catalogue.sort.${s}`)}</a>
                  )}
                </span>
              ))}
            </p>
          ) : null}
          <ol class="results" start={(result.page - 1) * result.pageSize + 1}>
            {result.items.map((h) => (
              <li key={h.id}>
                <h2>
                  <a href={h.url}>{h.title}</a>
                </h2>
                <p>{[h.authors[0] ?? h.responsibility, h.publisher, h.year].filter(Boolean).join(' · ')}</p>
                <p class="muted">
                  {t(messageKey(`catalogue.material.${h.materialType}`))} ·{' '}
                  {h.copies === 0 ? t('catalogue.avail.none') : t('catalogue.avail.some', { available: h.available, copies: h.copies })}
                </p>
              </li>
            ))}
          </ol>
          <Pagination ctx={ctx} page={result.page} pageSize={result.pageSize} total={result.total} href={(page) => searchHref({ ...params, page })} />
          {result.total > 0 ? (
            <aside aria-label={t('catalogue.facet.title')}>
              <h2>{t('catalogue.facet.title')}</h2>
              {result.facets.available > 0 ? (
                <p>
                  <a
                    href={searchHref({ ...params, page: undefined, available: !params.available })}
                    aria-current={params.available ? 'true' : undefined}
                  >
                    {params.available ? '✓ ' : ''}
                    {t('catalogue.facet.available')}
                  </a>{' '}
                  <span class="muted">({formatNumber(ctx.locale, result.facets.available)})</span>
                </p>
              ) : null}
              {(['library', 'material', 'language', 'decade', 'ddc'] as const).map((n) => (
                <FacetGroup key={n} ctx={ctx} name={n} params={params} values={result.facets[n]} />
              ))}
            </aside>
          ) : null}
        </>
      ) : null}
    </Layout>
  );
}

function statusText(ctx: PageContext, status: string): string {
  return ctx.t(messageKey(`catalogue.status.${status}`));
}

export function RecordPage({
  ctx,
  record,
  vancouver,
  items,
  permalink,
  staff,
  notice,
}: {
  ctx: PageContext;
  record: RecordView;
  vancouver: string;
  items: ItemView[];
  permalink: string;
  staff: boolean;
  notice?: string | undefined;
}) {
  const { t } = ctx;
  const c = citationApa(record);
  return (
    <Layout ctx={ctx} title={record.title} crumbs={[{ href: '/catalogue', label: t('catalogue.search.title') }]}>
      {notice ? (
        <div class="notice notice--success" role="status">
          {notice}
        </div>
      ) : null}
      <h1>{record.title}</h1>
      {record.responsibility ? <p class="lead">{record.responsibility}</p> : null}
      <SummaryList
        rows={(
          [
            [t('catalogue.field.authors'), record.authors.join('; ')],
            [t('catalogue.field.publication'), [record.place, record.publisher, record.year].filter(Boolean).join(', ')],
            [t('catalogue.field.edition'), record.edition],
            [t('catalogue.field.physical'), record.physical],
            [t('catalogue.field.material'), t(messageKey(`catalogue.material.${record.materialType}`))],
            [t('catalogue.field.isbn'), record.isbns.map((i) => i.isbn13).join(', ')],
            [t('catalogue.field.series'), record.series.join('; ')],
            [t('catalogue.field.ddc'), record.ddc],
            [
              t('catalogue.field.subjects'),
              record.subjects.length ? (
                <ul>
                  {record.subjects.map((s) => (
                    <li key={s}>
                      <a href={searchHref({ q: `chủ đề:"${s.split(' -- ')[0] ?? s}"` })}>{s}</a>
                    </li>
                  ))}
                </ul>
              ) : null,
            ],
            [
              t('catalogue.field.notes'),
              record.notes.length ? (
                <>
                  {record.notes.map((n) => (
                    <p key={n}>{n}</p>
                  ))}
                </>
              ) : null,
            ],
            [
              t('catalogue.field.links'),
              record.links.length ? (
                <ul>
                  {record.links.map((l) => (
                    <li key={l.url}>
                      <a href={l.url} rel="nofollow">
                        {l.label ?? l.url}
                      </a>
                    </li>
                  ))}
                </ul>
              ) : null,
            ],
          ] as Array<[string, ComponentChildren]>
        ).filter(([, v]) => v !== null && v !== undefined && v !== '')}
      />
      <h2>{t('catalogue.holdings.title')}</h2>
      {items.length === 0 ? (
        <p>{t('catalogue.holdings.none')}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">{t('catalogue.holdings.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('catalogue.holdings.library')}</th>
                <th scope="col">{t('catalogue.holdings.callNumber')}</th>
                <th scope="col">{t('catalogue.holdings.location')}</th>
                <th scope="col">{t('catalogue.holdings.status')}</th>
                {staff ? <th scope="col">{t('catalogue.item.barcode')}</th> : null}
              </tr>
            </thead>
            <tbody>
              {items.map((i) => (
                <tr key={i.id}>
                  <td>{i.library.name}</td>
                  <td>{i.callNumber ?? '—'}</td>
                  <td>{i.location ?? '—'}</td>
                  <td>{statusText(ctx, i.status)}</td>
                  {staff ? (
                    <td>
                      <a href={`/catalogue/items/${i.id}/edit`}>{i.barcode}</a>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {staff ? (
        <p>
          <a class="button button--secondary" href={`/catalogue/records/${record.id}/items/new`}>
            {t('catalogue.item.add')}
          </a>{' '}
          <a class="button button--secondary" href={`/catalogue/records/${record.id}/edit`}>
            {t('catalogue.editor.edit')}
          </a>{' '}
          <a href={`/catalogue/records/${record.id}/labels`}>{t('catalogue.labels.all')}</a> ·{' '}
          <a href={`/catalogue/records/${record.id}/delete`}>{t('catalogue.delete.action')}</a>
        </p>
      ) : null}
      <section class="citations" aria-labelledby="cite-title">
        <h2 id="cite-title">{t('catalogue.cite.title')}</h2>
        <h3>{t('catalogue.cite.apa')}</h3>
        <p class="citation">
          {c.authors ? `${c.authors} ` : ''}
          {c.year} <em>{c.title}</em>
          {c.rest}
        </p>
        <h3>{t('catalogue.cite.vancouver')}</h3>
        <p class="citation">{vancouver}</p>
      </section>
      <div class="field">
        <label for="permalink">
          <strong>{t('catalogue.permalink')}</strong>
        </label>
        <input id="permalink" class="input" type="url" readOnly value={permalink} />
      </div>
      <p>
        <a href={`/catalogue/records/${record.id}/marc`}>{t('catalogue.view.marc')}</a> ·{' '}
        <a href={`/catalogue/records/${record.id}/dc`}>{t('catalogue.view.dc')}</a>
      </p>
    </Layout>
  );
}

export function MarcPage({ ctx, record, marc }: { ctx: PageContext; record: RecordView; marc: MarcRecord }) {
  const { t } = ctx;
  return (
    <Layout
      ctx={ctx}
      title={`${t('catalogue.view.marc')}: ${record.title}`}
      crumbs={[
        { href: '/catalogue', label: t('catalogue.search.title') },
        { href: record.url, label: record.title },
      ]}
    >
      <h1>{t('catalogue.view.marc')}</h1>
      <p>
        <a href={`/api/v1/catalogue/records/${record.id}/marc.xml`}>MARCXML</a> ·{' '}
        <a href={`/api/v1/catalogue/records/${record.id}/marc.mrc`}>ISO 2709</a>
      </p>
      <div class="table-wrap">
        <table>
          <caption class="visually-hidden">{record.title}</caption>
          <thead>
            <tr>
              <th scope="col">{t('catalogue.editor.tag')}</th>
              <th scope="col">{t('catalogue.editor.indicators')}</th>
              <th scope="col">{t('catalogue.editor.content')}</th>
            </tr>
          </thead>
          <tbody>
            <tr>
              <td>LDR</td>
              <td></td>
              <td>
                <code>{marc.leader}</code>
              </td>
            </tr>
            {marc.fields.map((f, n) => (
              <tr key={n}>
                <td>{f.tag}</td>
                <td>{isControlField(f) ? '' : <code>{`${f.ind1}${f.ind2}`.replace(/ /g, '_')}</code>}</td>
                <td>
                  {isControlField(f) ? (
                    <code>{f.value}</code>
                  ) : (
                    f.subfields.map((s, i) => (
                      <span key={i}>
                        <strong>${s.code}</strong> {s.value}{' '}
                      </span>
                    ))
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Layout>
  );
}

export function DcPage({ ctx, record, dc }: { ctx: PageContext; record: RecordView; dc: DublinCore }) {
  const { t } = ctx;
  return (
    <Layout
      ctx={ctx}
      title={`${t('catalogue.view.dc')}: ${record.title}`}
      crumbs={[
        { href: '/catalogue', label: t('catalogue.search.title') },
        { href: record.url, label: record.title },
      ]}
    >
      <h1>{t('catalogue.view.dc')}</h1>
      <SummaryList
        rows={dcElements
          .filter((e) => dc[e].length > 0)
          .map((e) => [
            `dc:${e}`,
            dc[e].length > 1 ? (
              <ul>
                {dc[e].map((v) => (
                  <li key={v}>{v}</li>
                ))}
              </ul>
            ) : (
              dc[e][0]
            ),
          ])}
      />
    </Layout>
  );
}
