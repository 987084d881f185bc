import QRCode from 'qrcode';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { institutionRefs, unitOptions, unitRefs, unitSubtree, unitPath, unitScope } from '../orgs/index.js';
import { can, canSomewhere, grantsOf, requireUser, type Actor } from '../platform/access.js';
import type { Db } from '../platform/db/index.js';
import { UnauthenticatedError, ValidationError, type Issue } from '../platform/errors.js';
import { dbOf, inTx, issuesOf, pageContext, sendPage } from '../platform/http/context.js';
import { parseForm } from '../platform/http/validation.js';
import { addWalkIn, checkIn, presentCounts, saveTickList, sessionSheet } from './attendance.js';
import { answerBooking, bookingsOf, createBooking, myBookings, teacherAnswer } from './bookings.js';
import {
  calendarDays, calendarEntries, createMarker, feedToken, listMarkers, markersBetween, updateMarker, type CalendarScope,
} from './calendar.js';
import { campaignCandidates, createCampaign, editableCampaign, getCampaign, listCampaigns, updateCampaign } from './campaigns.js';
import { campaignFromForm, formValues, programmeFromForm, renameRule, usesRepeat } from './forms.js';
import {
  addDays, BookingInput, CampaignEditInput, CampaignInput, DeclineInput, isDate, MarkerInput, ProposeInput, RegistrationInput, vnDate, WalkInInput, weekStart,
} from './model.js';
import { presentProgramme, presentRegistration, presentSession } from './presenters.js';
import { activeRegistration, cancelRegistration, myRegistrations, register, roster, waitlistPosition } from './registrations.js';
import {
  cancelProgramme, cancelSession, createProgramme, listSessions, managedProgrammes, manageable, offeredDates, operableInstitutions, searchProgrammes,
  setProgrammeStatus, updateProgramme, visibleProgramme, type ProgrammeRow,
} from './service.js';
import { programmeActivity, requireStaffAnywhere, statsFilter, totalsOf } from './stats.js';
import { CalendarPage, MarkerEditPage, MarkersPage, monthBounds, weekBounds, type CalendarView } from './views/calendar.js';
import { CampaignEditPage, CampaignPage, CampaignsPage, MyProgrammesPage, StatsPage } from './views/other.js';
import { ManagePage, ProgrammeDetailPage, ProgrammeFormPage, ProgrammesPage, type Choice, type FormValues } from './views/programmes.js';
import { AttendancePage, CancelProgrammePage, RegistrationsPage } from './views/staff.js';

type Q = Record<string, string | undefined>;
type Body = Record<string, unknown>;

const notices: Record<string, string> = {
  created: 'programmes.notice.created', saved: 'programmes.notice.saved', published: 'programmes.notice.published',
  unpublished: 'programmes.notice.unpublished', registered: 'programmes.notice.registered', waitlisted: 'programmes.notice.waitlisted',
  cancelled: 'programmes.notice.cancelled', sessionCancelled: 'programmes.notice.sessionCancelled', programmeCancelled: 'programmes.notice.programmeCancelled', campaignSaved: 'programmes.notice.campaignSaved', booked: 'programmes.notice.booked',
  answered: 'programmes.notice.answered', checkedIn: 'programmes.notice.checkedIn', already: 'programmes.notice.already',
  saved_list: 'programmes.notice.listSaved', walkIn: 'programmes.notice.walkIn', marker: 'programmes.notice.marker',
};

function noticeOf(req: FastifyRequest): string | undefined {
  const q = req.query as Q;
  const key = q.notice ? notices[q.notice] : undefined;
  return key ? req.t(key, { name: q.name ?? '' }) : undefined;
}

async function names(db: Db, rows: ProgrammeRow[]): Promise<Map<string, string>> {
  const refs = await institutionRefs(db, rows.map((r) => r.institutionId));
  return new Map([...refs].map(([id, r]) => [id, r.name]));
}

async function unitChoices(db: Db): Promise<Choice[]> {
  const units = await unitOptions(db, vnDate(new Date()));
  return units.map((u) => ({ value: u.id, label: u.level === 'province' ? u.name : u.level === 'district' ? `— ${u.name}` : `— — ${u.name}` }));
}

async function campaignChoices(db: Db): Promise<Choice[]> {
  return (await listCampaigns(db)).map((c) => ({ value: c.id, label: c.title }));
}

function isStaff(actor: Actor): boolean {
  return canSomewhere(actor, 'programmes.operate');
}

function requireSignedIn(req: FastifyRequest): void {
  if (req.actor.kind === 'anonymous') throw new UnauthenticatedError();
}

async function formPage(req: FastifyRequest, reply: FastifyReply, action: string, values: FormValues, issues: Issue[], editing: boolean, status = 200) {
  const db = dbOf(req);
  const own = await operableInstitutions(db, req.actor);
  const current = typeof values.institutionId === 'string' ? values.institutionId : undefined;
  if (current && !own.some((o) => o.id === current)) {
    const extra = await institutionRefs(db, [current]);
    for (const r of extra.values()) own.push({ id: r.id, name: r.name });
  }
  return sendPage(reply, <ProgrammeFormPage ctx={pageContext(req)} action={action} values={values} issues={issues}
    institutions={own.map((i) => ({ value: i.id, label: i.name }))} campaigns={await campaignChoices(db)} editing={editing} />, status);
}

function valuesOf(p: ProgrammeRow): FormValues {
  const view = presentProgramme(p, '');
  return {
    kind: p.kind, institutionId: p.institutionId, title: p.title, description: p.description, venue: p.venue ?? undefined,
    onlineUrl: p.onlineUrl ?? undefined, startDate: view.startDate, startTime: view.startTime, endTime: view.endTime,
    rrule: p.rrule ?? undefined, exdates: p.exdates.join(', '), capacity: String(p.capacity), audiences: p.audiences, topics: p.topics,
    fee: String(p.fee), accessibility: p.accessibility ?? undefined, imageUrl: p.imageUrl ?? undefined, campaignId: p.campaignId ?? undefined,
  };
}

async function detailPage(req: FastifyRequest, reply: FastifyReply, id: string, extra: { issues?: Issue[]; values?: Q; status?: number } = {}) {
  const db = dbOf(req);
  const { programme, manager } = await visibleProgramme(db, req.actor, id);
  const [sessions, inst] = await Promise.all([listSessions(db, id), names(db, [programme])]);
  let own = null;
  if (req.actor.kind === 'user' || req.actor.kind === 'token') {
    const active = await activeRegistration(db, id, req.actor.userId);
    if (active) {
      let position: number | null = null;
      if (active.status === 'waitlisted') position = await waitlistPosition(db, active);
      own = { id: active.id, status: active.status, code: active.code, position };
    }
  }
  const now = new Date();
  const next = sessions.find((s) => !s.cancelledAt && s.endsAt >= now)?.startsAt ?? null;
  return sendPage(reply, <ProgrammeDetailPage ctx={pageContext(req)} p={presentProgramme(programme, inst.get(programme.institutionId) ?? '', next)}
    sessions={sessions.map(presentSession)} manager={manager} own={own} offered={offeredDates(sessions, addDaysNow(now))}
    issues={extra.issues ?? []} notice={noticeOf(req)} values={extra.values ?? {}} />, extra.status);
}

/** Bookings are for tomorrow on: the museum needs a day to prepare. */
function addDaysNow(now: Date): Date {
  return new Date(now.getTime() + 86_400_000);
}

function calendarRange(view: CalendarView, date: string) {
  if (view === 'month') return monthBounds(date);
  if (view === 'week') return weekBounds(weekStart(date));
  return { from: date, to: addDays(date, 7), prev: addDays(date, -7), next: addDays(date, 7) };
}

async function calendarPage(req: FastifyRequest, reply: FastifyReply, scope: CalendarScope, title: string, base: string, unitIdsAbove: string[]) {
  const q = req.query as Q;
  const view: CalendarView = q.view === 'week' || q.view === 'list' ? q.view : 'month';
  const date = q.date && isDate(q.date) ? q.date : vnDate(new Date());
  const range = calendarRange(view, date);
  const db = dbOf(req);
  const [days, entries, markers, units] = await Promise.all([
    view === 'list' ? Promise.resolve([]) : calendarDays(db, scope, range.from, range.to, view === 'month' ? 3 : 20),
    view === 'list' ? calendarEntries(db, scope, range.from, range.to, 200) : Promise.resolve([]),
    markersBetween(db, scope, range.from, range.to, unitIdsAbove),
    unitChoices(db),
  ]);
  return sendPage(reply, <CalendarPage ctx={pageContext(req)} title={title} base={base} view={view} date={view === 'month' ? range.from : date}
    prev={range.prev} next={range.next} days={days} entries={entries} markers={markers} units={units}
    unitId={scope.kind === 'unit' ? scope.unitId : undefined} />);
}

function markerValues(body: Body): Record<string, string | undefined> {
  const v = formValues(body);
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, Array.isArray(x) ? x[0] : x]));
}

async function markerUnits(db: Db): Promise<Map<string, string>> {
  return new Map((await unitChoices(db)).map((c) => [c.value, c.label]));
}

async function myPage(req: FastifyRequest, reply: FastifyReply) {
  requireUser(req.actor);
  const db = dbOf(req);
  const [regs, bookings, token] = await Promise.all([myRegistrations(db, req.actor), myBookings(db, req.actor), inTx(req, (tx) => feedToken(tx, req.actor))]);
  const inst = await names(db, regs.map((r) => r.programme));
  const base = req.server.deps.config.publicUrl;
  const entries = await Promise.all(regs.map(async (r) => ({
    id: r.registration.id, status: r.registration.status, code: r.registration.code,
    qrSvg: r.registration.status === 'confirmed' ? await QRCode.toString(r.registration.code, { type: 'svg', margin: 2, width: 200, errorCorrectionLevel: 'M' }) : '',
    programme: presentProgramme(r.programme, inst.get(r.programme.institutionId) ?? '', r.nextSession),
  })));
  return sendPage(reply, <MyProgrammesPage ctx={pageContext(req)} entries={entries}
    bookings={bookings.map((b) => ({ booking: b.booking, title: b.programme.title, programmeId: b.programme.id }))}
    feedUrl={`${base}/my/calendar/${token}/feed.ics`} notice={noticeOf(req)} />);
}

export const programmePages: FastifyPluginAsyncTypebox = async (app) => {
  const hide = { schema: { hide: true } };

  app.get('/programmes', hide, async (req, reply) => {
    const q = req.query as Q;
    const db = dbOf(req);
    const values = { q: q.q, kind: q.kind, topic: q.topic, audience: q.audience, unitId: q.unitId, from: q.from, to: q.to };
    const found = await searchProgrammes(db, { ...values, page: Number(q.page) || 1 });
    const inst = await names(db, found.items.map((i) => i.programme));
    return sendPage(reply, <ProgrammesPage ctx={pageContext(req)} values={values} total={found.total} page={found.page} pageSize={found.pageSize}
      items={found.items.map((i) => presentProgramme(i.programme, inst.get(i.programme.institutionId) ?? '', i.nextSession))}
      units={await unitChoices(db)} staff={isStaff(req.actor)} />);
  });

  app.get('/programmes/manage', hide, async (req, reply) => {
    requireSignedIn(req);
    const db = dbOf(req);
    const rows = await managedProgrammes(db, req.actor);
    const inst = await names(db, rows);
    const canCreate = (await operableInstitutions(db, req.actor)).length > 0;
    return sendPage(reply, <ManagePage ctx={pageContext(req)} items={rows.map((r) => presentProgramme(r, inst.get(r.institutionId) ?? ''))} canCreate={canCreate} />);
  });

  app.get('/programmes/new', hide, async (req, reply) => {
    requireSignedIn(req);
    const own = await operableInstitutions(dbOf(req), req.actor);
    return formPage(req, reply, '/programmes', { kind: 'class', institutionId: own[0]?.id, capacity: '20', fee: '0', startTime: '08:00', endTime: '10:00' }, [], false);
  });

  app.post('/programmes', hide, async (req, reply) => {
    requireSignedIn(req);
    const body = (req.body ?? {}) as Body;
    try {
      const row = await inTx(req, (tx) => createProgramme(tx, req.actor, programmeFromForm(body)));
      return reply.redirect(`/programmes/${row.id}?notice=created`, 303);
    } catch (err) {
      const issues = issuesOf(usesRepeat(body) ? renameRule(err) : err);
      if (issues) return formPage(req, reply, '/programmes', formValues(body), issues, false, 422);
      throw err;
    }
  });

  app.get('/programmes/stats', hide, async (req, reply) => {
    requireStaffAnywhere(req.actor);
    const db = dbOf(req);
    const f = statsFilter(req.query as Q);
    const unitIds = f.unitId ? await unitSubtree(db, f.unitId) : undefined;
    const issues: Issue[] = f.to < f.from ? [{ field: 'to', key: 'programmes.errors.endBeforeStart' }] : [];
    const rows = issues.length ? [] : await programmeActivity(db, { from: f.from, to: f.to, ...(unitIds ? { unitIds } : {}) });
    const refs = await institutionRefs(db, rows.map((r) => r.institutionId));
    const nameMap = new Map([...refs].map(([id, r]) => [id, r.name]));
    return sendPage(reply, <StatsPage ctx={pageContext(req)} rows={rows} names={nameMap} totals={totalsOf(rows)} values={f} units={await unitChoices(db)} issues={issues} />, issues.length ? 422 : 200);
  });

  app.get<{ Params: { id: string } }>('/programmes/:id', hide, async (req, reply) => detailPage(req, reply, req.params.id));

  app.get<{ Params: { id: string } }>('/programmes/:id/edit', hide, async (req, reply) => {
    const { programme } = await manageable(dbOf(req), req.actor, req.params.id);
    return formPage(req, reply, `/programmes/${programme.id}`, valuesOf(programme), [], true);
  });

  app.post<{ Params: { id: string } }>('/programmes/:id', hide, async (req, reply) => {
    const body = (req.body ?? {}) as Body;
    await manageable(dbOf(req), req.actor, req.params.id);
    try {
      await inTx(req, (tx) => updateProgramme(tx, req.actor, req.params.id, programmeFromForm(body)));
      return reply.redirect(`/programmes/${req.params.id}?notice=saved`, 303);
    } catch (err) {
      const issues = issuesOf(usesRepeat(body) ? renameRule(err) : err);
      if (issues) return formPage(req, reply, `/programmes/${req.params.id}`, formValues(body), issues, true, 422);
      throw err;
    }
  });

  for (const [path, status, notice] of [['publish', 'published', 'published'], ['unpublish', 'draft', 'unpublished']] as const) {
    app.post<{ Params: { id: string } }>(`/programmes/:id/${path}`, hide, async (req, reply) => {
      await inTx(req, (tx) => setProgrammeStatus(tx, req.actor, req.params.id, status));
      return reply.redirect(`/programmes/${req.params.id}?notice=${notice}`, 303);
    });
  }

  app.post<{ Params: { id: string } }>('/programmes/:id/register', hide, async (req, reply) => {
    requireSignedIn(req);
    try {
      const input = parseForm(RegistrationInput, req.body);
      const row = await inTx(req, (tx) => register(tx, req.actor, req.params.id, input));
      return reply.redirect(`/programmes/${req.params.id}?notice=${row.status === 'confirmed' ? 'registered' : 'waitlisted'}`, 303);
    } catch (err) {
      const issues = issuesOf(err);
      if (issues) return detailPage(req, reply, req.params.id, { issues, status: (err as { status: number }).status });
      throw err;
    }
  });

  app.post<{ Params: { id: string } }>('/programmes/:id/bookings', hide, async (req, reply) => {
    requireSignedIn(req);
    const values = markerValues((req.body ?? {}) as Body);
    try {
      const input = parseForm(BookingInput, req.body);
      await inTx(req, (tx) => createBooking(tx, req.actor, req.params.id, input));
      return reply.redirect('/my/programmes?notice=booked', 303);
    } catch (err) {
      const issues = issuesOf(err);
      if (issues) return detailPage(req, reply, req.params.id, { issues, values, status: 422 });
      throw err;
    }
  });

  app.get<{ Params: { id: string } }>('/programmes/:id/registrations', hide, async (req, reply) => registrationsPage(req, reply, req.params.id, []));

  async function registrationsPage(req: FastifyRequest, reply: FastifyReply, id: string, issues: Issue[], status = 200) {
    const db = dbOf(req);
    const { programme } = await manageable(db, req.actor, id);
    const [list, sessions, inst, bookings] = await Promise.all([
      roster(db, req.actor, id), listSessions(db, id), names(db, [programme]),
      programme.kind === 'museum_education' ? bookingsOf(db, req.actor, id) : Promise.resolve([]),
    ]);
    const present = await presentCounts(db, sessions.map((s) => s.id));
    return sendPage(reply, <RegistrationsPage ctx={pageContext(req)} p={presentProgramme(programme, inst.get(programme.institutionId) ?? '')}
      confirmed={list.confirmed.map((e) => presentRegistration(e.registration, e.name))}
      waitlisted={list.waitlisted.map((e) => presentRegistration(e.registration, e.name))}
      bookings={bookings} sessions={sessions.map(presentSession)} present={present} offered={offeredDates(sessions, addDaysNow(new Date()))}
      notice={noticeOf(req)} issues={issues} />, status);
  }

  app.post<{ Params: { id: string; rid: string } }>('/programmes/:id/registrations/:rid/cancel', hide, async (req, reply) => {
    await inTx(req, (tx) => cancelRegistration(tx, req.actor, req.params.rid));
    return reply.redirect(`/programmes/${req.params.id}/registrations?notice=cancelled`, 303);
  });

  app.post<{ Params: { id: string; bid: string } }>('/programmes/:id/bookings/:bid/confirm', hide, async (req, reply) => {
    await inTx(req, (tx) => answerBooking(tx, req.actor, req.params.bid, { confirm: true }));
    return reply.redirect(`/programmes/${req.params.id}/registrations?notice=answered`, 303);
  });

  app.post<{ Params: { id: string; bid: string } }>('/programmes/:id/bookings/:bid/decline', hide, async (req, reply) => {
    try {
      const input = parseForm(DeclineInput, { reason: ((req.body ?? {}) as Q).reason?.trim() ?? '' });
      await inTx(req, (tx) => answerBooking(tx, req.actor, req.params.bid, { declineReason: input.reason }));
      return reply.redirect(`/programmes/${req.params.id}/registrations?notice=answered`, 303);
    } catch (err) {
      const issues = issuesOf(err);
      if (issues) return registrationsPage(req, reply, req.params.id, issues, 422);
      throw err;
    }
  });

  app.post<{ Params: { id: string; bid: string } }>('/programmes/:id/bookings/:bid/propose', hide, async (req, reply) => {
    try {
      const input = parseForm(ProposeInput, req.body);
      await inTx(req, (tx) => answerBooking(tx, req.actor, req.params.bid, { proposeDate: input.date, note: input.note }));
      return reply.redirect(`/programmes/${req.params.id}/registrations?notice=answered`, 303);
    } catch (err) {
      const issues = issuesOf(err);
      if (issues) return registrationsPage(req, reply, req.params.id, issues, 422);
      throw err;
    }
  });

  app.get<{ Params: { id: string } }>('/programmes/:id/cancel', hide, async (req, reply) => {
    const db = dbOf(req);
    const { programme } = await manageable(db, req.actor, req.params.id);
    if (programme.status === 'cancelled') return reply.redirect(`/programmes/${programme.id}`, 303);
    const inst = await names(db, [programme]);
    return sendPage(reply, <CancelProgrammePage ctx={pageContext(req)} p={presentProgramme(programme, inst.get(programme.institutionId) ?? '')} registrants={programme.confirmedCount} />);
  });

  app.post<{ Params: { id: string } }>('/programmes/:id/cancel', hide, async (req, reply) => {
    const body = (req.body ?? {}) as Q;
    await inTx(req, (tx) => cancelProgramme(tx, req.actor, req.params.id, body.reason?.trim() || undefined));
    return reply.redirect(`/programmes/${req.params.id}?notice=programmeCancelled`, 303);
  });

  app.post<{ Params: { id: string; sid: string } }>('/programmes/:id/sessions/:sid/cancel', hide, async (req, reply) => {
    const body = (req.body ?? {}) as Q;
    await inTx(req, (tx) => cancelSession(tx, req.actor, req.params.id, req.params.sid, body.reason?.trim() || undefined));
    return reply.redirect(`/programmes/${req.params.id}?notice=sessionCancelled`, 303);
  });

  async function attendancePage(req: FastifyRequest, reply: FastifyReply, id: string, sid: string, issues: Issue[], status = 200) {
    const sheet = await sessionSheet(dbOf(req), req.actor, id, sid);
    return sendPage(reply, <AttendancePage ctx={pageContext(req)} sheet={sheet} notice={noticeOf(req)} issues={issues} />, status);
  }

  app.get<{ Params: { id: string; sid: string } }>('/programmes/:id/sessions/:sid/attendance', hide, async (req, reply) => attendancePage(req, reply, req.params.id, req.params.sid, []));

  app.post<{ Params: { id: string; sid: string } }>('/programmes/:id/sessions/:sid/checkin', hide, async (req, reply) => {
    const body = (req.body ?? {}) as Q;
    const base = `/programmes/${req.params.id}/sessions/${req.params.sid}/attendance`;
    try {
      if (!body.code?.trim()) throw new ValidationError([{ field: 'code', key: 'errors.required' }]);
      const code = body.code;
      const result = await inTx(req, (tx) => checkIn(tx, req.actor, req.params.id, req.params.sid, code));
      const scan = body.scan === '1' ? '&scan=1' : '';
      return reply.redirect(`${base}?notice=${result.already ? 'already' : 'checkedIn'}&name=${encodeURIComponent(result.name)}${scan}`, 303);
    } catch (err) {
      const issues = issuesOf(err);
      if (issues) return attendancePage(req, reply, req.params.id, req.params.sid, issues, 422);
      throw err;
    }
  });

  app.post<{ Params: { id: string; sid: string } }>('/programmes/:id/sessions/:sid/attendance', hide, async (req, reply) => {
    const body = (req.body ?? {}) as Body;
    const list = (v: unknown) => (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string');
    await inTx(req, (tx) => saveTickList(tx, req.actor, req.params.id, req.params.sid, { registrationIds: list(body.present), bookingIds: list(body.groups) }));
    return reply.redirect(`/programmes/${req.params.id}/sessions/${req.params.sid}/attendance?notice=saved_list`, 303);
  });

  app.post<{ Params: { id: string; sid: string } }>('/programmes/:id/sessions/:sid/walk-ins', hide, async (req, reply) => {
    try {
      const input = parseForm(WalkInInput, req.body);
      await inTx(req, (tx) => addWalkIn(tx, req.actor, req.params.id, req.params.sid, input));
      return reply.redirect(`/programmes/${req.params.id}/sessions/${req.params.sid}/attendance?notice=walkIn`, 303);
    } catch (err) {
      const issues = issuesOf(err);
      if (issues) return attendancePage(req, reply, req.params.id, req.params.sid, issues, 422);
      throw err;
    }
  });

  app.get('/my/programmes', hide, async (req, reply) => myPage(req, reply));

  app.post<{ Params: { rid: string } }>('/my/registrations/:rid/cancel', hide, async (req, reply) => {
    await inTx(req, (tx) => cancelRegistration(tx, req.actor, req.params.rid));
    return reply.redirect('/my/programmes?notice=cancelled', 303);
  });

  for (const [path, accept] of [['accept', true], ['cancel', false]] as const) {
    app.post<{ Params: { bid: string } }>(`/my/bookings/:bid/${path}`, hide, async (req, reply) => {
      await inTx(req, (tx) => teacherAnswer(tx, req.actor, req.params.bid, accept));
      return reply.redirect('/my/programmes?notice=answered', 303);
    });
  }

  app.get('/calendar', hide, async (req, reply) => calendarPage(req, reply, { kind: 'all' }, req.t('programmes.calendar.title'), '/calendar', []));

  app.get('/calendar/place', hide, async (req, reply) => {
    const q = req.query as Q;
    return reply.redirect(q.unitId && /^[0-9a-f-]{36}$/i.test(q.unitId) ? `/calendar/units/${q.unitId}` : '/calendar', 303);
  });

  app.get<{ Params: { unitId: string } }>('/calendar/units/:unitId', hide, async (req, reply) => {
    const db = dbOf(req);
    const unit = (await unitRefs(db, [req.params.unitId].filter((x) => /^[0-9a-f-]{36}$/i.test(x)))).get(req.params.unitId);
    if (!unit) return reply.callNotFound();
    return calendarPage(req, reply, { kind: 'unit', unitId: unit.id, subtree: await unitSubtree(db, unit.id) }, req.t('programmes.calendar.ofPlace', { name: unit.name }), `/calendar/units/${unit.id}`, await unitPath(db, unit.id));
  });

  app.get<{ Params: { institutionId: string } }>('/calendar/institutions/:institutionId', hide, async (req, reply) => {
    const db = dbOf(req);
    const inst = (await institutionRefs(db, [req.params.institutionId].filter((x) => /^[0-9a-f-]{36}$/i.test(x)))).get(req.params.institutionId);
    if (!inst) return reply.callNotFound();
    return calendarPage(req, reply, { kind: 'institution', institutionId: inst.id }, req.t('programmes.calendar.ofInstitution', { name: inst.name }),
      `/calendar/institutions/${inst.id}`, await unitPath(db, inst.unitId));
  });

  const canEditMarkers = (actor: Actor) => canSomewhere(actor, 'units.write') || grantsOf(actor).some((g) => g.role === 'unit_officer');

  app.get('/calendar/markers', hide, async (req, reply) => {
    const db = dbOf(req);
    return sendPage(reply, <MarkersPage ctx={pageContext(req)} markers={await listMarkers(db)} units={await markerUnits(db)} issues={[]} values={{}}
      notice={noticeOf(req)} canEdit={canEditMarkers(req.actor)} />);
  });

  app.post('/calendar/markers', hide, async (req, reply) => {
    const body = (req.body ?? {}) as Body;
    try {
      const input = parseForm(MarkerInput, body);
      await inTx(req, (tx) => createMarker(tx, req.actor, input));
      return reply.redirect('/calendar/markers?notice=marker', 303);
    } catch (err) {
      const issues = issuesOf(err);
      const db = dbOf(req);
      if (issues) {
        return sendPage(reply, <MarkersPage ctx={pageContext(req)} markers={await listMarkers(db)} units={await markerUnits(db)} issues={issues}
          values={markerValues(body)} canEdit={canEditMarkers(req.actor)} />, 422);
      }
      throw err;
    }
  });

  app.get<{ Params: { id: string } }>('/calendar/markers/:id', hide, async (req, reply) => {
    const db = dbOf(req);
    const m = (await listMarkers(db)).find((x) => x.id === req.params.id);
    if (!m) return reply.callNotFound();
    const values = {
      title: m.title, day: String(m.day), month: String(m.month), year: m.year ? String(m.year) : undefined, days: String(m.days),
      unitId: m.unitId ?? undefined, hidden: m.hidden ? 'true' : undefined,
    };
    return sendPage(reply, <MarkerEditPage ctx={pageContext(req)} id={m.id} values={values} issues={[]} units={await markerUnits(db)} />);
  });

  app.post<{ Params: { id: string } }>('/calendar/markers/:id', hide, async (req, reply) => {
    const body = (req.body ?? {}) as Body;
    try {
      const input = parseForm(MarkerInput, { hidden: 'false', ...body });
      await inTx(req, (tx) => updateMarker(tx, req.actor, req.params.id, input));
      return reply.redirect('/calendar/markers?notice=marker', 303);
    } catch (err) {
      const issues = issuesOf(err);
      if (issues) return sendPage(reply, <MarkerEditPage ctx={pageContext(req)} id={req.params.id} values={markerValues(body)} issues={issues} units={await markerUnits(dbOf(req))} />, 422);
      throw err;
    }
  });

  const canCreateCampaign = (actor: Actor) => canSomewhere(actor, 'institutions.create');

  async function campaignsPage(req: FastifyRequest, reply: FastifyReply, issues: Issue[], values: Q, status = 200) {
    const db = dbOf(req);
    return sendPage(reply, <CampaignsPage ctx={pageContext(req)} campaigns={await listCampaigns(db)} canCreate={canCreateCampaign(req.actor)}
      units={await unitChoices(db)} issues={issues} values={values} />, status);
  }

  app.get('/campaigns', hide, async (req, reply) => campaignsPage(req, reply, [], {}));

  app.post('/campaigns', hide, async (req, reply) => {
    const body = (req.body ?? {}) as Body;
    try {
      const input = parseForm(CampaignInput, body);
      const row = await inTx(req, (tx) => createCampaign(tx, req.actor, input));
      return reply.redirect(`/campaigns/${row.id}`, 303);
    } catch (err) {
      const issues = issuesOf(err);
      if (issues) return campaignsPage(req, reply, issues, markerValues(body), 422);
      throw err;
    }
  });

  app.get<{ Params: { id: string } }>('/campaigns/:id', hide, async (req, reply) => {
    const db = dbOf(req);
    const { campaign, totals } = await getCampaign(db, req.params.id);
    const found = await searchProgrammes(db, { campaignId: campaign.id, from: campaign.startsOn, pageSize: 100 });
    const inst = await names(db, found.items.map((i) => i.programme));
    const canEdit = req.actor.kind !== 'anonymous' && can(req.actor, 'institutions.create', await unitScope(db, campaign.unitId));
    return sendPage(reply, <CampaignPage ctx={pageContext(req)} campaign={campaign} totals={totals} canEdit={canEdit} notice={noticeOf(req)}
      items={found.items.map((i) => presentProgramme(i.programme, inst.get(i.programme.institutionId) ?? '', i.nextSession))} />);
  });

  async function campaignEditPage(req: FastifyRequest, reply: FastifyReply, id: string, issues: Issue[], form: Record<string, unknown> | null, status = 200) {
    const db = dbOf(req);
    const campaign = await editableCampaign(db, req.actor, id);
    const rows = await campaignCandidates(db, campaign.unitId, campaign.id);
    const inst = await names(db, rows);
    const checked = form ? (form.programmeIds as string[]) : rows.filter((r) => r.campaignId === campaign.id).map((r) => r.id);
    const values = form
      ? Object.fromEntries(Object.entries(form).filter(([k]) => k !== 'programmeIds').map(([k, v]) => [k, typeof v === 'string' ? v : undefined]))
      : { title: campaign.title, description: campaign.description ?? undefined, unitId: campaign.unitId, startsOn: campaign.startsOn, endsOn: campaign.endsOn };
    return sendPage(reply, <CampaignEditPage ctx={pageContext(req)} id={campaign.id} units={await unitChoices(db)} issues={issues} values={values} checked={checked}
      candidates={rows.map((r) => ({ value: r.id, label: `${r.title} — ${inst.get(r.institutionId) ?? ''}` }))} />, status);
  }

  app.get<{ Params: { id: string } }>('/campaigns/:id/edit', hide, async (req, reply) => campaignEditPage(req, reply, req.params.id, [], null));

  app.post<{ Params: { id: string } }>('/campaigns/:id/edit', hide, async (req, reply) => {
    const form = campaignFromForm((req.body ?? {}) as Body);
    try {
      const input = parseForm(CampaignEditInput, form);
      await inTx(req, (tx) => updateCampaign(tx, req.actor, req.params.id, input));
      return reply.redirect(`/campaigns/${req.params.id}?notice=campaignSaved`, 303);
    } catch (err) {
      const issues = issuesOf(err);
      if (issues) return campaignEditPage(req, reply, req.params.id, issues, form, 422);
      throw err;
    }
  });
};
