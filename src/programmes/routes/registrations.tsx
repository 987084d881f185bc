import QRCode from 'qrcode';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { requireUser } from '../../platform/access.js';
import type { Issue } from '../../platform/errors.js';
import { dbOf, inTx, pageContext, sendPage } from '../../platform/http/context.js';
import { submitForm } from '../../platform/http/forms.js';
import { presentCounts } from '../attendance.js';
import { bookingsOf, myBookings } from '../bookings.js';
import { feedToken } from '../calendar.js';
import { RegistrationInput } from '../model.js';
import { presentBooking, presentProgramme, presentRegistration, presentSession } from '../presenters.js';
import { cancelRegistration, myRegistrations, register, roster } from '../registrations.js';
import { listSessions, manageable, offeredDates } from '../service.js';
import { MyProgrammesPage } from '../views/other.js';
import { RegistrationsPage } from '../views/staff.js';
import { addDaysNow, detailPage, IdParams, names, NoticeQuery, noticeOf, RegistrationParams, requireSignedIn } from './common.js';
import { Uuid } from '../../platform/http/schemas.js';

/** A programme's registrations and bookings as its staff see them; with a refused answer, shown again with its issues. */
export async function registrationsPage(req: FastifyRequest, reply: FastifyReply, id: string, issues: Issue[], status = 200) {
  const db = dbOf(req);
  const { programme } = await manageable(db, req.actor, id);
  const [list, sessions, inst, bookings] = await Promise.all([
    roster(db, req.actor, id),
    listSessions(db, id),
    names(db, [programme]),
    programme.kind === 'museum_education' ? bookingsOf(db, req.actor, id) : Promise.resolve([]),
  ]);
  const present = await presentCounts(
    db,
    sessions.map((s) => s.id),
  );
  return sendPage(
    reply,
    <RegistrationsPage
      ctx={pageContext(req)}
      p={presentProgramme(programme, inst.get(programme.institutionId) ?? '')}
      confirmed={list.confirmed.map((e) => presentRegistration(e.registration, e.name))}
      waitlisted={list.waitlisted.map((e) => presentRegistration(e.registration, e.name))}
      bookings={bookings.map(presentBooking)}
      sessions={sessions.map(presentSession)}
      present={present}
      offered={offeredDates(sessions, addDaysNow(new Date()))}
      notice={noticeOf(req)}
      issues={issues}
    />,
    status,
  );
}

async function myPage(req: FastifyRequest, reply: FastifyReply) {
  requireUser(req.actor);
  const db = dbOf(req);
  const [regs, bookings, token] = await Promise.all([
    myRegistrations(db, req.actor),
    myBookings(db, req.actor),
    inTx(req, (tx) => feedToken(tx, req.actor)),
  ]);
  const inst = await names(
    db,
    regs.map((r) => r.programme),
  );
  const base = req.server.deps.config.publicUrl;
  const entries = await Promise.all(
    regs.map(async (r) => ({
      id: r.registration.id,
      status: r.registration.status,
      code: r.registration.code,
      qrSvg:
        r.registration.status === 'confirmed'
          ? await QRCode.toString(r.registration.code, { type: 'svg', margin: 2, width: 200, errorCorrectionLevel: 'M' })
          : '',
      programme: presentProgramme(r.programme, inst.get(r.programme.institutionId) ?? '', r.nextSession),
    })),
  );
  return sendPage(
    reply,
    <MyProgrammesPage
      ctx={pageContext(req)}
      entries={entries}
      bookings={bookings.map((b) => ({ booking: presentBooking(b.booking), title: b.programme.title, programmeId: b.programme.id }))}
      feedUrl={`${base}/my/calendar/${token}/feed.ics`}
      notice={noticeOf(req)}
    />,
  );
}

/** Registering for a programme, the staff's list of registrations, and a person's own programmes. */
export const registrationPages: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/programmes/:id/register', { schema: { hide: true, params: IdParams } }, async (req, reply) => {
    requireSignedIn(req);
    return submitForm(req, reply, {
      schema: RegistrationInput,
      run: (tx, input) => register(tx, req.actor, req.params.id, input),
      redirect: (row) => `/programmes/${req.params.id}?notice=${row.status === 'confirmed' ? 'registered' : 'waitlisted'}`,
      redisplay: (issues, _values, status) => detailPage(req, reply, req.params.id, { issues, status }),
    });
  });

  app.get('/programmes/:id/registrations', { schema: { hide: true, params: IdParams, querystring: NoticeQuery } }, async (req, reply) =>
    registrationsPage(req, reply, req.params.id, []),
  );

  app.post('/programmes/:id/registrations/:rid/cancel', { schema: { hide: true, params: RegistrationParams } }, async (req, reply) => {
    await inTx(req, (tx) => cancelRegistration(tx, req.actor, req.params.rid));
    return reply.redirect(`/programmes/${req.params.id}/registrations?notice=cancelled`, 303);
  });

  app.get('/my/programmes', { schema: { hide: true, querystring: NoticeQuery } }, async (req, reply) => myPage(req, reply));

  app.post('/my/registrations/:rid/cancel', { schema: { hide: true, params: Type.Object({ rid: Uuid }) } }, async (req, reply) => {
    await inTx(req, (tx) => cancelRegistration(tx, req.actor, req.params.rid));
    return reply.redirect('/my/programmes?notice=cancelled', 303);
  });
};
