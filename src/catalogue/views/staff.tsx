import type { Issue } from '../../platform/errors.js';
import { formatDateTime, formatNumber, messageKey } from '../../platform/i18n/index.js';
import { Button, ErrorSummary, Form, SelectField, TextField } from '../../platform/web/components.js';
import type { PageContext } from '../../platform/web/context.js';
import { Layout } from '../../platform/web/layout.js';
import type { MarcImportReport } from '../import.js';
import type { LibraryRef } from '../libraries.js';
import type { ItemView, RecordView } from '../presenters.js';

const encodings = ['utf8', 'marc8', 'tcvn3', 'vni'] as const;

export function ImportPage({
  ctx,
  libraries,
  report,
  issues,
  values,
}: {
  ctx: PageContext;
  libraries: LibraryRef[];
  report?: MarcImportReport | undefined;
  issues?: Issue[] | undefined;
  values?: { library?: string | undefined; encoding?: string | undefined };
}) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('catalogue.import.title')} crumbs={[{ href: '/catalogue', label: t('catalogue.search.title') }]}>
      <h1>{t('catalogue.import.title')}</h1>
      {issues?.length ? <ErrorSummary ctx={ctx} issues={issues} /> : null}
      {report ? <ImportReport ctx={ctx} report={report} /> : null}
      <p>{t('catalogue.import.lead')}</p>
      <form method="post" action="/catalogue/import" enctype="multipart/form-data" novalidate data-upload-progress="upload-progress">
        <input type="hidden" name="_csrf" value={ctx.csrfToken} />
        <SelectField
          ctx={ctx}
          name="library"
          label={t('catalogue.import.library')}
          value={values?.library}
          issues={issues}
          options={libraries.map((l) => ({ value: l.code, group: t(`orgs.type.${l.type}`), label: `${l.name} (${l.code})` }))}
        />
        <SelectField
          ctx={ctx}
          name="encoding"
          label={t('catalogue.import.encoding')}
          hint={t('catalogue.import.encodingHint')}
          value={values?.encoding}
          blank={t('catalogue.import.encodingAuto')}
          options={encodings.map((e) => ({ value: e, label: t(`catalogue.encoding.${e}`) }))}
        />
        <div class="field">
          <label for="f-file">{t('catalogue.import.file')}</label>
          <p class="hint" id="f-file-hint">
            {t('catalogue.import.fileHint')}
          </p>
          <input type="file" id="f-file" name="file" class="input" aria-describedby="f-file-hint" accept=".mrc,.marc,.iso,.xml,.dat" />
        </div>
        <div class="upload-progress" id="upload-progress" hidden>
          <label for="upload-progress-bar">{t('catalogue.import.uploading')}</label>
          <progress id="upload-progress-bar" max={100} value={0}></progress>
          <p
            class="hint"
            role="status"
            data-uploaded={t('catalogue.import.uploaded', { percent: '{percent}' })}
            data-processing={t('catalogue.import.processing')}
            data-failed={t('catalogue.import.uploadFailed')}
          ></p>
        </div>
        <Button>{t('catalogue.import.submit')}</Button>
      </form>
      <script src="/assets/upload-progress.js" defer></script>
      <p>
        <a href="/catalogue/merges">{t('catalogue.merges.title')}</a> · <a href="/catalogue/records/new">{t('catalogue.simple.title')}</a> ·{' '}
        <a href="/catalogue/export">{t('catalogue.export.title')}</a>
      </p>
    </Layout>
  );
}

function ImportReport({ ctx, report }: { ctx: PageContext; report: MarcImportReport }) {
  const { t } = ctx;
  const n = (v: number) => formatNumber(ctx.locale, v);
  return (
    <section aria-labelledby="report-title" class="notice notice--success" role="status">
      <h2 id="report-title">{t('catalogue.import.report')}</h2>
      <ul>
        <li>{t('catalogue.import.records', { n: n(report.records) })}</li>
        <li>{t('catalogue.import.added', { n: n(report.added) })}</li>
        <li>{t('catalogue.import.merged', { n: n(report.merged) })}</li>
        <li>{t('catalogue.import.unchanged', { n: n(report.unchanged) })}</li>
        <li>{t('catalogue.import.rejected', { n: n(report.rejected) })}</li>
        <li>{t('catalogue.import.items', { n: n(report.itemsAdded) })}</li>
        <li>{t('catalogue.import.holdings', { n: n(report.holdings) })}</li>
        <li>{t('catalogue.import.warnings', { n: n(report.warnings) })}</li>
      </ul>
      {report.problems.length ? (
        <div class="table-wrap">
          <table>
            <caption>{t('catalogue.import.problems')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('catalogue.import.recordNumber')}</th>
                <th scope="col">{t('catalogue.import.offset')}</th>
                <th scope="col">{t('catalogue.import.severity')}</th>
                <th scope="col">{t('catalogue.import.reason')}</th>
              </tr>
            </thead>
            <tbody>
              {report.problems.map((p) => (
                <tr key={`${p.recordNumber}-${p.code}-${p.message}`}>
                  <td>{p.recordNumber}</td>
                  <td>{p.offset ?? '—'}</td>
                  <td>{t(p.severity === 'warning' ? 'catalogue.import.severity.warning' : 'catalogue.import.severity.error')}</td>
                  <td>
                    {t(messageKey(`catalogue.problem.${p.code}`))}
                    <br />
                    <span class="muted">{p.message}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}

export interface MergeView {
  id: string;
  recordId: string;
  title: string;
  library: string;
  matchedBy: string;
  createdAt: Date;
  undoneAt: Date | null;
  itemCount: number;
}

export function MergesPage({ ctx, merges, notice }: { ctx: PageContext; merges: MergeView[]; notice?: string | undefined }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('catalogue.merges.title')} crumbs={[{ href: '/catalogue/import', label: t('catalogue.import.title') }]}>
      <h1>{t('catalogue.merges.title')}</h1>
      {notice ? (
        <div class="notice notice--success" role="status">
          {notice}
        </div>
      ) : null}
      <p>
        <a href="/catalogue/export">{t('catalogue.export.title')}</a>
      </p>
      {merges.length === 0 ? (
        <p>{t('catalogue.merges.none')}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">{t('catalogue.merges.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('catalogue.merges.record')}</th>
                <th scope="col">{t('catalogue.holdings.library')}</th>
                <th scope="col">{t('catalogue.merges.basis')}</th>
                <th scope="col">{t('catalogue.merges.when')}</th>
                <th scope="col">{t('catalogue.merges.action')}</th>
              </tr>
            </thead>
            <tbody>
              {merges.map((m) => (
                <tr key={m.id}>
                  <td>
                    <a href={`/catalogue/records/${m.recordId}`}>{m.title}</a> ({t('catalogue.merges.items', { n: m.itemCount })})
                  </td>
                  <td>{m.library}</td>
                  <td>{t(messageKey(`catalogue.basis.${m.matchedBy}`))}</td>
                  <td>{formatDateTime(ctx.locale, m.createdAt)}</td>
                  <td>
                    {m.undoneAt ? (
                      t('catalogue.merges.undone')
                    ) : (
                      <Form ctx={ctx} action={`/catalogue/merges/${m.id}/undo`} class="inline-form">
                        <Button variant="warning">{t('catalogue.merges.undo')}</Button>
                      </Form>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Layout>
  );
}

export interface ItemFormValues {
  institutionId?: string | undefined;
  barcode?: string | undefined;
  callNumber?: string | undefined;
  location?: string | undefined;
  status?: string | undefined;
  price?: string | number | undefined;
  acquiredOn?: string | undefined;
  note?: string | undefined;
}

export function ItemFormPage({
  ctx,
  record,
  item,
  libraries,
  statuses,
  values,
  issues,
}: {
  ctx: PageContext;
  record: RecordView;
  item?: ItemView | undefined;
  libraries: LibraryRef[];
  statuses: readonly string[];
  values: ItemFormValues;
  issues?: Issue[] | undefined;
}) {
  const { t } = ctx;
  const title = item ? t('catalogue.item.edit', { barcode: item.barcode }) : t('catalogue.item.add');
  const str = (v: string | number | undefined) => (v === undefined ? undefined : String(v));
  return (
    <Layout
      ctx={ctx}
      title={title}
      crumbs={[
        { href: '/catalogue', label: t('catalogue.search.title') },
        { href: record.url, label: record.title },
      ]}
    >
      <h1>{title}</h1>
      <p class="lead">{record.title}</p>
      {issues?.length ? <ErrorSummary ctx={ctx} issues={issues} /> : null}
      <Form ctx={ctx} action={item ? `/catalogue/items/${item.id}/edit` : `/catalogue/records/${record.id}/items/new`}>
        {item ? null : (
          <SelectField
            ctx={ctx}
            name="institutionId"
            label={t('catalogue.holdings.library')}
            value={values.institutionId}
            issues={issues}
            options={libraries.map((l) => ({ value: l.id, group: t(`orgs.type.${l.type}`), label: l.name }))}
          />
        )}
        <TextField ctx={ctx} name="barcode" label={t('catalogue.item.barcode')} value={values.barcode} issues={issues} required width="medium" />
        <TextField ctx={ctx} name="callNumber" label={t('catalogue.holdings.callNumber')} value={values.callNumber} issues={issues} width="medium" />
        <TextField ctx={ctx} name="location" label={t('catalogue.holdings.location')} value={values.location} issues={issues} />
        <SelectField
          ctx={ctx}
          name="status"
          label={t('catalogue.holdings.status')}
          value={values.status ?? 'available'}
          issues={issues}
          options={statuses.map((s) => ({ value: s, label: t(messageKey(`catalogue.status.${s}`)) }))}
        />
        <TextField
          ctx={ctx}
          name="price"
          label={t('catalogue.item.price')}
          value={str(values.price)}
          issues={issues}
          inputmode="numeric"
          width="short"
        />
        <TextField
          ctx={ctx}
          name="acquiredOn"
          label={t('catalogue.item.acquiredOn')}
          type="date"
          value={values.acquiredOn}
          issues={issues}
          width="medium"
        />
        <TextField ctx={ctx} name="note" label={t('catalogue.item.note')} value={values.note} issues={issues} />
        <Button>{t('catalogue.item.save')}</Button>
      </Form>
      {item && item.status !== 'withdrawn' ? (
        <Form ctx={ctx} action={`/catalogue/items/${item.id}/withdraw`}>
          <Button variant="warning">{t('catalogue.item.withdraw')}</Button>
        </Form>
      ) : null}
      {item ? (
        <p>
          <a href={`/catalogue/items/${item.id}/label`}>{t('catalogue.item.label')}</a>
        </p>
      ) : null}
    </Layout>
  );
}
