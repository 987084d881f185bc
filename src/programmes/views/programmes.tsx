import type { Issue } from '../../platform/errors.js';
import { formatDateTime, messageKey } from '../../platform/i18n/index.js';
import { Button, ErrorSummary, Form, Notice, Pagination, qs, SelectField, SummaryList, TextArea, TextField } from '../../platform/web/components.js';
import type { PageContext } from '../../platform/web/context.js';
import { Layout } from '../../platform/web/layout.js';
import { ageGroups, audiences, programmeKinds, topics } from '../model.js';
import type { ProgrammeView, SessionView } from '../presenters.js';
import { Checkboxes, dateText, feeText, kindTag, Section } from './common.js';

export interface Choice {
  value: string;
  label: string;
}

export interface SearchValues {
  q?: string | undefined;
  kind?: string | undefined;
  topic?: string | undefined;
  audience?: string | undefined;
  unitId?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

const options = (ctx: PageContext, prefix: string, values: readonly string[]): Choice[] =>
  values.map((v) => ({ value: v, label: ctx.t(messageKey(`programmes.${prefix}.${v}`)) }));

export function ProgrammeCard({ ctx, p }: { ctx: PageContext; p: ProgrammeView }) {
  return (
    <li class="card">
      <h3>
        <a href={p.url}>{p.title}</a>
      </h3>
      <p>
        {kindTag(ctx, p.kind)}{' '}
        {p.status !== 'published' ? <span class="tag tag--ended">{ctx.t(messageKey(`programmes.status.${p.status}`))}</span> : null}
      </p>
      <p>
        {p.institution.name}
        {p.venue ? ` · ${p.venue}` : ''}
      </p>
      {p.nextSession ? (
        <p>
          {ctx.t('programmes.next')}: {formatDateTime(ctx.locale, p.nextSession)}
        </p>
      ) : null}
      <p class="muted">
        {feeText(ctx, p.fee)} ·{' '}
        {p.kind === 'museum_education'
          ? ctx.t('programmes.groupsWelcome')
          : p.seatsLeft > 0
            ? ctx.t('programmes.seatsLeft', { n: p.seatsLeft })
            : ctx.t('programmes.full')}
      </p>
    </li>
  );
}

export function ProgrammesPage({
  ctx,
  values,
  items,
  total,
  page,
  pageSize,
  units,
  staff,
}: {
  ctx: PageContext;
  values: SearchValues;
  items: ProgrammeView[];
  total: number;
  page: number;
  pageSize: number;
  units: Choice[];
  staff: boolean;
}) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('programmes.list.title')}>
      <h1>{t('programmes.list.title')}</h1>
      <p class="lead">{t('programmes.list.lead')}</p>
      <p>
        <a href="/calendar">{t('programmes.nav.calendar')}</a>
        {ctx.user ? (
          <>
            {' '}
            · <a href="/my/programmes">{t('programmes.my.title')}</a>
          </>
        ) : null}
        {staff ? (
          <>
            {' '}
            · <a href="/programmes/manage">{t('programmes.manage.title')}</a>
          </>
        ) : null}
        {' · '}
        <a href="/campaigns">{t('programmes.campaigns.title')}</a>
      </p>
      <Form ctx={ctx} action="/programmes" method="get" class="filters">
        <TextField ctx={ctx} name="q" type="search" label={t('programmes.search.q')} value={values.q} />
        <SelectField
          ctx={ctx}
          name="kind"
          label={t('programmes.field.kind')}
          value={values.kind}
          blank={t('programmes.search.any')}
          options={options(ctx, 'kind', programmeKinds)}
        />
        <SelectField
          ctx={ctx}
          name="topic"
          label={t('programmes.field.topics')}
          value={values.topic}
          blank={t('programmes.search.any')}
          options={options(ctx, 'topic', topics)}
        />
        <SelectField
          ctx={ctx}
          name="audience"
          label={t('programmes.field.audiences')}
          value={values.audience}
          blank={t('programmes.search.any')}
          options={options(ctx, 'audience', audiences)}
        />
        <SelectField
          ctx={ctx}
          name="unitId"
          label={t('programmes.search.place')}
          value={values.unitId}
          blank={t('programmes.search.anywhere')}
          options={units}
        />
        <TextField ctx={ctx} name="from" type="date" label={t('programmes.search.from')} value={values.from} width="medium" />
        <TextField ctx={ctx} name="to" type="date" label={t('programmes.search.to')} value={values.to} width="medium" />
        <Button>{t('programmes.search.submit')}</Button>
      </Form>
      <p role="status">{t('programmes.search.found', { n: total })}</p>
      {items.length ? (
        <ul class="cards">
          {items.map((p) => (
            <ProgrammeCard key={p.id} ctx={ctx} p={p} />
          ))}
        </ul>
      ) : (
        <p>{t('programmes.search.none')}</p>
      )}
      <Pagination ctx={ctx} page={page} pageSize={pageSize} total={total} href={(n) => `/programmes${qs({ ...values, page: n })}`} />
    </Layout>
  );
}

export interface OwnState {
  id: string;
  status: string;
  code: string;
  position: number | null;
}

export function ProgrammeDetailPage({
  ctx,
  p,
  sessions,
  manager,
  own,
  offered,
  issues,
  notice,
  values,
}: {
  ctx: PageContext;
  p: ProgrammeView;
  sessions: SessionView[];
  manager: boolean;
  own: OwnState | null;
  offered: string[];
  issues: Issue[];
  notice?: string | undefined;
  values: Record<string, string | undefined>;
}) {
  const { t } = ctx;
  const upcoming = sessions.filter((s) => !s.cancelled);
  return (
    <Layout ctx={ctx} title={p.title} crumbs={[{ href: '/programmes', label: t('programmes.list.title') }]}>
      <h1>{p.title}</h1>
      <p>
        {kindTag(ctx, p.kind)}{' '}
        {p.status !== 'published' ? <span class="tag tag--ended">{t(messageKey(`programmes.status.${p.status}`))}</span> : null}
      </p>
      {notice ? <Notice kind="success">{notice}</Notice> : null}
      <ErrorSummary ctx={ctx} issues={issues} />
      {p.imageUrl ? <img src={p.imageUrl} alt="" /> : null}
      <SummaryList
        rows={[
          [t('programmes.field.institution'), p.institution.name],
          [t('programmes.field.venue'), p.venue],
          [
            t('programmes.field.onlineUrl'),
            p.onlineUrl ? (
              <a href={p.onlineUrl} rel="noopener noreferrer">
                {p.onlineUrl}
              </a>
            ) : null,
          ],
          [t('programmes.field.when'), `${dateText(ctx, p.startDate)}, ${p.startTime}–${p.endTime}`],
          [
            t('programmes.field.capacity'),
            p.kind === 'museum_education' ? String(p.capacity) : t('programmes.capacityOf', { taken: p.seatsTaken, capacity: p.capacity }),
          ],
          [t('programmes.field.fee'), feeText(ctx, p.fee)],
          [t('programmes.field.audiences'), p.audiences.map((a) => t(messageKey(`programmes.audience.${a}`))).join(', ')],
          [t('programmes.field.topics'), p.topics.map((a) => t(messageKey(`programmes.topic.${a}`))).join(', ')],
          [t('programmes.field.accessibility'), p.accessibility],
        ]}
      />
      {p.description ? p.description.split(/\n{2,}/).map((para, i) => <p key={i}>{para}</p>) : null}
      {manager ? (
        <p>
          <a class="button button--secondary" href={`/programmes/${p.id}/edit`}>
            {t('programmes.edit')}
          </a>{' '}
          <a class="button button--secondary" href={`/programmes/${p.id}/image`}>
            {t('programmes.image.link')}
          </a>{' '}
          <a class="button button--secondary" href={`/programmes/${p.id}/registrations`}>
            {t('programmes.registrations.title')}
          </a>
        </p>
      ) : null}
      {manager && p.status !== 'cancelled' ? (
        <div>
          <Form ctx={ctx} action={`/programmes/${p.id}/${p.status === 'published' ? 'unpublish' : 'publish'}`} class="inline-form">
            <Button variant={p.status === 'published' ? 'secondary' : undefined}>
              {t(p.status === 'published' ? 'programmes.unpublish' : 'programmes.publish')}
            </Button>
          </Form>{' '}
          <a class="button button--warning" href={`/programmes/${p.id}/cancel`}>
            {t('programmes.cancelProgramme.button')}
          </a>
        </div>
      ) : null}
      {p.status === 'published' && p.kind !== 'museum_education' ? <RegisterBox ctx={ctx} p={p} own={own} hasSessions={upcoming.length > 0} /> : null}
      {p.status === 'published' && p.kind === 'museum_education' ? (
        <BookingBox ctx={ctx} p={p} offered={offered} issues={issues} values={values} />
      ) : null}
      <Section id="sessions-title" title={t('programmes.sessions.title')}>
        {sessions.length === 0 ? (
          <p>{t('programmes.sessions.none')}</p>
        ) : (
          <ul>
            {sessions.slice(0, 200).map((s) => (
              <li key={s.id}>
                {formatDateTime(ctx.locale, s.startsAt)}
                {s.cancelled ? (
                  <>
                    {' '}
                    <span class="tag tag--ended">{t('programmes.sessions.cancelled')}</span>
                    {s.cancelReason ? ` — ${s.cancelReason}` : ''}
                  </>
                ) : null}
                {manager && !s.cancelled ? (
                  <>
                    {' '}
                    · <a href={`/programmes/${p.id}/sessions/${s.id}/attendance`}>{t('programmes.attendance.take')}</a>
                  </>
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </Section>
      <p>
        <a href={`/calendar/institutions/${p.institution.id}`}>{t('programmes.calendar.ofInstitution', { name: p.institution.name })}</a>
      </p>
    </Layout>
  );
}

function RegisterBox({ ctx, p, own, hasSessions }: { ctx: PageContext; p: ProgrammeView; own: OwnState | null; hasSessions: boolean }) {
  const { t } = ctx;
  if (!hasSessions) return <p>{t('programmes.errors.over')}</p>;
  if (!ctx.user)
    return (
      <p>
        <a class="button" href={`/login?next=${encodeURIComponent(p.url)}`}>
          {t('programmes.loginToRegister')}
        </a>
      </p>
    );
  if (own) {
    return (
      <Section id="own-title" title={t('programmes.own.title')}>
        <p>
          {own.status === 'confirmed'
            ? t('programmes.own.confirmed', { code: own.code })
            : t('programmes.own.waitlisted', { position: own.position ?? 0 })}
        </p>
        <p>
          <a href="/my/programmes">{t('programmes.own.seeQr')}</a>
        </p>
        <Form ctx={ctx} action={`/my/registrations/${own.id}/cancel`}>
          <Button variant="warning">{t('programmes.own.cancel')}</Button>
        </Form>
      </Section>
    );
  }
  return (
    <Section id="register-title" title={t('programmes.register.title')}>
      <Form ctx={ctx} action={`/programmes/${p.id}/register`}>
        <SelectField
          ctx={ctx}
          name="ageGroup"
          label={t('programmes.field.ageGroup')}
          hint={t('programmes.field.ageGroupHint')}
          blank={t('programmes.age.unsaid')}
          options={ageGroups.map((a) => ({ value: a, label: t(`programmes.age.${a}`) }))}
        />
        <Button>{p.seatsLeft > 0 ? t('programmes.register.submit') : t('programmes.register.waitlist')}</Button>
      </Form>
    </Section>
  );
}

function BookingBox({
  ctx,
  p,
  offered,
  issues,
  values,
}: {
  ctx: PageContext;
  p: ProgrammeView;
  offered: string[];
  issues: Issue[];
  values: Record<string, string | undefined>;
}) {
  const { t } = ctx;
  if (!ctx.user)
    return (
      <p>
        <a class="button" href={`/login?next=${encodeURIComponent(p.url)}`}>
          {t('programmes.loginToBook')}
        </a>
      </p>
    );
  return (
    <Section id="book-title" title={t('programmes.booking.title')}>
      <p>{t('programmes.booking.lead')}</p>
      {offered.length === 0 ? (
        <p>{t('programmes.booking.noDates')}</p>
      ) : (
        <Form ctx={ctx} action={`/programmes/${p.id}/bookings`}>
          <TextField ctx={ctx} name="school" label={t('programmes.booking.school')} value={values.school} issues={issues} required />
          <TextField ctx={ctx} name="className" label={t('programmes.booking.className')} value={values.className} issues={issues} width="short" />
          <TextField
            ctx={ctx}
            name="pupils"
            type="number"
            inputmode="numeric"
            label={t('programmes.booking.pupils')}
            value={values.pupils}
            issues={issues}
            required
            width="short"
          />
          <SelectField
            ctx={ctx}
            name="date"
            label={t('programmes.booking.date')}
            value={values.date}
            issues={issues}
            required
            options={offered.map((d) => ({ value: d, label: dateText(ctx, d) }))}
          />
          <TextArea ctx={ctx} name="note" label={t('programmes.booking.note')} value={values.note} issues={issues} rows={3} />
          <Button>{t('programmes.booking.submit')}</Button>
        </Form>
      )}
    </Section>
  );
}

export type FormValues = Record<string, string | string[] | undefined>;

const str = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);
const arr = (v: string | string[] | undefined): string[] => (Array.isArray(v) ? v : v ? [v] : []);

export function ProgrammeFormPage({
  ctx,
  action,
  values,
  issues,
  institutions,
  campaigns,
  editing,
}: {
  ctx: PageContext;
  action: string;
  values: FormValues;
  issues: Issue[];
  institutions: Choice[];
  campaigns: Choice[];
  editing: boolean;
}) {
  const { t } = ctx;
  const title = editing ? t('programmes.form.editTitle') : t('programmes.form.newTitle');
  const v = (k: string) => str(values[k]);
  return (
    <Layout ctx={ctx} title={title} crumbs={[{ href: '/programmes/manage', label: t('programmes.manage.title') }]}>
      <h1>{title}</h1>
      <ErrorSummary ctx={ctx} issues={issues} />
      <Form ctx={ctx} action={action}>
        <SelectField
          ctx={ctx}
          name="kind"
          label={t('programmes.field.kind')}
          value={v('kind') ?? 'class'}
          issues={issues}
          required
          options={options(ctx, 'kind', programmeKinds)}
        />
        <SelectField
          ctx={ctx}
          name="institutionId"
          label={t('programmes.field.institution')}
          value={v('institutionId')}
          issues={issues}
          required
          options={institutions}
        />
        <TextField ctx={ctx} name="title" label={t('programmes.field.title')} value={v('title')} issues={issues} required />
        <TextArea ctx={ctx} name="description" label={t('programmes.field.description')} value={v('description')} issues={issues} rows={6} />
        <TextField ctx={ctx} name="venue" label={t('programmes.field.venue')} value={v('venue')} issues={issues} />
        <TextField ctx={ctx} name="onlineUrl" type="url" label={t('programmes.field.onlineUrl')} value={v('onlineUrl')} issues={issues} />
        <TextField
          ctx={ctx}
          name="startDate"
          type="date"
          label={t('programmes.field.startDate')}
          value={v('startDate')}
          issues={issues}
          required
          width="medium"
        />
        <TextField
          ctx={ctx}
          name="startTime"
          label={t('programmes.field.startTime')}
          hint={t('programmes.field.timeHint')}
          value={v('startTime')}
          issues={issues}
          required
          width="short"
        />
        <TextField
          ctx={ctx}
          name="endTime"
          label={t('programmes.field.endTime')}
          hint={t('programmes.field.timeHint')}
          value={v('endTime')}
          issues={issues}
          required
          width="short"
        />
        <SelectField
          ctx={ctx}
          name="repeat"
          label={t('programmes.field.repeat')}
          value={v('repeat') ?? 'none'}
          issues={issues}
          options={['none', 'weekly', 'biweekly', 'monthly'].map((r) => ({ value: r, label: t(messageKey(`programmes.repeat.${r}`)) }))}
        />
        <TextField
          ctx={ctx}
          name="repeatUntil"
          type="date"
          label={t('programmes.field.repeatUntil')}
          hint={t('programmes.field.repeatUntilHint')}
          value={v('repeatUntil')}
          issues={issues}
          width="medium"
        />
        <details>
          <summary>{t('programmes.field.advanced')}</summary>
          <TextField
            ctx={ctx}
            name="rrule"
            label={t('programmes.field.rrule')}
            hint={t('programmes.field.rruleHint')}
            value={v('rrule')}
            issues={issues}
          />
          <TextField
            ctx={ctx}
            name="exdates"
            label={t('programmes.field.exdates')}
            hint={t('programmes.field.exdatesHint')}
            value={v('exdates')}
            issues={issues}
          />
        </details>
        <TextField
          ctx={ctx}
          name="capacity"
          type="number"
          inputmode="numeric"
          label={t('programmes.field.capacity')}
          hint={t('programmes.field.capacityHint')}
          value={v('capacity')}
          issues={issues}
          required
          width="short"
        />
        <Checkboxes
          ctx={ctx}
          name="audiences"
          legend={t('programmes.field.audiences')}
          hint={t('programmes.field.audiencesHint')}
          options={options(ctx, 'audience', audiences)}
          checked={arr(values.audiences)}
        />
        <Checkboxes
          ctx={ctx}
          name="topics"
          legend={t('programmes.field.topics')}
          options={options(ctx, 'topic', topics)}
          checked={arr(values.topics)}
        />
        <TextField
          ctx={ctx}
          name="fee"
          type="number"
          inputmode="numeric"
          label={t('programmes.field.fee')}
          hint={t('programmes.field.feeHint')}
          value={v('fee')}
          issues={issues}
          width="medium"
        />
        <TextArea ctx={ctx} name="accessibility" label={t('programmes.field.accessibility')} value={v('accessibility')} issues={issues} rows={3} />
        <TextField ctx={ctx} name="imageUrl" type="url" label={t('programmes.field.imageUrl')} value={v('imageUrl')} issues={issues} />
        {campaigns.length ? (
          <SelectField
            ctx={ctx}
            name="campaignId"
            label={t('programmes.field.campaign')}
            value={v('campaignId')}
            issues={issues}
            blank={t('programmes.field.noCampaign')}
            options={campaigns}
          />
        ) : null}
        <Button>{editing ? t('programmes.form.save') : t('programmes.form.create')}</Button>
      </Form>
    </Layout>
  );
}

export function ManagePage({ ctx, items, canCreate }: { ctx: PageContext; items: ProgrammeView[]; canCreate: boolean }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('programmes.manage.title')} crumbs={[{ href: '/programmes', label: t('programmes.list.title') }]}>
      <h1>{t('programmes.manage.title')}</h1>
      <p>
        {canCreate ? (
          <>
            <a class="button" href="/programmes/new">
              {t('programmes.form.newTitle')}
            </a>{' '}
          </>
        ) : null}
        <a href="/programmes/stats">{t('programmes.stats.title')}</a> · <a href="/calendar/markers">{t('programmes.markers.title')}</a>
      </p>
      {items.length === 0 ? (
        <p>{t('programmes.manage.none')}</p>
      ) : (
        <div class="table-wrap" tabindex={0} role="region" aria-label={t('programmes.manage.title')}>
          <table>
            <caption class="visually-hidden">{t('programmes.manage.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('programmes.field.title')}</th>
                <th scope="col">{t('programmes.field.kind')}</th>
                <th scope="col">{t('programmes.field.status')}</th>
                <th scope="col" class="num">
                  {t('programmes.field.capacity')}
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((p) => (
                <tr key={p.id}>
                  <td>
                    <a href={p.url}>{p.title}</a>
                    <br />
                    <span class="muted">{p.institution.name}</span>
                  </td>
                  <td>{t(messageKey(`programmes.kind.${p.kind}`))}</td>
                  <td>{t(messageKey(`programmes.status.${p.status}`))}</td>
                  <td class="num">
                    {p.seatsTaken}/{p.capacity}
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
