import type { Issue } from '../../platform/errors.js';
import { Button, fieldError, Form, Notice } from '../../platform/web/components.js';
import type { PageContext } from '../../platform/web/context.js';
import { Layout } from '../../platform/web/layout.js';
import { institutionCsvColumns } from '../import-institutions.js';
import { successionCsvColumns, unitCsvColumns } from '../import-units.js';
import { institutionTypes } from '../model.js';
import { IssueTable, typeLabel } from './shared.js';

export interface ImportResult {
  created: number;
  updated: number;
  successions?: number;
}

function Columns({ ctx, columns }: { ctx: PageContext; columns: { required: readonly string[]; optional: readonly string[] } }) {
  return (
    <p>
      {ctx.t('orgs.import.columns')}:{' '}
      {columns.required.map((c) => (
        <code key={c}>{c} </code>
      ))}
      {columns.optional.length ? (
        <>
          {ctx.t('orgs.import.optionalColumns')}:{' '}
          {columns.optional.map((c) => (
            <code key={c}>{c} </code>
          ))}
        </>
      ) : null}
    </p>
  );
}

export function ImportPage({
  ctx,
  kind,
  result,
  issues,
}: {
  ctx: PageContext;
  kind: 'units' | 'institutions';
  result?: ImportResult;
  issues: Issue[];
}) {
  const { t } = ctx;
  const title = t(`orgs.import.${kind}.title`);
  const fileIssues = issues.filter((i) => !i.row && i.field === 'file');
  const error = fieldError(ctx, fileIssues, 'file');
  return (
    <Layout ctx={ctx} title={title} crumbs={[{ href: `/${kind}`, label: t(`orgs.${kind}.title`) }]}>
      {issues.length ? <IssueTable ctx={ctx} issues={issues} /> : null}
      <h1>{title}</h1>
      {result ? (
        <Notice kind="success">
          {t('orgs.import.done', { created: result.created, updated: result.updated })}
          {result.successions !== undefined ? ` ${t('orgs.import.doneSuccessions', { n: result.successions })}` : null}
        </Notice>
      ) : null}
      <p class="lead">{t(`orgs.import.${kind}.lead`)}</p>
      <Form ctx={ctx} action={`/${kind}/import`} multipart>
        <div class={`field${error ? ' field--error' : ''}`}>
          <label for="f-file">{t('common.file')}</label>
          <p class="hint" id="f-file-hint">
            {t(`orgs.import.${kind}.fileHint`)}
          </p>
          {error ? (
            <p class="field-error" id="f-file-error">
              {error}
            </p>
          ) : null}
          <input
            id="f-file"
            name="file"
            type="file"
            class="input"
            required
            accept={kind === 'units' ? '.json,.csv,text/csv,application/json' : '.csv,text/csv'}
            aria-describedby={error ? 'f-file-hint f-file-error' : 'f-file-hint'}
            aria-invalid={error ? 'true' : undefined}
          />
        </div>
        <Button>{t('orgs.import.submit')}</Button>
      </Form>
      <h2>{t('orgs.import.formats')}</h2>
      {kind === 'units' ? (
        <>
          <h3>JSON</h3>
          <p>{t('orgs.import.units.json')}</p>
          <h3>{t('orgs.import.units.csv')}</h3>
          <Columns ctx={ctx} columns={unitCsvColumns} />
          <p>{t('orgs.import.units.csvHint')}</p>
          <h3>{t('orgs.import.units.successionsCsv')}</h3>
          <Columns ctx={ctx} columns={successionCsvColumns} />
          <p>{t('orgs.import.units.successionsHint')}</p>
        </>
      ) : (
        <>
          <Columns ctx={ctx} columns={institutionCsvColumns} />
          <p>{t('orgs.import.institutions.csvHint')}</p>
          <div class="table-wrap">
            <table>
              <caption>{t('orgs.import.institutions.types')}</caption>
              <thead>
                <tr>
                  <th scope="col">type</th>
                  <th scope="col">{t('orgs.institution.type')}</th>
                </tr>
              </thead>
              <tbody>
                {institutionTypes.map((v) => (
                  <tr key={v}>
                    <td>
                      <code>{v}</code>
                    </td>
                    <td>{typeLabel(ctx, v)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </Layout>
  );
}
