import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { institutionRefs, unitOptions } from '../../orgs/index.js';
import { canSomewhere, type Actor } from '../../platform/access.js';
import type { Db } from '../../platform/db/index.js';
import { UnauthenticatedError, type Issue } from '../../platform/errors.js';
import { dbOf, pageContext, sendPage } from '../../platform/http/context.js';
import { formValues } from '../forms.js';
import { activeRegistration, waitlistPosition } from '../registrations.js';
import { listSessions, offeredDates, visibleProgramme, type ProgrammeRow } from '../service.js';
import { presentProgramme, presentSession } from '../presenters.js';
import { vnDate } from '../model.js';
import { ProgrammeDetailPage, type Choice } from '../views/programmes.js';
import { messageKey } from '../../platform/i18n/index.js';
import { Uuid } from '../../platform/http/schemas.js';

const id = Uuid;
export const IdParams = Type.Object({ id });
export const SessionParams = Type.Object({ id, sid: id });
export const RegistrationParams = Type.Object({ id, rid: id });
export const BookingParams = Type.Object({ id, bid: id });
/** What a page after a redirect says happened (`?notice=saved&name=…`). */
export const NoticeQuery = Type.Object({
  notice: Type.Optional(Type.String({ maxLength: 40 })),
  name: Type.Optional(Type.String({ maxLength: 500 })),
});

export type Q = Record<string, string | undefined>;
export type Body = Record<string, unknown>;

const notices: Record<string, string> = {
  created: 'programmes.notice.created',
  saved: 'programmes.notice.saved',
  published: 'programmes.notice.published',
  unpublished: 'programmes.notice.unpublished',
  registered: 'programmes.notice.registered',
  waitlisted: 'programmes.notice.waitlisted',
  cancelled: 'programmes.notice.cancelled',
  sessionCancelled: 'programmes.notice.sessionCancelled',
  programmeCancelled: 'programmes.notice.programmeCancelled',
  campaignSaved: 'programmes.notice.campaignSaved',
  booked: 'programmes.notice.booked',
  answered: 'programmes.notice.answered',
  checkedIn: 'programmes.notice.checkedIn',
  already: 'programmes.notice.already',
  saved_list: 'programmes.notice.listSaved',
  walkIn: 'programmes.notice.walkIn',
  marker: 'programmes.notice.marker',
};

export function noticeOf(req: FastifyRequest): string | undefined {
  const q = req.query as Q;
  const key = q.notice ? notices[q.notice] : undefined;
  return key ? req.t(messageKey(key), { name: q.name ?? '' }) : undefined;
}

export async function names(db: Db, rows: ProgrammeRow[]): Promise<Map<string, string>> {
  const refs = await institutionRefs(
    db,
    rows.map((r) => r.institutionId),
  );
  return new Map([...refs].map(([id, r]) => [id, r.name]));
}

export async function unitChoices(db: Db): Promise<Choice[]> {
  const units = await unitOptions(db, vnDate(new Date()));
  return units.map((u) => ({ value: u.id, label: u.level === 'province' ? u.name : u.level === 'district' ? `— ${u.name}` : `— — ${u.name}` }));
}

export function isStaff(actor: Actor): boolean {
  return canSomewhere(actor, 'programmes.operate');
}

export function requireSignedIn(req: FastifyRequest): void {
  if (req.actor.kind === 'anonymous') throw new UnauthenticatedError();
}

/** Bookings are for tomorrow on: the museum needs a day to prepare. */
export function addDaysNow(now: Date): Date {
  return new Date(now.getTime() + 86_400_000);
}

/** A programme's public page; with a refused registration or booking, shown again with its issues. */
export async function detailPage(
  req: FastifyRequest,
  reply: FastifyReply,
  id: string,
  extra: { issues?: Issue[]; values?: Q; status?: number } = {},
) {
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
  return sendPage(
    reply,
    <ProgrammeDetailPage
      ctx={pageContext(req)}
      p={presentProgramme(programme, inst.get(programme.institutionId) ?? '', next)}
      sessions={sessions.map(presentSession)}
      manager={manager}
      own={own}
      offered={offeredDates(sessions, addDaysNow(now))}
      issues={extra.issues ?? []}
      notice={noticeOf(req)}
      values={extra.values ?? {}}
    />,
    extra.status,
  );
}

/** A posted form's fields as typed, one value each, for showing them again. */
export function markerValues(body: Body): Record<string, string | undefined> {
  const v = formValues(body);
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, Array.isArray(x) ? x[0] : x]));
}
