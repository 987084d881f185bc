import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { institutionRefs, unitSubtree } from '../../orgs/index.js';
import { ValidationError } from '../../platform/errors.js';
import { dbOf, inTx } from '../../platform/http/context.js';
import { checkIn, addWalkIn, sessionSheet } from '../attendance.js';
import { CancelSessionInput, CheckInInput, PeriodQuery, ProgrammeInput, RegistrationInput, WalkInInput } from '../model.js';
import {
  ActivityOut,
  presentActivity,
  presentProgramme,
  presentRegistration,
  presentSession,
  ProgrammeOut,
  RegistrationOut,
  SessionOut,
} from '../presenters.js';
import { cancelRegistration, myRegistrations, register, roster } from '../registrations.js';
import {
  cancelProgramme,
  cancelSession,
  createProgramme,
  listSessions,
  setProgrammeStatus,
  searchProgrammes,
  updateProgramme,
  visibleProgramme,
  type ProgrammeRow,
} from '../service.js';
import { programmeActivity, requireStaffAnywhere } from '../stats.js';
import { created, errors, IdParams, SessionParams, tags, writeSecurity } from './api-common.js';
import { bookingApi } from './api-bookings.js';
import { calendarApi } from './api-calendar.js';
import type { Db } from '../../platform/db/index.js';
import { IsoDate, Page, PageQuery, Uuid } from '../../platform/http/schemas.js';

async function nameOf(db: Db, rows: ProgrammeRow[]): Promise<Map<string, string>> {
  const refs = await institutionRefs(
    db,
    rows.map((r) => r.institutionId),
  );
  return new Map([...refs].map(([id, r]) => [id, r.name]));
}

const SearchQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 200 })),
  kind: Type.Optional(Type.String()),
  topic: Type.Optional(Type.String()),
  audience: Type.Optional(Type.String()),
  unitId: Type.Optional(Uuid),
  institutionId: Type.Optional(Uuid),
  campaignId: Type.Optional(Uuid),
  from: Type.Optional(IsoDate),
  to: Type.Optional(IsoDate),
  ...PageQuery,
});

export const programmeApi: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(bookingApi);
  await app.register(calendarApi);
  app.get(
    '/api/v1/programmes',
    {
      schema: { tags, summary: 'Search published programmes', querystring: SearchQuery, response: { 200: Page(ProgrammeOut), ...errors } },
    },
    async (req) => {
      const db = dbOf(req);
      const found = await searchProgrammes(db, req.query);
      const names = await nameOf(
        db,
        found.items.map((i) => i.programme),
      );
      return { ...found, items: found.items.map((i) => presentProgramme(i.programme, names.get(i.programme.institutionId) ?? '', i.nextSession)) };
    },
  );

  app.post(
    '/api/v1/programmes',
    {
      schema: {
        tags,
        summary: 'Create a programme (as a draft)',
        security: writeSecurity,
        body: ProgrammeInput,
        response: { 201: ProgrammeOut, ...errors },
      },
    },
    async (req, reply) => {
      const row = await inTx(req, (tx) => createProgramme(tx, req.actor, req.body));
      created(reply);
      return presentProgramme(row, (await nameOf(dbOf(req), [row])).get(row.institutionId) ?? '');
    },
  );

  app.get(
    '/api/v1/programmes/:id',
    {
      schema: { tags, summary: 'A programme', params: IdParams, response: { 200: ProgrammeOut, ...errors } },
    },
    async (req) => {
      const db = dbOf(req);
      const { programme } = await visibleProgramme(db, req.actor, req.params.id);
      return presentProgramme(programme, (await nameOf(db, [programme])).get(programme.institutionId) ?? '');
    },
  );

  app.put(
    '/api/v1/programmes/:id',
    {
      schema: {
        tags,
        summary: 'Replace a programme',
        security: writeSecurity,
        params: IdParams,
        body: ProgrammeInput,
        response: { 200: ProgrammeOut, ...errors },
      },
    },
    async (req) => {
      const row = await inTx(req, (tx) => updateProgramme(tx, req.actor, req.params.id, req.body));
      return presentProgramme(row, (await nameOf(dbOf(req), [row])).get(row.institutionId) ?? '');
    },
  );

  for (const [path, status] of [
    ['publish', 'published'],
    ['unpublish', 'draft'],
  ] as const) {
    app.post(
      `/api/v1/programmes/:id/${path}`,
      {
        schema: {
          tags,
          summary: path === 'publish' ? 'Publish a programme' : 'Take a programme back to draft',
          security: writeSecurity,
          params: IdParams,
          response: { 200: ProgrammeOut, ...errors },
        },
      },
      async (req) => {
        const row = await inTx(req, (tx) => setProgrammeStatus(tx, req.actor, req.params.id, status));
        return presentProgramme(row, (await nameOf(dbOf(req), [row])).get(row.institutionId) ?? '');
      },
    );
  }

  app.post(
    '/api/v1/programmes/:id/cancel',
    {
      schema: {
        tags,
        summary: 'Cancel a whole programme: its sessions ahead are cancelled and registrants and booked schools are told',
        security: writeSecurity,
        params: IdParams,
        body: CancelSessionInput,
        response: { 200: ProgrammeOut, ...errors },
      },
    },
    async (req) => {
      const row = await inTx(req, (tx) => cancelProgramme(tx, req.actor, req.params.id, req.body.reason));
      return presentProgramme(row, (await nameOf(dbOf(req), [row])).get(row.institutionId) ?? '');
    },
  );

  app.get(
    '/api/v1/programmes/:id/sessions',
    {
      schema: { tags, summary: 'Sessions of a programme', params: IdParams, response: { 200: Type.Array(SessionOut), ...errors } },
    },
    async (req) => {
      const db = dbOf(req);
      await visibleProgramme(db, req.actor, req.params.id);
      return (await listSessions(db, req.params.id)).map(presentSession);
    },
  );

  app.post(
    '/api/v1/programmes/:id/sessions/:sid/cancel',
    {
      schema: {
        tags,
        summary: 'Cancel one session (registrants are told)',
        security: writeSecurity,
        params: SessionParams,
        body: CancelSessionInput,
        response: { 200: SessionOut, ...errors },
      },
    },
    async (req) => presentSession(await inTx(req, (tx) => cancelSession(tx, req.actor, req.params.id, req.params.sid, req.body.reason))),
  );

  app.post(
    '/api/v1/programmes/:id/registrations',
    {
      schema: {
        tags,
        summary: 'Register the signed-in person (a seat, or the waitlist when full)',
        security: writeSecurity,
        params: IdParams,
        body: RegistrationInput,
        response: { 201: RegistrationOut, ...errors },
      },
    },
    async (req, reply) => {
      const row = await inTx(req, (tx) => register(tx, req.actor, req.params.id, req.body));
      created(reply);
      return presentRegistration(row);
    },
  );

  app.get(
    '/api/v1/programmes/:id/registrations',
    {
      schema: {
        tags,
        summary: 'Registrants and waitlist (staff)',
        security: writeSecurity,
        params: IdParams,
        response: { 200: Type.Object({ confirmed: Type.Array(RegistrationOut), waitlisted: Type.Array(RegistrationOut) }), ...errors },
      },
    },
    async (req) => {
      const list = await roster(dbOf(req), req.actor, req.params.id);
      return {
        confirmed: list.confirmed.map((e) => presentRegistration(e.registration, e.name)),
        waitlisted: list.waitlisted.map((e) => presentRegistration(e.registration, e.name)),
      };
    },
  );

  app.delete(
    '/api/v1/registrations/:id',
    {
      schema: {
        tags,
        summary: 'Cancel a registration (its holder or the programme staff); the first person waiting is promoted',
        security: writeSecurity,
        params: IdParams,
        response: { 200: RegistrationOut, ...errors },
      },
    },
    async (req) => presentRegistration((await inTx(req, (tx) => cancelRegistration(tx, req.actor, req.params.id))).registration),
  );

  app.get(
    '/api/v1/me/registrations',
    {
      schema: {
        tags,
        summary: "The signed-in person's own registrations",
        security: writeSecurity,
        response: { 200: Type.Array(Type.Object({ registration: RegistrationOut, programme: ProgrammeOut })), ...errors },
      },
    },
    async (req) => {
      const db = dbOf(req);
      const rows = await myRegistrations(db, req.actor);
      const names = await nameOf(
        db,
        rows.map((r) => r.programme),
      );
      return rows.map((r) => ({
        registration: presentRegistration(r.registration),
        programme: presentProgramme(r.programme, names.get(r.programme.institutionId) ?? '', r.nextSession),
      }));
    },
  );

  app.get(
    '/api/v1/programmes/:id/sessions/:sid/attendance',
    {
      schema: {
        tags,
        summary: 'Attendance sheet of a session (staff)',
        security: writeSecurity,
        params: SessionParams,
        response: {
          200: Type.Object({
            present: Type.Integer(),
            entries: Type.Array(Type.Object({ registrationId: Type.String(), name: Type.String(), code: Type.String(), present: Type.Boolean() })),
          }),
          ...errors,
        },
      },
    },
    async (req) => {
      const sheet = await sessionSheet(dbOf(req), req.actor, req.params.id, req.params.sid);
      return { present: sheet.present, entries: sheet.entries };
    },
  );

  app.post(
    '/api/v1/programmes/:id/sessions/:sid/checkins',
    {
      schema: {
        tags,
        summary: 'Check in a registrant by the code of their QR label',
        security: writeSecurity,
        params: SessionParams,
        body: CheckInInput,
        response: { 200: Type.Object({ name: Type.String(), already: Type.Boolean() }), ...errors },
      },
    },
    async (req) => inTx(req, (tx) => checkIn(tx, req.actor, req.params.id, req.params.sid, req.body.code)),
  );

  app.post(
    '/api/v1/programmes/:id/sessions/:sid/walk-ins',
    {
      schema: {
        tags,
        summary: 'Add a walk-in to a session',
        security: writeSecurity,
        params: SessionParams,
        body: WalkInInput,
        response: { 201: Type.Object({ ok: Type.Boolean() }), ...errors },
      },
    },
    async (req, reply) => {
      await inTx(req, (tx) => addWalkIn(tx, req.actor, req.params.id, req.params.sid, req.body));
      created(reply);
      return { ok: true };
    },
  );

  app.get(
    '/api/v1/programmes/statistics',
    {
      schema: {
        tags,
        summary: 'Activity per institution in a period (staff)',
        security: writeSecurity,
        querystring: PeriodQuery,
        response: { 200: Type.Array(ActivityOut), ...errors },
      },
    },
    async (req) => {
      requireStaffAnywhere(req.actor);
      const db = dbOf(req);
      const q = req.query;
      if (q.to < q.from) throw new ValidationError([{ field: 'to', key: 'programmes.errors.endBeforeStart' }]);
      const unitIds = q.unitId ? await unitSubtree(db, q.unitId) : undefined;
      const rows = await programmeActivity(db, {
        from: q.from,
        to: q.to,
        ...(q.institutionId ? { institutionIds: [q.institutionId] } : {}),
        ...(unitIds ? { unitIds } : {}),
      });
      const refs = await institutionRefs(
        db,
        rows.map((r) => r.institutionId),
      );
      const names = new Map([...refs].map(([id, r]) => [id, r.name]));
      return rows.map((r) => presentActivity(r, names));
    },
  );
};
