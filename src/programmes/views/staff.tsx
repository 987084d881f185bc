import type { Issue } from '../../platform/errors.js';
import { formatDateTime, messageKey } from '../../platform/i18n/index.js';
import { Button, ErrorSummary, fieldError, Form, Notice, SelectField, TextField } from '../../platform/web/components.js';
import type { PageContext } from '../../platform/web/context.js';
import { Layout } from '../../platform/web/layout.js';
import type { SessionSheet } from '../attendance.js';
import { ageGroups } from '../model.js';
import type { BookingView, ProgrammeView, RegistrationView, SessionView } from '../presenters.js';
import { dateText, Section } from './common.js';

export function RegistrationsPage({
  ctx,
  p,
  confirmed,
  waitlisted,
  bookings,
  sessions,
  present,
  offered,
  notice,
  issues,
}: {
  ctx: PageContext;
  p: ProgrammeView;
  confirmed: RegistrationView[];
  waitlisted: RegistrationView[];
  bookings: BookingView[];
  sessions: SessionView[];
  present: Map<string, number>;
  offered: string[];
  notice?: string | undefined;
  issues: Issue[];
}) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('programmes.registrations.title')} crumbs={[{ href: p.url, label: p.title }]}>
      <h1>{t('programmes.registrations.title')}</h1>
      <p class="lead">{p.title}</p>
      {notice ? <Notice kind="success">{notice}</Notice> : null}
      <ErrorSummary ctx={ctx} issues={issues} />
      {p.kind !== 'museum_education' ? (
        <>
          <Section id="confirmed-title" title={t('programmes.registrations.confirmed', { n: confirmed.length, capacity: p.capacity })}>
            {confirmed.length === 0 ? (
              <p>{t('programmes.registrations.none')}</p>
            ) : (
              <div class="table-wrap" tabindex={0} role="region" aria-label={t('programmes.registrations.title')}>
                <table>
                  <thead>
                    <tr>
                      <th scope="col">{t('programmes.registrations.name')}</th>
                      <th scope="col">{t('programmes.registrations.code')}</th>
                      <th scope="col">{t('programmes.field.ageGroup')}</th>
                      <th scope="col">{t('common.actions')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {confirmed.map((r) => (
                      <tr key={r.id}>
                        <td>{r.name}</td>
                        <td>
                          <code>{r.code}</code>
                        </td>
                        <td>{r.ageGroup ? t(messageKey(`programmes.age.${r.ageGroup}`)) : '—'}</td>
                        <td>
                          <Form ctx={ctx} action={`/programmes/${p.id}/registrations/${r.id}/cancel`} class="inline-form">
                            <Button variant="warning">{t('programmes.registrations.cancel')}</Button>
                          </Form>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </Section>
          <Section id="waitlist-title" title={t('programmes.registrations.waitlist', { n: waitlisted.length })}>
            {waitlisted.length === 0 ? (
              <p>{t('programmes.registrations.noneWaiting')}</p>
            ) : (
              <ol>
                {waitlisted.map((r) => (
                  <li key={r.id}>{r.name}</li>
                ))}
              </ol>
            )}
          </Section>
        </>
      ) : (
        <Section id="bookings-title" title={t('programmes.bookings.title')}>
          {bookings.length === 0 ? (
            <p>{t('programmes.bookings.none')}</p>
          ) : (
            <ul class="cards">
              {bookings.map((b) => (
                <li class="card" key={b.id}>
                  <h3>
                    {b.school}
                    {b.className ? ` — ${b.className}` : ''}
                  </h3>
                  <p>{t('programmes.bookings.summary', { pupils: b.pupils, date: dateText(ctx, b.date) })}</p>
                  <p>
                    <span class="tag">{t(messageKey(`programmes.bookingStatus.${b.status}`))}</span>
                    {b.proposedDate ? ` ${t('programmes.bookings.proposedOn', { date: dateText(ctx, b.proposedDate) })}` : ''}
                  </p>
                  {b.note ? <p class="muted">{b.note}</p> : null}
                  {b.status === 'requested' || b.status === 'proposed' ? (
                    <>
                      <Form ctx={ctx} action={`/programmes/${p.id}/bookings/${b.id}/confirm`} class="inline-form">
                        <Button>{t('programmes.bookings.confirm')}</Button>
                      </Form>
                      <Form ctx={ctx} action={`/programmes/${p.id}/bookings/${b.id}/propose`}>
                        <div class="field">
                          <label for={`f-date-${b.id}`}>{t('programmes.bookings.propose')}</label>
                          <select id={`f-date-${b.id}`} name="date" class="input" required>
                            {offered
                              .filter((d) => d !== b.date)
                              .map((d) => (
                                <option key={d} value={d}>
                                  {dateText(ctx, d)}
                                </option>
                              ))}
                          </select>
                        </div>
                        <Button variant="secondary">{t('programmes.bookings.proposeSubmit')}</Button>
                      </Form>
                    </>
                  ) : null}
                  {b.status === 'requested' || b.status === 'proposed' || b.status === 'confirmed' ? (
                    <Form ctx={ctx} action={`/programmes/${p.id}/bookings/${b.id}/decline`}>
                      <div class="field">
                        <label for={`f-reason-${b.id}`}>{t('programmes.bookings.declineReason')}</label>
                        <p class="hint" id={`f-reason-${b.id}-hint`}>
                          {t('programmes.bookings.declineHint')}
                        </p>
                        <input
                          id={`f-reason-${b.id}`}
                          name="reason"
                          class="input"
                          required
                          maxLength={2000}
                          aria-describedby={`f-reason-${b.id}-hint`}
                        />
                      </div>
                      <Button variant="warning">{t('programmes.bookings.decline')}</Button>
                    </Form>
                  ) : null}
                </li>
              ))}
            </ul>
          )}
        </Section>
      )}
      <Section id="sessions-title" title={t('programmes.sessions.title')}>
        <div class="table-wrap" tabindex={0} role="region" aria-label={t('programmes.sessions.title')}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('programmes.sessions.when')}</th>
                <th scope="col" class="num">
                  {t('programmes.sessions.present')}
                </th>
                <th scope="col">{t('common.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {sessions.slice(0, 200).map((s) => (
                <tr key={s.id}>
                  <td>
                    {formatDateTime(ctx.locale, s.startsAt)}
                    {s.cancelled ? (
                      <>
                        {' '}
                        <span class="tag tag--ended">{t('programmes.sessions.cancelled')}</span>
                      </>
                    ) : null}
                  </td>
                  <td class="num">{present.get(s.id) ?? 0}</td>
                  <td>{s.cancelled ? null : <a href={`/programmes/${p.id}/sessions/${s.id}/attendance`}>{t('programmes.attendance.take')}</a>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Section>
    </Layout>
  );
}

export function AttendancePage({
  ctx,
  sheet,
  notice,
  issues,
}: {
  ctx: PageContext;
  sheet: SessionSheet;
  notice?: string | undefined;
  issues: Issue[];
}) {
  const { t } = ctx;
  const base = `/programmes/${sheet.programme.id}/sessions/${sheet.session.id}`;
  return (
    <Layout
      ctx={ctx}
      title={t('programmes.attendance.title')}
      crumbs={[{ href: `/programmes/${sheet.programme.id}/registrations`, label: sheet.programme.title }]}
    >
      <h1>{t('programmes.attendance.title')}</h1>
      <p class="lead">
        {sheet.programme.title} — {formatDateTime(ctx.locale, sheet.session.startsAt)}
      </p>
      <p role="status">{t('programmes.attendance.presentCount', { n: sheet.present })}</p>
      {notice ? <Notice kind="success">{notice}</Notice> : null}
      <ErrorSummary ctx={ctx} issues={issues} />
      <Section id="scan-title" title={t('programmes.attendance.scan')}>
        <div data-qr-scanner hidden>
          <p>{t('programmes.attendance.scanHint')}</p>
          <button type="button" class="button button--secondary" data-qr-start>
            {t('programmes.attendance.startCamera')}
          </button>
          <video data-qr-video playsInline muted aria-label={t('programmes.attendance.camera')} width={320} height={240} hidden></video>
        </div>
        <Form ctx={ctx} action={`${base}/checkin`}>
          <TextField
            ctx={ctx}
            name="code"
            label={t('programmes.attendance.code')}
            hint={t('programmes.attendance.codeHint')}
            issues={issues}
            autocomplete="off"
            required
            width="medium"
          />
          <Button>{t('programmes.attendance.checkIn')}</Button>
        </Form>
      </Section>
      <Section id="list-title" title={t('programmes.attendance.list')}>
        {sheet.entries.length === 0 && sheet.bookings.length === 0 ? (
          <p>{t('programmes.registrations.none')}</p>
        ) : (
          <Form ctx={ctx} action={`${base}/attendance`}>
            <fieldset class="field">
              <legend>{t('programmes.attendance.tick')}</legend>
              {sheet.entries.map((e) => (
                <div class="field--checkbox" key={e.registrationId}>
                  <input type="checkbox" id={`r-${e.registrationId}`} name="present" value={e.registrationId} checked={e.present} />
                  <label for={`r-${e.registrationId}`}>
                    {e.name} <code>{e.code}</code>
                  </label>
                </div>
              ))}
              {sheet.bookings.map((b) => (
                <div class="field--checkbox" key={b.id}>
                  <input type="checkbox" id={`b-${b.id}`} name="groups" value={b.id} checked={b.present} />
                  <label for={`b-${b.id}`}>{t('programmes.attendance.group', { school: b.school, pupils: b.pupils })}</label>
                </div>
              ))}
            </fieldset>
            <Button>{t('programmes.attendance.save')}</Button>
          </Form>
        )}
      </Section>
      <Section id="walkin-title" title={t('programmes.attendance.walkIns')}>
        {sheet.walkIns.length ? (
          <ul>
            {sheet.walkIns.map((w) => (
              <li key={w.id}>
                {w.name}
                {w.ageGroup ? ` (${t(messageKey(`programmes.age.${w.ageGroup}`))})` : ''}
              </li>
            ))}
          </ul>
        ) : null}
        <Form ctx={ctx} action={`${base}/walk-ins`}>
          <TextField ctx={ctx} name="name" label={t('programmes.attendance.walkInName')} issues={issues} required />
          <SelectField
            ctx={ctx}
            name="ageGroup"
            label={t('programmes.field.ageGroup')}
            blank={t('programmes.age.unsaid')}
            options={ageGroups.map((a) => ({ value: a, label: t(`programmes.age.${a}`) }))}
          />
          <Button variant="secondary">{t('programmes.attendance.addWalkIn')}</Button>
        </Form>
      </Section>
      {sheet.session.cancelledAt ? null : (
        <Section id="cancel-title" title={t('programmes.sessions.cancel')}>
          <Form ctx={ctx} action={`${base}/cancel`}>
            <TextField ctx={ctx} name="reason" label={t('programmes.sessions.reason')} hint={t('programmes.sessions.reasonHint')} />
            <Button variant="warning">{t('programmes.sessions.cancel')}</Button>
          </Form>
        </Section>
      )}
      <script src="/programmes/assets/checkin.js" defer></script>
    </Layout>
  );
}

/** The confirmation step before a whole programme is cancelled; a plain form, no script needed. */
export function CancelProgrammePage({ ctx, p, registrants }: { ctx: PageContext; p: ProgrammeView; registrants: number }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('programmes.cancelProgramme.title', { title: p.title })} crumbs={[{ href: p.url, label: p.title }]}>
      <h1>{t('programmes.cancelProgramme.title', { title: p.title })}</h1>
      <p class="lead">{t('programmes.cancelProgramme.lead', { n: registrants })}</p>
      <Form ctx={ctx} action={`/programmes/${p.id}/cancel`}>
        <TextField ctx={ctx} name="reason" label={t('programmes.sessions.reason')} hint={t('programmes.sessions.reasonHint')} />
        <Button variant="warning">{t('programmes.cancelProgramme.confirm')}</Button>
      </Form>
      <p>
        <a href={p.url}>{t('programmes.cancelProgramme.back')}</a>
      </p>
    </Layout>
  );
}

/** Uploading a programme's picture; the CSRF token rides in the address, as multipart bodies are read later. */
export function ImageUploadPage({ ctx, p, issues }: { ctx: PageContext; p: ProgrammeView; issues: Issue[] }) {
  const { t } = ctx;
  const error = fieldError(ctx, issues, 'image');
  return (
    <Layout ctx={ctx} title={t('programmes.image.title')} crumbs={[{ href: p.url, label: p.title }]}>
      <h1>{t('programmes.image.title')}</h1>
      <ErrorSummary ctx={ctx} issues={issues} />
      {p.imageUrl ? <img src={p.imageUrl} alt="" /> : null}
      <Form ctx={ctx} action={`/programmes/${p.id}/image`} multipart>
        <div class={`field${error ? ' field--error' : ''}`}>
          <label for="f-image">{t('programmes.image.file')}</label>
          <p class="hint" id="f-image-hint">
            {t('programmes.image.hint')}
          </p>
          {error ? (
            <p class="field-error" id="f-image-error">
              <span class="visually-hidden">{t('errors.title')}: </span>
              {error}
            </p>
          ) : null}
          <input
            type="file"
            id="f-image"
            name="image"
            class="input"
            accept="image/jpeg,image/png,image/webp"
            required
            aria-describedby={error ? 'f-image-hint f-image-error' : 'f-image-hint'}
          />
        </div>
        <Button>{t('programmes.image.submit')}</Button>
      </Form>
      <p>
        <a href={`/programmes/${p.id}/edit`}>{t('programmes.image.orUrl')}</a>
      </p>
    </Layout>
  );
}
