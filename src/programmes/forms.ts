import { ValidationError, type Issue } from '../platform/errors.js';
import { checkValue } from '../platform/http/validation.js';
import { ProgrammeInput } from './model.js';

type Body = Record<string, unknown>;

function one(v: unknown): string | undefined {
  const s: unknown = Array.isArray(v) ? (v as unknown[])[0] : v;
  if (typeof s !== 'string') return undefined;
  const trimmed = s.trim();
  return trimmed === '' ? undefined : trimmed;
}

function many(v: unknown): string[] {
  return (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string' && x.trim() !== '');
}

function num(v: unknown): number | string | undefined {
  const s = one(v);
  if (s === undefined) return undefined;
  return /^-?\d+$/.test(s) ? Number(s) : s;
}

/** The campaign form's fields, with the ticked programmes as a list even when one or none is ticked. */
export function campaignFromForm(body: Body): Record<string, unknown> {
  return {
    title: one(body.title) ?? '',
    description: one(body.description),
    unitId: one(body.unitId) ?? '',
    startsOn: one(body.startsOn) ?? '',
    endsOn: one(body.endsOn) ?? '',
    programmeIds: [...new Set(many(body.programmeIds))],
  };
}

/** The form's simple repeat choice as an RRULE; the advanced field wins when filled. */
function ruleFrom(body: Body): { rrule?: string; fromRepeat: boolean } {
  const advanced = one(body.rrule);
  if (advanced) return { rrule: advanced, fromRepeat: false };
  const repeat = one(body.repeat);
  if (!repeat || repeat === 'none') return { fromRepeat: false };
  const base =
    repeat === 'weekly' ? 'FREQ=WEEKLY' : repeat === 'biweekly' ? 'FREQ=WEEKLY;INTERVAL=2' : repeat === 'monthly' ? 'FREQ=MONTHLY' : `FREQ=${repeat}`;
  const until = one(body.repeatUntil);
  return { rrule: until ? `${base};UNTIL=${until.replace(/-/g, '')}` : base, fromRepeat: true };
}

/** Whether the schedule came from the repeat helper (its errors then point at "repeat until"). */
export function usesRepeat(body: Body): boolean {
  return ruleFrom(body).fromRepeat;
}

/** Reads the programme form (checkbox groups, the repeat helper) into the API's input shape. */
export function programmeFromForm(body: Body): ProgrammeInput {
  const { rrule, fromRepeat } = ruleFrom(body);
  const input: Record<string, unknown> = {
    kind: one(body.kind),
    title: one(body.title),
    description: one(body.description),
    institutionId: one(body.institutionId),
    venue: one(body.venue),
    onlineUrl: one(body.onlineUrl),
    startDate: one(body.startDate),
    startTime: one(body.startTime),
    endTime: one(body.endTime),
    rrule,
    exdates: one(body.exdates)
      ?.split(/[\s,;]+/)
      .filter(Boolean),
    capacity: num(body.capacity),
    audiences: many(body.audiences),
    topics: many(body.topics),
    fee: num(body.fee),
    accessibility: one(body.accessibility),
    imageUrl: one(body.imageUrl),
    campaignId: one(body.campaignId),
  };
  for (const k of Object.keys(input)) if (input[k] === undefined) delete input[k];
  try {
    return checkValue(ProgrammeInput, input);
  } catch (err) {
    throw fromRepeat ? renameRule(err) : err;
  }
}

/** Rule errors of the repeat helper belong to its "repeat until" field. */
export function renameRule(err: unknown): unknown {
  if (!(err instanceof ValidationError)) return err;
  return new ValidationError(err.issues.map((i): Issue => (i.field === 'rrule' ? { ...i, field: 'repeatUntil' } : i)));
}

/** The form's values as strings again, to show back after an error. */
export function formValues(body: Body): Record<string, string | string[] | undefined> {
  const out: Record<string, string | string[] | undefined> = {};
  for (const [k, v] of Object.entries(body)) {
    if (k === '_csrf') continue;
    if (Array.isArray(v)) out[k] = v.filter((x): x is string => typeof x === 'string');
    else if (typeof v === 'string') out[k] = v;
  }
  return out;
}
