import type { Issue } from '../../platform/errors.js';
import { formatNumber } from '../../platform/i18n/index.js';
import { Button, ErrorSummary, fieldError, SelectField } from '../../platform/web/components.js';
import type { PageContext } from '../../platform/web/context.js';
import { Layout } from '../../platform/web/layout.js';
import type { LibraryRef } from '../libraries.js';

const exportFormats = ['iso2709', 'marcxml'] as const;
/** The form's value for the whole union catalogue (never a library's code). */
export const UNION = '*';

export function ExportPage({
  ctx,
  libraries,
  sizes,
  values,
  issues,
}: {
  ctx: PageContext;
  libraries: LibraryRef[];
  sizes: { union: number; byLibrary: Map<string, number> };
  values: { library?: string | undefined; format?: string | undefined };
  issues?: Issue[] | undefined;
}) {
  const { t } = ctx;
  const n = (v: number) => formatNumber(ctx.locale, v);
  const format = values.format ?? 'iso2709';
  const formatError = fieldError(ctx, issues, 'format');
  return (
    <Layout ctx={ctx} title={t('catalogue.export.title')} crumbs={[{ href: '/catalogue/import', label: t('catalogue.import.title') }]}>
      <h1>{t('catalogue.export.title')}</h1>
      {issues?.length ? <ErrorSummary ctx={ctx} issues={issues} /> : null}
      <p>{t('catalogue.export.lead')}</p>
      <form method="get" action="/catalogue/export/file" novalidate>
        <SelectField
          ctx={ctx}
          name="library"
          label={t('catalogue.export.library')}
          hint={t('catalogue.export.libraryHint')}
          value={values.library || UNION}
          issues={issues}
          required
          options={[
            { value: UNION, label: t('catalogue.export.union', { n: n(sizes.union) }) },
            ...libraries.map((l) => ({
              value: l.code,
              group: t(`orgs.type.${l.type}`),
              label: t('catalogue.export.libraryOption', { name: l.name, code: l.code, n: n(sizes.byLibrary.get(l.id) ?? 0) }),
            })),
          ]}
        />
        <fieldset class={`field${formatError ? ' field--error' : ''}`} id="f-format" aria-describedby={formatError ? 'f-format-error' : undefined}>
          <legend>{t('catalogue.export.format')}</legend>
          {formatError ? (
            <p class="field-error" id="f-format-error">
              <span class="visually-hidden">{t('errors.title')}: </span>
              {formatError}
            </p>
          ) : null}
          {exportFormats.map((f) => (
            <div class="field--checkbox" key={f}>
              <input type="radio" id={`f-format-${f}`} name="format" value={f} checked={format === f} aria-describedby={`f-format-${f}-hint`} />
              <label for={`f-format-${f}`}>{t(`catalogue.export.format.${f}`)}</label>
              <p class="hint" id={`f-format-${f}-hint`}>
                {t(`catalogue.export.formatHint.${f}`)}
              </p>
            </div>
          ))}
        </fieldset>
        <Button>{t('catalogue.export.submit')}</Button>
      </form>
      <h2>{t('catalogue.export.otherWays')}</h2>
      <p>{t('catalogue.export.cli')}</p>
      <pre class="code-block">
        <code>suotdoi export marc muc-luc.xml --library TV-86 --format marcxml</code>
      </pre>
      <p>
        {t('catalogue.export.api')} <a href="/api/docs">{t('catalogue.export.apiDocs')}</a>
      </p>
    </Layout>
  );
}
