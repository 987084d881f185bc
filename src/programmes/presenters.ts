import { Type, type Static } from 'typebox';
import type { BookingRow } from './bookings.js';
import type { CalendarEntry, MarkerDay, MarkerRow } from './calendar.js';
import type { CampaignRow } from './campaigns.js';
import { vnDate, vnTime } from './model.js';
import type { RegistrationRow } from './registrations.js';
import type { ProgrammeRow, SessionRow } from './service.js';
import type { ActivityTotals, ProgrammeActivity } from './stats.js';
export { ErrorOut } from '../platform/http/schemas.js';
import { Nullable } from '../platform/http/schemas.js';

export const ProgrammeOut = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  status: Type.String(),
  title: Type.String(),
  description: Type.String(),
  institution: Type.Object({ id: Type.String(), name: Type.String() }),
  venue: Nullable(Type.String()),
  onlineUrl: Nullable(Type.String()),
  startDate: Type.String(),
  startTime: Type.String(),
  endTime: Type.String(),
  durationMinutes: Type.Integer(),
  rrule: Nullable(Type.String()),
  exdates: Type.Array(Type.String()),
  capacity: Type.Integer(),
  seatsTaken: Type.Integer(),
  seatsLeft: Type.Integer(),
  audiences: Type.Array(Type.String()),
  topics: Type.Array(Type.String()),
  fee: Type.Integer(),
  accessibility: Nullable(Type.String()),
  imageUrl: Nullable(Type.String()),
  campaignId: Nullable(Type.String()),
  nextSession: Nullable(Type.String()),
  url: Type.String(),
});
export type ProgrammeView = Static<typeof ProgrammeOut>;

export function presentProgramme(p: ProgrammeRow, institutionName: string, nextSession: Date | null = null): ProgrammeView {
  const end = new Date(p.startsAt.getTime() + p.durationMinutes * 60_000);
  return {
    id: p.id,
    kind: p.kind,
    status: p.status,
    title: p.title,
    description: p.description,
    institution: { id: p.institutionId, name: institutionName },
    venue: p.venue,
    onlineUrl: p.onlineUrl,
    startDate: vnDate(p.startsAt),
    startTime: vnTime(p.startsAt),
    endTime: vnTime(end),
    durationMinutes: p.durationMinutes,
    rrule: p.rrule,
    exdates: p.exdates,
    capacity: p.capacity,
    seatsTaken: p.confirmedCount,
    seatsLeft: Math.max(0, p.capacity - p.confirmedCount),
    audiences: p.audiences,
    topics: p.topics,
    fee: p.fee,
    accessibility: p.accessibility,
    imageUrl: p.imageUrl,
    campaignId: p.campaignId,
    nextSession: nextSession?.toISOString() ?? null,
    url: `/programmes/${p.id}`,
  };
}

export const SessionOut = Type.Object({
  id: Type.String(),
  startsAt: Type.String(),
  endsAt: Type.String(),
  date: Type.String(),
  cancelled: Type.Boolean(),
  cancelReason: Nullable(Type.String()),
});
export type SessionView = Static<typeof SessionOut>;

export function presentSession(s: SessionRow): SessionView {
  return {
    id: s.id,
    startsAt: s.startsAt.toISOString(),
    endsAt: s.endsAt.toISOString(),
    date: vnDate(s.startsAt),
    cancelled: Boolean(s.cancelledAt),
    cancelReason: s.cancelReason,
  };
}

export const RegistrationOut = Type.Object({
  id: Type.String(),
  programmeId: Type.String(),
  status: Type.String(),
  ageGroup: Nullable(Type.String()),
  code: Type.String(),
  name: Type.Optional(Type.String()),
  createdAt: Type.String(),
});
export type RegistrationView = Static<typeof RegistrationOut>;

export function presentRegistration(r: RegistrationRow, name?: string): RegistrationView {
  return {
    id: r.id,
    programmeId: r.programmeId,
    status: r.status,
    ageGroup: r.ageGroup,
    code: r.code,
    ...(name === undefined ? {} : { name }),
    createdAt: r.createdAt.toISOString(),
  };
}

export const BookingOut = Type.Object({
  id: Type.String(),
  programmeId: Type.String(),
  school: Type.String(),
  className: Nullable(Type.String()),
  pupils: Type.Integer(),
  date: Type.String(),
  proposedDate: Nullable(Type.String()),
  status: Type.String(),
  note: Nullable(Type.String()),
});

export type BookingView = Static<typeof BookingOut>;

export function presentBooking(b: BookingRow): BookingView {
  return {
    id: b.id,
    programmeId: b.programmeId,
    school: b.school,
    className: b.className,
    pupils: b.pupils,
    date: b.requestedDate,
    proposedDate: b.proposedDate,
    status: b.status,
    note: b.note,
  };
}

export const CalendarEntryOut = Type.Object({
  sessionId: Type.String(),
  programmeId: Type.String(),
  title: Type.String(),
  kind: Type.String(),
  institution: Type.Object({ id: Type.String(), name: Type.String() }),
  venue: Nullable(Type.String()),
  startsAt: Type.String(),
  endsAt: Type.String(),
  cancelled: Type.Boolean(),
  url: Type.String(),
});

export function presentEntry(e: CalendarEntry): Static<typeof CalendarEntryOut> {
  return {
    sessionId: e.sessionId,
    programmeId: e.programmeId,
    title: e.title,
    kind: e.kind,
    institution: { id: e.institutionId, name: e.institutionName },
    venue: e.venue,
    startsAt: e.startsAt.toISOString(),
    endsAt: e.endsAt.toISOString(),
    cancelled: e.cancelled,
    url: `/programmes/${e.programmeId}`,
  };
}

export const MarkerOut = Type.Object({
  id: Type.String(),
  key: Nullable(Type.String()),
  title: Type.String(),
  description: Nullable(Type.String()),
  month: Type.Integer(),
  day: Type.Integer(),
  days: Type.Integer(),
  year: Nullable(Type.Integer()),
  unitId: Nullable(Type.String()),
  hidden: Type.Boolean(),
});

export type MarkerView = Static<typeof MarkerOut>;

export function presentMarker(m: MarkerRow): MarkerView {
  return {
    id: m.id,
    key: m.key,
    title: m.title,
    description: m.description,
    month: m.month,
    day: m.day,
    days: m.days,
    year: m.year,
    unitId: m.unitId,
    hidden: m.hidden,
  };
}

export const MarkerDayOut = Type.Object({ date: Type.String(), title: Type.String(), markerId: Type.String() });

export function presentMarkerDay(m: MarkerDay): Static<typeof MarkerDayOut> {
  return { date: m.date, title: m.marker.title, markerId: m.marker.id };
}

export const TotalsOut = Type.Object({
  programmesHeld: Type.Integer(),
  sessionsHeld: Type.Integer(),
  registrations: Type.Integer(),
  attendance: Type.Integer(),
  staffTrainingAttendance: Type.Integer(),
});

export const CampaignOut = Type.Object({
  id: Type.String(),
  title: Type.String(),
  description: Nullable(Type.String()),
  unitId: Type.String(),
  startsOn: Type.String(),
  endsOn: Type.String(),
  totals: Type.Optional(TotalsOut),
});
export type CampaignView = Static<typeof CampaignOut>;

export function presentCampaign(c: CampaignRow, totals?: ActivityTotals): Static<typeof CampaignOut> {
  return {
    id: c.id,
    title: c.title,
    description: c.description,
    unitId: c.unitId,
    startsOn: c.startsOn,
    endsOn: c.endsOn,
    ...(totals ? { totals } : {}),
  };
}

export const ActivityOut = Type.Object({
  institutionId: Type.String(),
  institutionName: Type.String(),
  programmesHeld: Type.Integer(),
  sessionsHeld: Type.Integer(),
  registrations: Type.Integer(),
  attendance: Type.Integer(),
  byKind: Type.Record(Type.String(), Type.Integer()),
  byTopic: Type.Record(Type.String(), Type.Integer()),
  attendanceByAgeGroup: Type.Record(Type.String(), Type.Integer()),
  staffTrainingAttendance: Type.Integer(),
});

export function presentActivity(a: ProgrammeActivity, names: Map<string, string>): Static<typeof ActivityOut> {
  return { ...a, institutionName: names.get(a.institutionId) ?? '' };
}
