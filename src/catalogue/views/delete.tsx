import type { ComponentChildren } from 'preact';
import type { Issue } from '../../platform/errors.js';
import { formatNumber } from '../../platform/i18n/index.js';
import { Button, ErrorSummary, Form, SelectField, SummaryList } from '../../platform/web/components.js';
import type { PageContext } from '../../platform/web/context.js';
import { Layout } from '../../platform/web/layout.js';
import type { LibraryRef } from '../libraries.js';
import type { RecordView } from '../presenters.js';

/**
 * Asks before a record is deleted, naming the library the librarian acts for; a record with copies
 * (withdrawn ones included) cannot be deleted, and the page says so instead of offering the form.
 */
export function DeleteRecordPage({
  ctx,
  record,
  copies,
  withdrawn,
  libraries,
  institutionId,
  issues,
}: {
  ctx: PageContext;
  record: RecordView;
  copies: number;
  withdrawn: number;
  libraries: LibraryRef[];
  institutionId?: string | undefined;
  issues?: Issue[] | undefined;
}) {
  const { t } = ctx;
  const title = t('catalogue.delete.title', { title: record.title });
  const href = `/catalogue/records/${record.id}`;
  const n = (v: number) => formatNumber(ctx.locale, v);
  return (
    <Layout
      ctx={ctx}
      title={title}
      crumbs={[
        { href: '/catalogue', label: t('catalogue.search.title') },
        { href, label: record.title },
      ]}
    >
      <h1>{title}</h1>
      {issues?.length ? <ErrorSummary ctx={ctx} issues={issues} /> : null}
      <SummaryList
        rows={(
          [
            [t('catalogue.field.authors'), record.authors.join('; ') || record.responsibility],
            [t('catalogue.field.publication'), [record.place, record.publisher, record.year].filter(Boolean).join(', ')],
            [t('catalogue.field.isbn'), record.isbns.map((i) => i.isbn13).join(', ')],
          ] as Array<[string, ComponentChildren]>
        ).filter(([, v]) => v !== null && v !== '')}
      />
      {copies > 0 ? (
        <div class="notice" id="f-id" tabindex={-1}>
          <p>
            <strong>{t('catalogue.record.hasItems', { n: n(copies) })}</strong>
          </p>
          {withdrawn > 0 ? <p>{t('catalogue.delete.withdrawn', { n: n(withdrawn) })}</p> : null}
          <p>{t('catalogue.delete.copiesRule')}</p>
          <p>
            <a href={href}>{t('catalogue.delete.back')}</a> · <a href={`${href}/edit`}>{t('catalogue.editor.edit')}</a>
          </p>
        </div>
      ) : (
        <>
          <p>{t('catalogue.delete.lead')}</p>
          <Form ctx={ctx} action={`${href}/delete`}>
            <SelectField
              ctx={ctx}
              name="institutionId"
              label={t('catalogue.editor.library')}
              hint={t('catalogue.delete.libraryHint')}
              value={institutionId}
              issues={issues}
              required
              options={libraries.map((l) => ({ value: l.id, group: t(`orgs.type.${l.type}`), label: l.name }))}
            />
            <Button variant="warning">{t('catalogue.delete.action')}</Button>
          </Form>
          <p>
            <a href={href}>{t('catalogue.delete.back')}</a>
          </p>
        </>
      )}
    </Layout>
  );
}
