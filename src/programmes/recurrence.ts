import rrulePkg from 'rrule';
import type { Issue } from '../platform/errors.js';
import { VN_OFFSET, vnDate } from './model.js';

const { RRule } = rrulePkg;

/** How far ahead a rule without COUNT or UNTIL is materialised (clubs meet on with no end date). */
export const OPEN_HORIZON_DAYS = 365;
/** More sessions than this in one programme is a typing mistake, not a plan. */
export const MAX_SESSIONS = 500;

export interface Occurrence {
  startsAt: Date;
  endsAt: Date;
}

export interface Schedule {
  /** First start, as an instant. */
  startsAt: Date;
  durationMinutes: number;
  rrule: string | null;
  exdates: string[];
  /** Whether a rule without an end may run on for the open horizon. */
  openEnded: boolean;
}

/** Parses a rule and says what is wrong with it, naming the field. */
export function checkRule(rule: string, openEnded: boolean, field = 'rrule'): Issue[] {
  const text = rule.replace(/^RRULE:/i, '').trim();
  let options: ReturnType<typeof RRule.parseString>;
  try {
    options = RRule.parseString(text);
  } catch {
    return [{ field, key: 'programmes.errors.rruleInvalid' }];
  }
  if (options.freq === undefined || options.freq === null) return [{ field, key: 'programmes.errors.rruleInvalid' }];
  if (options.freq > RRule.DAILY) return [{ field, key: 'programmes.errors.rruleTooFrequent' }];
  if (!options.count && !options.until && !openEnded) return [{ field, key: 'programmes.errors.rruleNeverEnds' }];
  return [];
}

/**
 * The rule's UNTIL, moved to the "floating" clock the expansion runs on: a date-only UNTIL
 * includes that whole day (RFC 5545), a UTC one is shifted to Vietnam time.
 */
function floatingUntil(text: string): Date | undefined {
  const m = /UNTIL=(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z?))?/i.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, z] = m;
  if (h === undefined) return new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), 23, 59, 59));
  const t = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  return new Date(z ? t + VN_OFFSET : t);
}

/**
 * Expands a schedule into sessions. The rule runs on Vietnam wall-clock time (no daylight
 * saving there, so wall time + 7 h is exact); EXDATE days are skipped.
 */
export function expand(s: Schedule, now: Date = new Date()): Occurrence[] {
  const duration = s.durationMinutes * 60_000;
  if (!s.rrule) return [{ startsAt: s.startsAt, endsAt: new Date(s.startsAt.getTime() + duration) }];
  const text = s.rrule.replace(/^RRULE:/i, '').trim();
  const options = RRule.parseString(text);
  const until = floatingUntil(text);
  const dtstart = new Date(s.startsAt.getTime() + VN_OFFSET);
  const horizonFrom = Math.max(dtstart.getTime(), now.getTime() + VN_OFFSET);
  const horizon = new Date(horizonFrom + OPEN_HORIZON_DAYS * 86_400_000);
  const rule = new RRule({ ...options, dtstart, ...(until ? { until } : {}) });
  const skip = new Set(s.exdates);
  const out: Occurrence[] = [];
  rule.all((date, i) => {
    if (i > MAX_SESSIONS + skip.size || (!options.count && !until && date > horizon)) return false;
    const startsAt = new Date(date.getTime() - VN_OFFSET);
    if (!skip.has(vnDate(startsAt))) out.push({ startsAt, endsAt: new Date(startsAt.getTime() + duration) });
    return true;
  });
  return out;
}

/** Issues of a schedule as a whole: too many sessions, none at all. */
export function scheduleIssues(s: Schedule): Issue[] {
  if (!s.rrule) return [];
  const issues = checkRule(s.rrule, s.openEnded);
  if (issues.length) return issues;
  const sessions = expand(s);
  if (sessions.length === 0) return [{ field: 'rrule', key: 'programmes.errors.noSessions' }];
  if (sessions.length > MAX_SESSIONS) return [{ field: 'rrule', key: 'programmes.errors.tooManySessions', params: { max: MAX_SESSIONS } }];
  return [];
}
