import type { Issue } from '../../platform/errors.js';
import { formatDateTime, formatNumber, messageKey } from '../../platform/i18n/index.js';
import { Button, ErrorSummary, Form, Notice, qs, SelectField, SummaryList, TextArea, TextField } from '../../platform/web/components.js';
import type { PageContext } from '../../platform/web/context.js';
import { Layout } from '../../platform/web/layout.js';
import { ageGroups, programmeKinds, topics } from '../model.js';
import type { BookingView, CampaignView, ProgrammeView } from '../presenters.js';
import { breakdownOf, type ActivityTotals, type ProgrammeActivity } from '../stats.js';
import { Checkboxes, dateText, Section } from './common.js';
import { ProgrammeCard, type Choice } from './programmes.js';

export interface MyEntry {
  id: string;
  status: string;
  code: string;
  qrSvg: string;
  programme: ProgrammeView;
}

export function MyProgrammesPage({
  ctx,
  entries,
  bookings,
  feedUrl,
  notice,
}: {
  ctx: PageContext;
  entries: MyEntry[];
  bookings: Array<{ booking: BookingView; title: string; programmeId: string }>;
  feedUrl: string;
  notice?: string | undefined;
}) {
  const { t } = ctx;
  const active = entries.filter((e) => e.status !== 'cancelled');
  return (
    <Layout ctx={ctx} title={t('programmes.my.title')} crumbs={[{ href: '/programmes', label: t('programmes.list.title') }]}>
      <h1>{t('programmes.my.title')}</h1>
      {notice ? <Notice kind="success">{notice}</Notice> : null}
      {active.length === 0 ? (
        <p>
          {t('programmes.my.none')} <a href="/programmes">{t('programmes.my.find')}</a>
        </p>
      ) : (
        <ul class="cards">
          {active.map((e) => (
            <li class="card" key={e.id}>
              <h2>
                <a href={e.programme.url}>{e.programme.title}</a>
              </h2>
              <p>
                <span class="tag">{t(messageKey(`programmes.regStatus.${e.status}`))}</span>
              </p>
              {e.programme.nextSession ? (
                <p>
                  {t('programmes.next')}: {formatDateTime(ctx.locale, e.programme.nextSession)}
                </p>
              ) : null}
              <p>
                {e.programme.institution.name}
                {e.programme.venue ? ` · ${e.programme.venue}` : ''}
              </p>
              {e.status === 'confirmed' ? (
                <figure>
                  <div
                    class="qr"
                    role="img"
                    aria-label={t('programmes.my.qrLabel', { code: e.code })}
                    dangerouslySetInnerHTML={{ __html: e.qrSvg }}
                  />
                  <figcaption>
                    {t('programmes.my.showCode')} <code>{e.code}</code>
                  </figcaption>
                </figure>
              ) : null}
              <Form ctx={ctx} action={`/my/registrations/${e.id}/cancel`}>
                <Button variant="warning">{t('programmes.own.cancel')}</Button>
              </Form>
            </li>
          ))}
        </ul>
      )}
      {bookings.length ? (
        <Section id="my-bookings" title={t('programmes.bookings.mine')}>
          <ul class="cards">
            {bookings.map(({ booking: b, title, programmeId }) => (
              <li class="card" key={b.id}>
                <h3>
                  <a href={`/programmes/${programmeId}`}>{title}</a>
                </h3>
                <p>
                  {b.school}
                  {b.className ? ` — ${b.className}` : ''}: {t('programmes.bookings.summary', { pupils: b.pupils, date: dateText(ctx, b.date) })}
                </p>
                <p>
                  <span class="tag">{t(messageKey(`programmes.bookingStatus.${b.status}`))}</span>
                </p>
                {b.status === 'proposed' && b.proposedDate ? (
                  <>
                    <p>{t('programmes.bookings.proposedOn', { date: dateText(ctx, b.proposedDate) })}</p>
                    <Form ctx={ctx} action={`/my/bookings/${b.id}/accept`} class="inline-form">
                      <Button>{t('programmes.bookings.accept')}</Button>
                    </Form>{' '}
                  </>
                ) : null}
                {b.status !== 'cancelled' && b.status !== 'declined' ? (
                  <Form ctx={ctx} action={`/my/bookings/${b.id}/cancel`} class="inline-form">
                    <Button variant="warning">{t('programmes.bookings.cancel')}</Button>
                  </Form>
                ) : null}
              </li>
            ))}
          </ul>
        </Section>
      ) : null}
      <Section id="my-feed" title={t('programmes.my.feed')}>
        <p>{t('programmes.my.feedLead')}</p>
        <p class="secret">{feedUrl}</p>
      </Section>
    </Layout>
  );
}

function Totals({ ctx, totals }: { ctx: PageContext; totals: ActivityTotals }) {
  const { t } = ctx;
  const n = (x: number) => formatNumber(ctx.locale, x);
  return (
    <SummaryList
      rows={[
        [t('programmes.stats.programmesHeld'), n(totals.programmesHeld)],
        [t('programmes.stats.sessionsHeld'), n(totals.sessionsHeld)],
        [t('programmes.stats.registrations'), n(totals.registrations)],
        [t('programmes.stats.attendance'), n(totals.attendance)],
      ]}
    />
  );
}

export function CampaignsPage({
  ctx,
  campaigns,
  canCreate,
  units,
  issues,
  values,
}: {
  ctx: PageContext;
  campaigns: CampaignView[];
  canCreate: boolean;
  units: Choice[];
  issues: Issue[];
  values: Record<string, string | undefined>;
}) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('programmes.campaigns.title')} crumbs={[{ href: '/programmes', label: t('programmes.list.title') }]}>
      <h1>{t('programmes.campaigns.title')}</h1>
      <p class="lead">{t('programmes.campaigns.lead')}</p>
      {campaigns.length === 0 ? (
        <p>{t('programmes.campaigns.none')}</p>
      ) : (
        <ul>
          {campaigns.map((c) => (
            <li key={c.id}>
              <a href={`/campaigns/${c.id}`}>{c.title}</a>{' '}
              <span class="muted">
                ({dateText(ctx, c.startsOn)}–{dateText(ctx, c.endsOn)})
              </span>
            </li>
          ))}
        </ul>
      )}
      {canCreate ? (
        <Section id="new-campaign" title={t('programmes.campaigns.new')}>
          <ErrorSummary ctx={ctx} issues={issues} />
          <Form ctx={ctx} action="/campaigns">
            <TextField ctx={ctx} name="title" label={t('programmes.field.title')} value={values.title} issues={issues} required />
            <TextArea ctx={ctx} name="description" label={t('programmes.field.description')} value={values.description} issues={issues} rows={3} />
            <SelectField
              ctx={ctx}
              name="unitId"
              label={t('programmes.campaigns.unit')}
              value={values.unitId}
              issues={issues}
              required
              options={units}
            />
            <TextField
              ctx={ctx}
              name="startsOn"
              type="date"
              label={t('programmes.campaigns.startsOn')}
              value={values.startsOn}
              issues={issues}
              required
              width="medium"
            />
            <TextField
              ctx={ctx}
              name="endsOn"
              type="date"
              label={t('programmes.campaigns.endsOn')}
              value={values.endsOn}
              issues={issues}
              required
              width="medium"
            />
            <Button>{t('programmes.campaigns.create')}</Button>
          </Form>
        </Section>
      ) : null}
    </Layout>
  );
}

export function CampaignEditPage({
  ctx,
  id,
  units,
  candidates,
  issues,
  values,
  checked,
}: {
  ctx: PageContext;
  id: string;
  units: Choice[];
  candidates: Choice[];
  issues: Issue[];
  values: Record<string, string | undefined>;
  checked: string[];
}) {
  const { t } = ctx;
  return (
    <Layout
      ctx={ctx}
      title={t('programmes.campaigns.edit')}
      crumbs={[{ href: `/campaigns/${id}`, label: values.title ?? t('programmes.campaigns.title') }]}
    >
      <h1>{t('programmes.campaigns.edit')}</h1>
      <ErrorSummary ctx={ctx} issues={issues} />
      <Form ctx={ctx} action={`/campaigns/${id}/edit`}>
        <TextField ctx={ctx} name="title" label={t('programmes.field.title')} value={values.title} issues={issues} required />
        <TextArea ctx={ctx} name="description" label={t('programmes.field.description')} value={values.description} issues={issues} rows={3} />
        <SelectField ctx={ctx} name="unitId" label={t('programmes.campaigns.unit')} value={values.unitId} issues={issues} required options={units} />
        <TextField
          ctx={ctx}
          name="startsOn"
          type="date"
          label={t('programmes.campaigns.startsOn')}
          value={values.startsOn}
          issues={issues}
          required
          width="medium"
        />
        <TextField
          ctx={ctx}
          name="endsOn"
          type="date"
          label={t('programmes.campaigns.endsOn')}
          value={values.endsOn}
          issues={issues}
          required
          width="medium"
        />
        {candidates.length ? (
          <Checkboxes ctx={ctx} name="programmeIds" legend={t('programmes.campaigns.programmes')} options={candidates} checked={checked} />
        ) : (
          <p>{t('programmes.campaigns.noCandidates')}</p>
        )}
        <Button>{t('programmes.campaigns.save')}</Button>
      </Form>
    </Layout>
  );
}

export function CampaignPage({
  ctx,
  campaign,
  totals,
  items,
  canEdit,
  notice,
}: {
  ctx: PageContext;
  campaign: CampaignView;
  totals: ActivityTotals;
  items: ProgrammeView[];
  canEdit: boolean;
  notice?: string | undefined;
}) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={campaign.title} crumbs={[{ href: '/campaigns', label: t('programmes.campaigns.title') }]}>
      <h1>{campaign.title}</h1>
      <p class="lead">
        {dateText(ctx, campaign.startsOn)}–{dateText(ctx, campaign.endsOn)}
      </p>
      {notice ? <Notice kind="success">{notice}</Notice> : null}
      {campaign.description ? <p>{campaign.description}</p> : null}
      {canEdit ? (
        <p>
          <a class="button button--secondary" href={`/campaigns/${campaign.id}/edit`}>
            {t('programmes.campaigns.edit')}
          </a>
        </p>
      ) : null}
      <Section id="totals" title={t('programmes.campaigns.totals')}>
        <Totals ctx={ctx} totals={totals} />
      </Section>
      <Section id="campaign-programmes" title={t('programmes.list.title')}>
        {items.length ? (
          <ul class="cards">
            {items.map((p) => (
              <ProgrammeCard key={p.id} ctx={ctx} p={p} />
            ))}
          </ul>
        ) : (
          <p>{t('programmes.search.none')}</p>
        )}
      </Section>
    </Layout>
  );
}

export function StatsPage({
  ctx,
  rows,
  names,
  totals,
  values,
  units,
  issues,
}: {
  ctx: PageContext;
  rows: ProgrammeActivity[];
  names: Map<string, string>;
  totals: ActivityTotals;
  values: { from: string; to: string; unitId?: string | undefined };
  units: Choice[];
  issues: Issue[];
}) {
  const { t } = ctx;
  const n = (x: number) => formatNumber(ctx.locale, x);
  const query = qs(values);
  return (
    <Layout ctx={ctx} title={t('programmes.stats.title')} crumbs={[{ href: '/programmes/manage', label: t('programmes.manage.title') }]}>
      <h1>{t('programmes.stats.title')}</h1>
      <ErrorSummary ctx={ctx} issues={issues} />
      <Form ctx={ctx} action="/programmes/stats" method="get" class="filters">
        <TextField
          ctx={ctx}
          name="from"
          type="date"
          label={t('programmes.search.from')}
          value={values.from}
          issues={issues}
          required
          width="medium"
        />
        <TextField ctx={ctx} name="to" type="date" label={t('programmes.search.to')} value={values.to} issues={issues} required width="medium" />
        <SelectField
          ctx={ctx}
          name="unitId"
          label={t('programmes.search.place')}
          value={values.unitId}
          blank={t('programmes.calendar.province')}
          options={units}
        />
        <Button>{t('programmes.stats.show')}</Button>
      </Form>
      <p>
        <a href={`/programmes/stats.csv${query}`}>{t('programmes.stats.csv')}</a> ·{' '}
        <a href={`/programmes/stats.xlsx${query}`}>{t('programmes.stats.xlsx')}</a>
      </p>
      <Totals ctx={ctx} totals={totals} />
      <p>
        {t('programmes.stats.staffTraining')}: {n(totals.staffTrainingAttendance)}
      </p>
      <div class="table-wrap" tabindex={0} role="region" aria-label={t('programmes.stats.title')}>
        <table>
          <caption class="visually-hidden">{t('programmes.stats.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('programmes.stats.institution')}</th>
              <th scope="col" class="num">
                {t('programmes.stats.programmesHeld')}
              </th>
              {programmeKinds.map((k) => (
                <th scope="col" class="num" key={k}>
                  {t(`programmes.kind.${k}`)}
                </th>
              ))}
              <th scope="col" class="num">
                {t('programmes.stats.sessionsHeld')}
              </th>
              <th scope="col" class="num">
                {t('programmes.stats.registrations')}
              </th>
              <th scope="col" class="num">
                {t('programmes.stats.attendance')}
              </th>
              <th scope="col" class="num">
                {t('programmes.stats.staffTraining')}
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.institutionId}>
                <td>{names.get(r.institutionId) ?? r.institutionId}</td>
                <td class="num">{n(r.programmesHeld)}</td>
                {programmeKinds.map((k) => (
                  <td class="num" key={k}>
                    {n(r.byKind[k])}
                  </td>
                ))}
                <td class="num">{n(r.sessionsHeld)}</td>
                <td class="num">{n(r.registrations)}</td>
                <td class="num">{n(r.attendance)}</td>
                <td class="num">{n(r.staffTrainingAttendance)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Breakdown ctx={ctx} rows={rows} />
    </Layout>
  );
}

function Breakdown({ ctx, rows }: { ctx: PageContext; rows: ProgrammeActivity[] }) {
  const { t } = ctx;
  const { byTopic, byAge } = breakdownOf(rows);
  const n = (x: number | undefined) => formatNumber(ctx.locale, x ?? 0);
  return (
    <>
      <Section id="by-topic" title={t('programmes.stats.byTopic')}>
        <SummaryList rows={topics.map((k): [string, string] => [t(`programmes.topic.${k}`), n(byTopic[k])])} />
      </Section>
      <Section id="by-age" title={t('programmes.stats.byAge')}>
        <SummaryList rows={[...ageGroups, 'unknown'].map((k): [string, string] => [t(messageKey(`programmes.age.${k}`)), n(byAge[k])])} />
      </Section>
    </>
  );
}
