import type { Issue } from '../../platform/errors.js';
import { Button, ErrorSummary, Form, Notice, SelectField, TextField, CheckboxField, qs } from '../../platform/web/components.js';
import type { PageContext } from '../../platform/web/context.js';
import { Layout } from '../../platform/web/layout.js';
import type { CalendarEntry, DaySummary, MarkerDay } from '../calendar.js';
import type { MarkerView } from '../presenters.js';
import { addDays, vnTime } from '../model.js';
import { dateText, Section } from './common.js';
import type { Choice } from './programmes.js';

export type CalendarView = 'month' | 'week' | 'list';

export interface CalendarPageProps {
  ctx: PageContext;
  title: string;
  base: string;
  view: CalendarView;
  date: string;
  prev: string;
  next: string;
  days: DaySummary[];
  entries: CalendarEntry[];
  markers: MarkerDay[];
  units: Choice[];
  unitId?: string | undefined;
}

const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

function MarkerTags({ markers }: { markers: MarkerDay[] }) {
  return (
    <>
      {markers.map((m) => (
        <span class="tag" key={m.marker.id}>
          {m.marker.title}
        </span>
      ))}
    </>
  );
}

function EntryLine({ ctx, e, withDate }: { ctx: PageContext; e: CalendarEntry; withDate?: boolean }) {
  return (
    <li>
      {withDate ? `${dateText(ctx, e.startsAt.toISOString())} ` : ''}
      {vnTime(e.startsAt)}–{vnTime(e.endsAt)} <a href={`/programmes/${e.programmeId}`}>{e.title}</a>
      {e.institutionName ? <span class="muted"> · {e.institutionName}</span> : null}
      {e.cancelled ? (
        <>
          {' '}
          <span class="tag tag--ended">{ctx.t('programmes.sessions.cancelled')}</span>
        </>
      ) : null}
    </li>
  );
}

/** A small month of day numbers that fits a phone; each day links to its list, with its count. */
function MonthGrid({ ctx, base, days, markers }: { ctx: PageContext; base: string; days: DaySummary[]; markers: MarkerDay[] }) {
  const first = days[0];
  if (!first) return null;
  const lead = (new Date(`${first.date}T00:00:00Z`).getUTCDay() + 6) % 7;
  const cells: Array<DaySummary | null> = [...Array<null>(lead).fill(null), ...days];
  while (cells.length % 7) cells.push(null);
  const weeks: Array<Array<DaySummary | null>> = [];
  for (let i = 0; i < cells.length; i += 7) weeks.push(cells.slice(i, i + 7));
  return (
    <table class="calendar-month">
      <caption class="visually-hidden">{ctx.t('programmes.calendar.month')}</caption>
      <thead>
        <tr>
          {weekdays.map((d) => (
            <th scope="col" key={d}>
              <abbr title={ctx.t(`programmes.weekday.${d}`)}>{ctx.t(`programmes.weekdayShort.${d}`)}</abbr>
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {weeks.map((w, i) => (
          <tr key={i}>
            {w.map((d, j) => {
              if (!d) return <td key={`e${j}`}></td>;
              const marked = markers.filter((m) => m.date === d.date);
              return (
                <td key={d.date}>
                  <a href={`${base}${qs({ view: 'list', date: d.date })}`}>
                    {marked.length ? <strong>{Number(d.date.slice(8))}</strong> : Number(d.date.slice(8))}
                    <span class="visually-hidden">
                      {' '}
                      — {ctx.t('programmes.calendar.dayLabel', { date: dateText(ctx, d.date), n: d.count })}
                      {marked.length ? `, ${marked.map((m) => m.marker.title).join(', ')}` : ''}
                    </span>
                  </a>
                  {d.count ? (
                    <>
                      <br />
                      <span class="muted" aria-hidden="true">
                        {d.count}
                      </span>
                    </>
                  ) : null}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The days that have something on, each with its marked days and first few sessions. */
function DayList({ ctx, base, days, markers, all }: { ctx: PageContext; base: string; days: DaySummary[]; markers: MarkerDay[]; all: boolean }) {
  const shown = all ? days : days.filter((d) => d.count > 0 || markers.some((m) => m.date === d.date));
  if (shown.length === 0) return <p>{ctx.t('programmes.calendar.nothing')}</p>;
  return (
    <>
      {shown.map((d) => (
        <section key={d.date} aria-labelledby={`d-${d.date}`}>
          <h2 id={`d-${d.date}`}>
            {ctx.t(`programmes.weekday.${weekdays[(new Date(`${d.date}T00:00:00Z`).getUTCDay() + 6) % 7] ?? 'mon'}`)} {dateText(ctx, d.date)}
          </h2>
          <MarkerTags markers={markers.filter((m) => m.date === d.date)} />
          {d.first.length === 0 ? (
            <p class="muted">{ctx.t('programmes.calendar.nothing')}</p>
          ) : (
            <ul>
              {d.first.map((e) => (
                <EntryLine key={e.sessionId} ctx={ctx} e={e} />
              ))}
            </ul>
          )}
          {d.count > d.first.length ? (
            <p>
              <a href={`${base}${qs({ view: 'list', date: d.date })}`}>{ctx.t('programmes.calendar.more', { n: d.count - d.first.length })}</a>
            </p>
          ) : null}
        </section>
      ))}
    </>
  );
}

export function CalendarPage(p: CalendarPageProps) {
  const { ctx } = p;
  const { t } = ctx;
  const views: CalendarView[] = ['month', 'week', 'list'];
  return (
    <Layout ctx={ctx} title={p.title}>
      <h1>{p.title}</h1>
      <nav aria-label={t('programmes.calendar.views')}>
        <p>
          {views.map((v, i) => (
            <span key={v}>
              {i ? ' · ' : ''}
              {v === p.view ? (
                <strong aria-current="page">{t(`programmes.calendar.${v}`)}</strong>
              ) : (
                <a href={`${p.base}${qs({ view: v, date: p.date })}`}>{t(`programmes.calendar.${v}`)}</a>
              )}
            </span>
          ))}
        </p>
        <p>
          <a href={`${p.base}${qs({ view: p.view, date: p.prev })}`} rel="prev">
            ← {t('programmes.calendar.prev')}
          </a>
          {' · '}
          <strong>
            {p.view === 'month'
              ? t('programmes.calendar.monthOf', { month: Number(p.date.slice(5, 7)), year: p.date.slice(0, 4) })
              : dateText(ctx, p.date)}
          </strong>
          {' · '}
          <a href={`${p.base}${qs({ view: p.view, date: p.next })}`} rel="next">
            {t('programmes.calendar.next')} →
          </a>
        </p>
      </nav>
      <Form ctx={ctx} action="/calendar/place" method="get" class="filters">
        <SelectField
          ctx={ctx}
          name="unitId"
          label={t('programmes.search.place')}
          value={p.unitId}
          blank={t('programmes.calendar.province')}
          options={p.units}
        />
        <Button variant="secondary">{t('programmes.calendar.show')}</Button>
      </Form>
      {p.view === 'month' ? <MonthGrid ctx={ctx} base={p.base} days={p.days} markers={p.markers} /> : null}
      {p.view === 'month' || p.view === 'week' ? <DayList ctx={ctx} base={p.base} days={p.days} markers={p.markers} all={p.view === 'week'} /> : null}
      {p.view === 'list' ? (
        <>
          {p.markers.length ? (
            <p>
              <MarkerTags markers={p.markers} />
            </p>
          ) : null}
          {p.entries.length === 0 ? (
            <p>{t('programmes.calendar.nothing')}</p>
          ) : (
            <ul>
              {p.entries.map((e) => (
                <EntryLine key={e.sessionId} ctx={ctx} e={e} withDate />
              ))}
            </ul>
          )}
        </>
      ) : null}
      <p>
        <a href={`${p.base}/feed.ics`} type="text/calendar">
          {t('programmes.calendar.subscribe')}
        </a>
      </p>
    </Layout>
  );
}

export function MarkersPage({
  ctx,
  markers,
  units,
  issues,
  values,
  notice,
  canEdit,
}: {
  ctx: PageContext;
  markers: MarkerView[];
  units: Map<string, string>;
  issues: Issue[];
  values: Record<string, string | undefined>;
  notice?: string | undefined;
  canEdit: boolean;
}) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('programmes.markers.title')} crumbs={[{ href: '/calendar', label: t('programmes.nav.calendar') }]}>
      <h1>{t('programmes.markers.title')}</h1>
      <p class="lead">{t('programmes.markers.lead')}</p>
      {notice ? <Notice kind="success">{notice}</Notice> : null}
      <div class="table-wrap" tabindex={0} role="region" aria-label={t('programmes.markers.title')}>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('programmes.markers.date')}</th>
              <th scope="col">{t('programmes.field.title')}</th>
              <th scope="col">{t('programmes.markers.where')}</th>
              {canEdit ? <th scope="col">{t('common.actions')}</th> : null}
            </tr>
          </thead>
          <tbody>
            {markers.map((m) => (
              <tr key={m.id}>
                <td>
                  {`${String(m.day).padStart(2, '0')}/${String(m.month).padStart(2, '0')}${m.year ? `/${m.year}` : ''}`}
                  {m.days > 1 ? ` (${t('programmes.markers.days', { n: m.days })})` : ''}
                </td>
                <td>
                  {m.title}
                  {m.hidden ? (
                    <>
                      {' '}
                      <span class="tag tag--ended">{t('programmes.markers.hidden')}</span>
                    </>
                  ) : null}
                </td>
                <td>{m.unitId ? (units.get(m.unitId) ?? '') : t('programmes.markers.national')}</td>
                {canEdit ? (
                  <td>
                    <a href={`/calendar/markers/${m.id}`}>{t('programmes.edit')}</a>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {canEdit ? (
        <Section id="add-marker" title={t('programmes.markers.add')}>
          <ErrorSummary ctx={ctx} issues={issues} />
          <MarkerForm ctx={ctx} action="/calendar/markers" values={values} issues={issues} units={units} />
        </Section>
      ) : null}
    </Layout>
  );
}

export function MarkerForm({
  ctx,
  action,
  values,
  issues,
  units,
}: {
  ctx: PageContext;
  action: string;
  values: Record<string, string | undefined>;
  issues: Issue[];
  units: Map<string, string>;
}) {
  const { t } = ctx;
  return (
    <Form ctx={ctx} action={action}>
      <TextField ctx={ctx} name="title" label={t('programmes.field.title')} value={values.title} issues={issues} required />
      <TextField
        ctx={ctx}
        name="day"
        type="number"
        inputmode="numeric"
        label={t('programmes.markers.day')}
        value={values.day}
        issues={issues}
        required
        width="short"
      />
      <TextField
        ctx={ctx}
        name="month"
        type="number"
        inputmode="numeric"
        label={t('programmes.markers.month')}
        value={values.month}
        issues={issues}
        required
        width="short"
      />
      <TextField
        ctx={ctx}
        name="year"
        type="number"
        inputmode="numeric"
        label={t('programmes.markers.year')}
        hint={t('programmes.markers.yearHint')}
        value={values.year}
        issues={issues}
        width="short"
      />
      <TextField
        ctx={ctx}
        name="days"
        type="number"
        inputmode="numeric"
        label={t('programmes.markers.length')}
        value={values.days ?? '1'}
        issues={issues}
        width="short"
      />
      <SelectField
        ctx={ctx}
        name="unitId"
        label={t('programmes.markers.where')}
        value={values.unitId}
        issues={issues}
        blank={t('programmes.markers.national')}
        options={[...units].map(([value, label]) => ({ value, label }))}
      />
      <CheckboxField ctx={ctx} name="hidden" label={t('programmes.markers.hide')} checked={values.hidden === 'true'} />
      <Button>{t('programmes.form.save')}</Button>
    </Form>
  );
}

export function MarkerEditPage({
  ctx,
  values,
  issues,
  units,
  id,
}: {
  ctx: PageContext;
  values: Record<string, string | undefined>;
  issues: Issue[];
  units: Map<string, string>;
  id: string;
}) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('programmes.markers.edit')} crumbs={[{ href: '/calendar/markers', label: t('programmes.markers.title') }]}>
      <h1>{t('programmes.markers.edit')}</h1>
      <ErrorSummary ctx={ctx} issues={issues} />
      <MarkerForm ctx={ctx} action={`/calendar/markers/${id}`} values={values} issues={issues} units={units} />
    </Layout>
  );
}

export function monthBounds(date: string): { from: string; to: string; prev: string; next: string } {
  const from = `${date.slice(0, 7)}-01`;
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  const to = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
  const prev = m === 1 ? `${y - 1}-12-01` : `${y}-${String(m - 1).padStart(2, '0')}-01`;
  return { from, to, prev, next: to };
}

export function weekBounds(monday: string): { from: string; to: string; prev: string; next: string } {
  return { from: monday, to: addDays(monday, 7), prev: addDays(monday, -7), next: addDays(monday, 7) };
}
