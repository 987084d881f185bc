import type { Issue } from '../../platform/errors.js';
import { Button, ErrorSummary, fieldError, Form, SelectField, TextArea, TextField } from '../../platform/web/components.js';
import type { PageContext } from '../../platform/web/context.js';
import { Layout } from '../../platform/web/layout.js';
import type { GridRow, SimpleRecord } from '../editor.js';
import type { LibraryRef } from '../libraries.js';

export function MarcEditorPage({
  ctx,
  action,
  title,
  leader,
  rows,
  libraries,
  institutionId,
  issues,
  deleteHref,
}: {
  ctx: PageContext;
  action: string;
  title: string;
  leader: string;
  rows: GridRow[];
  libraries: LibraryRef[];
  institutionId?: string | undefined;
  issues?: Issue[] | undefined;
  /** Where an existing record is deleted from; absent for a new one. */
  deleteHref?: string | undefined;
}) {
  const { t } = ctx;
  const grid = [...rows, ...Array.from({ length: 5 }, () => ({ tag: '', ind1: '', ind2: '', data: '' }))];
  const cell = (name: string, i: number) => fieldError(ctx, issues, `${name}.${i}`);
  return (
    <Layout ctx={ctx} title={title} crumbs={[{ href: '/catalogue/import', label: t('catalogue.import.title') }]}>
      <h1>{title}</h1>
      {issues?.length ? <ErrorSummary ctx={ctx} issues={issues} /> : null}
      <p>{t('catalogue.editor.lead')}</p>
      <Form ctx={ctx} action={action}>
        <SelectField
          ctx={ctx}
          name="institutionId"
          label={t('catalogue.editor.library')}
          hint={t('catalogue.editor.libraryHint')}
          value={institutionId}
          issues={issues}
          options={libraries.map((l) => ({ value: l.id, group: t(`orgs.type.${l.type}`), label: l.name }))}
        />
        <TextField
          ctx={ctx}
          name="leader"
          label={t('catalogue.editor.leader')}
          hint={t('catalogue.editor.leaderHint')}
          value={leader}
          issues={issues}
          required
        />
        <div class="table-wrap">
          <table>
            <caption>{t('catalogue.editor.fields')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('catalogue.editor.tag')}</th>
                <th scope="col">{t('catalogue.editor.ind1')}</th>
                <th scope="col">{t('catalogue.editor.ind2')}</th>
                <th scope="col">{t('catalogue.editor.content')}</th>
              </tr>
            </thead>
            <tbody>
              {grid.map((r, i) => (
                <tr key={i}>
                  {(['tag', 'ind1', 'ind2'] as const).map((k) => (
                    <td key={k}>
                      <input
                        id={`f-${k}.${i}`}
                        name={`${k}.${i}`}
                        value={r[k]}
                        class="input"
                        size={k === 'tag' ? 3 : 1}
                        maxLength={k === 'tag' ? 3 : 1}
                        aria-label={`${t(`catalogue.editor.${k}`)} ${i + 1}`}
                        aria-invalid={cell(k, i) ? 'true' : undefined}
                      />
                    </td>
                  ))}
                  <td>
                    {cell('data', i) ? (
                      <p class="field-error" id={`f-data.${i}-error`}>
                        {cell('data', i)}
                      </p>
                    ) : null}
                    <input
                      id={`f-data.${i}`}
                      name={`data.${i}`}
                      value={r.data}
                      class="input"
                      aria-label={`${t('catalogue.editor.content')} ${i + 1}`}
                      aria-invalid={cell('data', i) ? 'true' : undefined}
                      aria-describedby={cell('data', i) ? `f-data.${i}-error` : undefined}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <input type="hidden" name="rows" value={String(grid.length)} />
        <Button>{t('catalogue.editor.save')}</Button>
      </Form>
      {deleteHref ? (
        <p>
          <a href={deleteHref}>{t('catalogue.delete.action')}</a>
        </p>
      ) : null}
    </Layout>
  );
}

export function SimpleFormPage({
  ctx,
  values,
  libraries,
  issues,
}: {
  ctx: PageContext;
  values: Partial<SimpleRecord> & { institutionId?: string | undefined };
  libraries: LibraryRef[];
  issues?: Issue[] | undefined;
}) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('catalogue.simple.title')} crumbs={[{ href: '/catalogue/import', label: t('catalogue.import.title') }]}>
      <h1>{t('catalogue.simple.title')}</h1>
      {issues?.length ? <ErrorSummary ctx={ctx} issues={issues} /> : null}
      <p>
        {t('catalogue.simple.lead')} <a href="/catalogue/records/new/marc">{t('catalogue.simple.toMarc')}</a>
      </p>
      <Form ctx={ctx} action="/catalogue/records/new">
        <SelectField
          ctx={ctx}
          name="institutionId"
          label={t('catalogue.editor.library')}
          value={values.institutionId}
          issues={issues}
          options={libraries.map((l) => ({ value: l.id, group: t(`orgs.type.${l.type}`), label: l.name }))}
        />
        <TextField ctx={ctx} name="title" label={t('catalogue.simple.titleField')} value={values.title} issues={issues} required />
        <TextField ctx={ctx} name="subtitle" label={t('catalogue.simple.subtitle')} value={values.subtitle} issues={issues} />
        <TextField
          ctx={ctx}
          name="author"
          label={t('catalogue.simple.author')}
          hint={t('catalogue.simple.authorHint')}
          value={values.author}
          issues={issues}
        />
        <TextField ctx={ctx} name="publisher" label={t('catalogue.simple.publisher')} value={values.publisher} issues={issues} />
        <TextField ctx={ctx} name="place" label={t('catalogue.simple.place')} value={values.place} issues={issues} />
        <TextField ctx={ctx} name="year" label={t('catalogue.simple.year')} value={values.year} issues={issues} inputmode="numeric" width="short" />
        <TextField ctx={ctx} name="isbn" label="ISBN" value={values.isbn} issues={issues} width="medium" />
        <TextArea
          ctx={ctx}
          name="subjects"
          label={t('catalogue.simple.subjects')}
          hint={t('catalogue.simple.subjectsHint')}
          value={values.subjects}
          issues={issues}
          rows={3}
        />
        <TextField ctx={ctx} name="ddc" label={t('catalogue.field.ddc')} value={values.ddc} issues={issues} width="medium" />
        <TextField
          ctx={ctx}
          name="language"
          label={t('catalogue.simple.language')}
          hint={t('catalogue.simple.languageHint')}
          value={values.language ?? 'vie'}
          issues={issues}
          width="short"
        />
        <Button>{t('catalogue.editor.save')}</Button>
      </Form>
    </Layout>
  );
}
