import type { Issue } from '../../platform/errors.js';
import { formatDateTime, formatNumber } from '../../platform/i18n/index.js';
import { Button, ErrorSummary, fieldError, Form, Notice } from '../../platform/web/components.js';
import type { PageContext } from '../../platform/web/context.js';
import { Layout } from '../../platform/web/layout.js';
import type { FormState } from '../cycle/cycle.js';
import { maxEvidenceBytes } from '../cycle/evidence.js';
import type { EvidenceView } from '../presenters.js';
import { periodName } from './cycle.js';

/** The files as a list of download links, or nothing when there are none. */
export function EvidenceLinks({ ctx, files }: { ctx: PageContext; files: EvidenceView[] }) {
  if (!files.length) return null;
  return (
    <ul>
      {files.map((file) => (
        <li key={file.id}>
          <a href={`/monitoring/evidence/${file.id}`} download={file.fileName}>
            {file.fileName}
          </a>{' '}
          <span class="hint">
            ({file.kind.toUpperCase()}, {formatNumber(ctx.locale, Math.max(1, Math.round(file.bytes / 1024)))} KB)
          </span>
        </li>
      ))}
    </ul>
  );
}

/**
 * One criterion an institution declares for a period's year: what it declared, the files it
 * attached (downloadable by those entitled to see the data set) and, while it can still be
 * edited, an upload form.
 */
export function CriterionPage({
  ctx,
  f,
  criterion,
  files,
  issues,
  notice,
}: {
  ctx: PageContext;
  f: FormState;
  criterion: FormState['criteria'][number];
  files: EvidenceView[];
  issues: Issue[];
  notice?: string | undefined;
}) {
  const { t } = ctx;
  const formUrl = `/monitoring/periods/${f.period.id}/institutions/${f.institution.id}`;
  const base = `${formUrl}/criteria/${criterion.criterion}`;
  const error = fieldError(ctx, issues, 'file');
  const title = t(`monitoring.criterion.${criterion.criterion}`);
  const row = criterion.row;
  return (
    <Layout
      ctx={ctx}
      title={`${title} — ${f.institution.name}`}
      crumbs={[
        { href: '/monitoring/periods', label: t('monitoring.period.title') },
        { href: formUrl, label: `${f.institution.name} — ${periodName(ctx, f.period)}` },
      ]}
    >
      <h1>{title}</h1>
      <p class="lead">
        {f.institution.name} — {periodName(ctx, f.period)}
      </p>
      {notice ? <Notice kind="success">{notice}</Notice> : null}
      <ErrorSummary ctx={ctx} issues={issues} />
      <dl class="summary-list">
        <div class="summary-list__row">
          <dt>{t('monitoring.evidence.declared')}</dt>
          <dd>
            {criterion.observed ? t('monitoring.source.observed') : row?.declared ? t('monitoring.source.declared') : t('monitoring.detail.notMet')}
          </dd>
        </div>
        <div class="summary-list__row">
          <dt>{t('monitoring.form.evidence')}</dt>
          <dd>{row?.evidenceText ?? '—'}</dd>
        </div>
        <div class="summary-list__row">
          <dt>{t('monitoring.form.evidenceUrl')}</dt>
          <dd>
            {row?.evidenceUrl ? (
              <a href={row.evidenceUrl} rel="noopener noreferrer">
                {row.evidenceUrl}
              </a>
            ) : (
              '—'
            )}
          </dd>
        </div>
      </dl>
      <h2>{t('monitoring.evidence.files')}</h2>
      {files.length ? (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('monitoring.evidence.file')}</th>
                <th scope="col">{t('monitoring.evidence.uploaded')}</th>
                {f.canEdit ? (
                  <th scope="col">
                    <span class="visually-hidden">{t('monitoring.evidence.delete')}</span>
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {files.map((file) => (
                <tr key={file.id}>
                  <td>
                    <EvidenceLinks ctx={ctx} files={[file]} />
                  </td>
                  <td>
                    {file.uploadedBy}, {formatDateTime(ctx.locale, file.uploadedAt)}
                  </td>
                  {f.canEdit ? (
                    <td>
                      <Form ctx={ctx} action={`${base}/evidence/${file.id}/delete`}>
                        <Button variant="warning">
                          {t('monitoring.evidence.delete')}
                          <span class="visually-hidden"> {file.fileName}</span>
                        </Button>
                      </Form>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p>{t('monitoring.evidence.none')}</p>
      )}
      {f.canEdit ? (
        <Form ctx={ctx} action={`${base}/evidence`} multipart>
          <div class={`field${error ? ' field--error' : ''}`}>
            <label for="f-file">{t('monitoring.evidence.upload')}</label>
            <p class="hint" id="f-file-hint">
              {t('monitoring.evidence.hint', { mb: maxEvidenceBytes / 1024 / 1024 })}
            </p>
            {error ? (
              <p class="field-error" id="f-file-error">
                <span class="visually-hidden">{t('errors.title')}: </span>
                {error}
              </p>
            ) : null}
            <input
              type="file"
              id="f-file"
              name="file"
              class="input"
              required
              accept=".pdf,.jpg,.jpeg,.png,.docx,.xlsx,application/pdf,image/jpeg,image/png,application/vnd.openxmlformats-officedocument.wordprocessingml.document,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
              aria-describedby={error ? 'f-file-hint f-file-error' : 'f-file-hint'}
            />
          </div>
          <Button>{t('monitoring.evidence.submit')}</Button>
        </Form>
      ) : null}
      <p>
        <a href={formUrl}>{t('monitoring.evidence.back')}</a>
      </p>
    </Layout>
  );
}
