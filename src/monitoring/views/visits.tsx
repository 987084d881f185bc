import type { Issue } from '../../platform/errors.js';
import { formatDate, formatNumber, messageKey } from '../../platform/i18n/index.js';
import { Button, ErrorSummary, Form, Notice, SelectField, TextField } from '../../platform/web/components.js';
import { issueText } from '../../platform/web/components.js';
import type { PageContext } from '../../platform/web/context.js';
import { Layout } from '../../platform/web/layout.js';
import type { NetworkInstitution } from '../../orgs/index.js';
import { visitChannels, visitMethods, visitPurposes } from '../model.js';
import type { VisitView } from '../presenters.js';
import type { YearVisits } from '../visits/visits.js';

export function VisitsPage({
  ctx,
  institutions,
  current,
  recent,
  totals,
  issues,
  importIssues,
  notice,
  values,
}: {
  ctx: PageContext;
  institutions: NetworkInstitution[];
  current: NetworkInstitution | undefined;
  recent: VisitView[];
  totals: YearVisits[];
  issues: Issue[];
  importIssues: Issue[];
  notice?: string | undefined;
  values: Record<string, string | undefined>;
}) {
  const { t } = ctx;
  const options = <T extends string>(prefix: string, list: readonly T[]) => list.map((v) => ({ value: v, label: t(messageKey(`${prefix}.${v}`)) }));
  return (
    <Layout ctx={ctx} title={t('monitoring.visits.title')} crumbs={[{ href: '/monitoring', label: t('monitoring.nav') }]}>
      <h1>{t('monitoring.visits.title')}</h1>
      <p class="lead">{t('monitoring.visits.lead')}</p>
      {notice ? <Notice kind="success">{notice}</Notice> : null}
      {institutions.length === 0 ? (
        <p>{t('monitoring.visits.noInstitution')}</p>
      ) : (
        <>
          {institutions.length > 1 ? (
            <Form ctx={ctx} action="/monitoring/visits" method="get" class="filters">
              <SelectField
                ctx={ctx}
                name="institution"
                label={t('monitoring.visits.institution')}
                value={current?.id}
                options={institutions.map((i) => ({ value: i.id, label: i.name }))}
                required
              />
              <div class="field">
                <Button variant="secondary">{t('monitoring.dashboard.show')}</Button>
              </div>
            </Form>
          ) : null}
          {current ? (
            <>
              <h2>{current.name}</h2>
              <ErrorSummary ctx={ctx} issues={issues} />
              <Form ctx={ctx} action="/monitoring/visits">
                <input type="hidden" name="institutionId" value={current.id} />
                <TextField
                  ctx={ctx}
                  name="date"
                  type="date"
                  label={t('monitoring.visits.date')}
                  value={values.date}
                  issues={issues}
                  width="medium"
                  required
                />
                <SelectField
                  ctx={ctx}
                  name="granularity"
                  label={t('monitoring.visits.granularity')}
                  value={values.granularity}
                  options={options('monitoring.visits.granularity', ['day', 'month'] as const)}
                  required
                />
                <SelectField
                  ctx={ctx}
                  name="channel"
                  label={t('monitoring.visits.channel')}
                  value={values.channel}
                  options={options('monitoring.visits.channel', visitChannels)}
                  required
                />
                <SelectField
                  ctx={ctx}
                  name="purpose"
                  label={t('monitoring.visits.purpose')}
                  value={values.purpose ?? 'unknown'}
                  options={options('monitoring.visits.purpose', visitPurposes)}
                  required
                />
                <TextField
                  ctx={ctx}
                  name="visitors"
                  type="number"
                  label={t('monitoring.visits.visitors')}
                  value={values.visitors}
                  issues={issues}
                  inputmode="numeric"
                  width="short"
                  required
                />
                <TextField
                  ctx={ctx}
                  name="schoolGroupVisitors"
                  type="number"
                  label={t('monitoring.visits.schoolGroupVisitors')}
                  value={values.schoolGroupVisitors}
                  issues={issues}
                  inputmode="numeric"
                  width="short"
                />
                <SelectField
                  ctx={ctx}
                  name="method"
                  label={t('monitoring.visits.method')}
                  value={values.method}
                  options={options('monitoring.visits.method', visitMethods)}
                  required
                />
                <Button>{t('monitoring.visits.save')}</Button>
              </Form>
              <h2>{t('monitoring.visits.import')}</h2>
              {importIssues.length ? (
                <div class="error-summary" role="alert" tabindex={-1} aria-labelledby="import-issues-title">
                  <h3 id="import-issues-title">{t('monitoring.visits.rejected', { n: new Set(importIssues.map((i) => i.row)).size })}</h3>
                  <ul>
                    {importIssues.map((i) => (
                      <li key={`${i.row ?? 0}-${i.field}-${i.key}`}>{issueText(ctx, i)}</li>
                    ))}
                  </ul>
                </div>
              ) : null}
              <Form ctx={ctx} action="/monitoring/visits/import" multipart>
                <div class="field">
                  <label for="f-file">{t('monitoring.visits.file')}</label>
                  <p class="hint" id="f-file-hint">
                    {t('monitoring.visits.importHint')}
                  </p>
                  <input id="f-file" name="file" type="file" accept=".csv,text/csv" aria-describedby="f-file-hint" />
                </div>
                <Button variant="secondary">{t('monitoring.visits.upload')}</Button>
              </Form>
              <h2>{t('monitoring.visits.totals')}</h2>
              {totals.length === 0 ? (
                <p>{t('monitoring.visits.none')}</p>
              ) : (
                <div class="table-wrap">
                  <table>
                    <thead>
                      <tr>
                        <th scope="col">{t('monitoring.dashboard.year')}</th>
                        <th scope="col" class="num">
                          {t('monitoring.visits.inPerson')}
                        </th>
                        <th scope="col" class="num">
                          {t('monitoring.visits.digital')}
                        </th>
                        <th scope="col" class="num">
                          {t('monitoring.visits.schoolGroups')}
                        </th>
                        <th scope="col" class="num">
                          {t('monitoring.visits.estimated')}
                        </th>
                      </tr>
                    </thead>
                    <tbody>
                      {totals.map((y) => (
                        <tr key={y.year}>
                          <th scope="row">{y.year}</th>
                          <td class="num">{formatNumber(ctx.locale, y.inPerson)}</td>
                          <td class="num">{formatNumber(ctx.locale, y.digital)}</td>
                          <td class="num">{formatNumber(ctx.locale, y.schoolGroups)}</td>
                          <td class="num">{formatNumber(ctx.locale, y.estimated)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
              <h2>{t('monitoring.visits.recent')}</h2>
              {recent.length === 0 ? (
                <p>{t('monitoring.visits.none')}</p>
              ) : (
                <div class="table-wrap">
                  <table>
                    <thead>
                      <tr>
                        <th scope="col">{t('monitoring.visits.date')}</th>
                        <th scope="col">{t('monitoring.visits.channel')}</th>
                        <th scope="col">{t('monitoring.visits.purpose')}</th>
                        <th scope="col" class="num">
                          {t('monitoring.visits.visitors')}
                        </th>
                        <th scope="col">{t('monitoring.visits.method')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {recent.map((v) => (
                        <tr key={v.id}>
                          <td>{v.granularity === 'month' ? v.day.slice(0, 7) : formatDate(ctx.locale, v.day)}</td>
                          <td>{t(messageKey(`monitoring.visits.channel.${v.channel}`))}</td>
                          <td>{t(messageKey(`monitoring.visits.purpose.${v.purpose}`))}</td>
                          <td class="num">
                            {formatNumber(ctx.locale, v.visitors)}
                            {v.schoolGroupVisitors ? ` (${formatNumber(ctx.locale, v.schoolGroupVisitors)})` : ''}
                          </td>
                          <td>{t(messageKey(`monitoring.visits.method.${v.method}`))}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
            </>
          ) : null}
        </>
      )}
    </Layout>
  );
}
