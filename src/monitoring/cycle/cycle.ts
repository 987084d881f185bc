import { and, asc, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Actor } from '../../platform/access.js';
import { recordAudit } from '../../platform/audit/index.js';
import type { Db } from '../../platform/db/index.js';
import { ConflictError, issue, NotFoundError, ValidationError, type Issue } from '../../platform/errors.js';
import { translator } from '../../platform/i18n/index.js';
import { enqueue } from '../../platform/outbox/index.js';
import { normalizeVi } from '../../platform/text/index.js';
import { vnToday } from '../../platform/time.js';
import { THREE_LEVEL_END, type NetworkInstitution, type NetworkUnit } from '../../orgs/index.js';
import { placementOf } from '../indicators/compute.js';
import { institutionStaff, notifyDecision, notifySubmitted } from './notify.js';
import { listIndicators } from '../indicators/indicators.js';
import {
  DEFAULT_DEADLINE,
  fieldsFor,
  flow,
  REMINDER_DAYS,
  type Criterion,
  type FormField,
  type SubmissionStatus,
  type Transition,
} from '../model.js';
import { Placement, provinceScope } from '../network.js';
import { allowedTo, requireTo } from '../permissions.js';
import {
  monitoringCriteria,
  monitoringEvidenceFiles,
  monitoringPeriods,
  monitoringReminders,
  monitoringSubmissionEvents,
  monitoringSubmissions,
} from '../schema.js';
import { observeRange, observerFor, type Observed } from '../indicators/sources.js';

export type PeriodRow = typeof monitoringPeriods.$inferSelect;
export type SubmissionRow = typeof monitoringSubmissions.$inferSelect;
export type SubmissionEventRow = typeof monitoringSubmissionEvents.$inferSelect;
export type CriterionRow = typeof monitoringCriteria.$inferSelect;

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

// ---------------------------------------------------------------- periods

export async function openPeriod(
  db: Db,
  actor: Actor,
  input: { year: number; quarter?: number | undefined; deadline?: string | undefined },
): Promise<PeriodRow> {
  requireTo(actor, 'administer', provinceScope(await placementOf(db)));
  const deadline =
    input.deadline ??
    (input.quarter
      ? new Date(Date.UTC(input.year, input.quarter * 3, 15)).toISOString().slice(0, 10)
      : `${input.year}-${String(DEFAULT_DEADLINE.month).padStart(2, '0')}-${DEFAULT_DEADLINE.day}`);
  if (deadline < `${input.year}-01-01`) throw new ValidationError([issue('deadline', 'monitoring.period.deadlineBeforeYear')]);
  const [existing] = await db
    .select()
    .from(monitoringPeriods)
    .where(
      and(eq(monitoringPeriods.year, input.year), input.quarter ? eq(monitoringPeriods.quarter, input.quarter) : isNull(monitoringPeriods.quarter)),
    );
  if (existing) throw new ConflictError([issue('year', 'monitoring.period.exists')]);
  const [row] = await db
    .insert(monitoringPeriods)
    .values({ year: input.year, quarter: input.quarter ?? null, deadline, openedBy: actor.label })
    .returning();
  if (!row) throw new NotFoundError();
  await recordAudit(db, actor, { action: 'monitoring.period.open', entityType: 'monitoring_period', entityId: row.id, after: row });
  return row;
}

export async function listPeriods(db: Db): Promise<PeriodRow[]> {
  return db.select().from(monitoringPeriods).orderBy(desc(monitoringPeriods.year), asc(monitoringPeriods.quarter));
}

export async function getPeriod(db: Db, id: string): Promise<PeriodRow> {
  const [row] = /^[0-9a-f-]{36}$/i.test(id) ? await db.select().from(monitoringPeriods).where(eq(monitoringPeriods.id, id)) : [];
  if (!row) throw new NotFoundError('monitoring.period.notFound');
  return row;
}

/** The days a period covers: the whole year, or the three months of its quarter. */
export function periodRange(p: Pick<PeriodRow, 'year' | 'quarter'>): { from: string; to: string } {
  if (!p.quarter) return { from: `${p.year}-01-01`, to: `${p.year}-12-31` };
  const last = new Date(Date.UTC(p.year, p.quarter * 3, 0)).toISOString().slice(0, 10);
  return { from: `${p.year}-${String(p.quarter * 3 - 2).padStart(2, '0')}-01`, to: last };
}

async function observedFor(db: Db, period: PeriodRow, institutionId: string): Promise<Observed> {
  const { from, to } = periodRange(period);
  return (await observeRange(db, from, to, [institutionId])).get(institutionId) ?? {};
}

// ---------------------------------------------------------------- who reviews

/**
 * The unit whose officer reviews an institution's data set: its district until 30/6/2025,
 * its commune afterwards; the province (the Department) when it sits above those levels.
 */
export function reviewUnit(placement: Placement, institutionId: string, period: Pick<PeriodRow, 'deadline'>): NetworkUnit | undefined {
  const on = period.deadline;
  const level = on <= THREE_LEVEL_END ? 'district' : 'commune';
  const inst = placement.institutions.get(institutionId);
  if (!inst) return undefined;
  const chain = placement.chainOn(inst.unitId, on);
  return chain.find((u) => u.level === level) ?? chain.find((u) => u.level === 'province');
}

// ---------------------------------------------------------------- forms

/** The criteria an institution of this type declares: those an indicator over its type follows. */
export async function criteriaFor(db: Db, type: string): Promise<Criterion[]> {
  const out = new Set<Criterion>();
  for (const ind of await listIndicators(db)) {
    const f = ind.definition.formula;
    if ((f.kind === 'share' || f.kind === 'count') && ind.definition.types.includes(type)) out.add(f.criterion);
  }
  return [...out];
}

export interface FormState {
  period: PeriodRow;
  institution: NetworkInstitution;
  submission: SubmissionRow | null;
  fields: FormField[];
  /** Saved values, or the observed ones where nothing was saved. */
  values: Record<string, number | string | null>;
  observed: Record<string, number>;
  criteria: Array<{ criterion: Criterion; row: CriterionRow | null; observed: boolean; observable: boolean }>;
  events: SubmissionEventRow[];
  reviewer: NetworkUnit | undefined;
  canEdit: boolean;
  can: Record<Transition, boolean>;
}

async function loadSubmission(db: Db, periodId: string, institutionId: string): Promise<SubmissionRow | null> {
  const [row] = await db
    .select()
    .from(monitoringSubmissions)
    .where(and(eq(monitoringSubmissions.periodId, periodId), eq(monitoringSubmissions.institutionId, institutionId)));
  return row ?? null;
}

function mayAct(placement: Placement, actor: Actor, institutionId: string, period: PeriodRow, t: Transition): boolean {
  const inst = placement.institutions.get(institutionId);
  if (!inst) return false;
  if (t === 'submit') return allowedTo(actor, 'report', placement.institutionScope(institutionId));
  if (t === 'approve' || t === 'reopen') return allowedTo(actor, 'administer', placement.unitScope(inst.unitId));
  const reviewer = reviewUnit(placement, institutionId, period);
  return !!reviewer && allowedTo(actor, 'review', placement.unitScope(reviewer.id));
}

/** What a person sees on an institution's form: only its staff and the officers above it may. */
export async function formState(db: Db, actor: Actor, periodId: string, institutionId: string): Promise<FormState> {
  const placement = await placementOf(db);
  const period = await getPeriod(db, periodId);
  const institution = placement.institutions.get(institutionId);
  if (!institution) throw new NotFoundError('monitoring.institution.notFound');
  const scope = placement.institutionScope(institutionId);
  const reviewer = reviewUnit(placement, institutionId, period);
  if (
    !allowedTo(actor, 'report', scope) &&
    !(reviewer && allowedTo(actor, 'review', placement.unitScope(reviewer.id))) &&
    !allowedTo(actor, 'administer', scope)
  ) {
    requireTo(actor, 'report', scope);
  }
  const submission = await loadSubmission(db, periodId, institutionId);
  const fields = fieldsFor(institution.type);
  const observed = await observedFor(db, period, institutionId);
  const values: Record<string, number | string | null> = {};
  for (const f of fields) values[f.name] = submission?.values[f.name] ?? observed[f.name] ?? null;
  const declared = await criteriaFor(db, institution.type);
  const rows = declared.length
    ? await db
        .select()
        .from(monitoringCriteria)
        .where(
          and(
            eq(monitoringCriteria.institutionId, institutionId),
            eq(monitoringCriteria.year, period.year),
            inArray(monitoringCriteria.criterion, declared),
          ),
        )
    : [];
  const criteria = declared.map((c) => {
    const o = observerFor(c);
    return { criterion: c, row: rows.find((r) => r.criterion === c) ?? null, observable: !!o, observed: !!o && o.met(observed) };
  });
  const events = submission
    ? await db
        .select()
        .from(monitoringSubmissionEvents)
        .where(eq(monitoringSubmissionEvents.submissionId, submission.id))
        .orderBy(asc(monitoringSubmissionEvents.id))
    : [];
  const status = (submission?.status ?? 'draft') as SubmissionStatus;
  const can = Object.fromEntries(
    (Object.keys(flow) as Transition[]).map((t) => [t, flow[t].from.includes(status) && mayAct(placement, actor, institutionId, period, t)]),
  ) as Record<Transition, boolean>;
  return {
    period,
    institution,
    submission,
    fields,
    values,
    observed,
    criteria,
    events,
    reviewer,
    canEdit: (status === 'draft' || status === 'returned') && allowedTo(actor, 'report', scope),
    can,
  };
}

export interface FormInput {
  values: Record<string, unknown>;
  declarations?: Record<string, { declared: boolean; evidenceText?: string | null | undefined; evidenceUrl?: string | null | undefined }> | undefined;
}

function toNumber(raw: unknown): number | null | 'bad' {
  if (raw === null || raw === undefined || raw === '') return null;
  if (typeof raw === 'number') return Number.isSafeInteger(raw) ? raw : 'bad';
  if (typeof raw === 'string') {
    const t = raw.trim().replace(/[.\s](?=\d{3}(\D|$))/g, '');
    return /^-?\d+$/.test(t) ? Number(t) : 'bad';
  }
  return 'bad';
}

/**
 * Checks a yearly form: whole non-negative numbers within bounds always; required fields,
 * cross-field rules and evidence for declarations (text, a link, or files already attached
 * to the criterion) when it is submitted.
 */
export function validateForm(
  fields: FormField[],
  input: FormInput,
  final: boolean,
  criteria: Criterion[],
  withFiles: ReadonlySet<string> = new Set(),
): { values: Record<string, number | null>; issues: Issue[] } {
  const issues: Issue[] = [];
  const values: Record<string, number | null> = {};
  for (const f of fields) {
    const n = toNumber(input.values[f.name]);
    if (n === 'bad') {
      issues.push(issue(f.name, 'monitoring.form.wholeNumber'));
      values[f.name] = null;
      continue;
    }
    if (n !== null && n < 0) issues.push(issue(f.name, 'monitoring.form.nonNegative'));
    else if (n !== null && n > f.max) issues.push(issue(f.name, 'errors.maximum', { limit: f.max }));
    else if (n === null && final && f.required) issues.push(issue(f.name, 'errors.required'));
    values[f.name] = n;
  }
  const known = new Set(fields.map((f) => f.name));
  for (const k of Object.keys(input.values)) if (!known.has(k)) issues.push(issue(k, 'errors.unknownField'));
  if (final) {
    const v = (k: string) => values[k] ?? null;
    const att = v('attendance');
    const reg = v('registrations');
    const ses = v('sessionsHeld');
    if (att !== null && reg !== null && ses !== null && att > reg * ses)
      issues.push(issue('attendance', 'monitoring.form.attendanceAbove', { limit: reg * ses }));
    const prog = v('programmesHeld');
    if (prog !== null && ses !== null && prog > 0 && ses < prog) issues.push(issue('sessionsHeld', 'monitoring.form.sessionsBelowProgrammes'));
    if ((prog ?? 0) > 0 && known.has('attendance') && att === null) issues.push(issue('attendance', 'monitoring.form.attendanceNeeded'));
    const school = v('schoolGroupVisitors');
    const museum = v('museumVisitors');
    if (school !== null && museum !== null && school > museum) issues.push(issue('schoolGroupVisitors', 'monitoring.visits.schoolAboveTotal'));
    const edu = v('educationProgrammes');
    if (edu !== null && prog !== null && edu > prog) issues.push(issue('educationProgrammes', 'monitoring.form.educationAbove'));
    for (const c of criteria) {
      const d = input.declarations?.[c];
      if (d?.declared && !d.evidenceText?.trim() && !d.evidenceUrl?.trim() && !withFiles.has(c))
        issues.push(issue(`evidence_${c}`, 'monitoring.form.evidenceNeeded'));
    }
  }
  for (const [c, d] of Object.entries(input.declarations ?? {})) {
    if (d.evidenceUrl && !/^https?:\/\/\S+$/.test(d.evidenceUrl.trim())) issues.push(issue(`evidenceUrl_${c}`, 'errors.format.uri'));
    if ((d.evidenceText?.length ?? 0) > 2000) issues.push(issue(`evidence_${c}`, 'errors.maxLength', { limit: 2000 }));
  }
  return { values, issues };
}

async function saveDeclarations(db: Db, actor: Actor, institutionId: string, year: number, criteria: Criterion[], input: FormInput): Promise<void> {
  for (const c of criteria) {
    const d = input.declarations?.[c];
    if (!d) continue;
    const set = {
      declared: d.declared,
      evidenceText: d.evidenceText?.trim() ? normalizeVi(d.evidenceText.trim()) : null,
      evidenceUrl: d.evidenceUrl?.trim() || null,
      declaredBy: actor.label,
      declaredAt: new Date(),
    };
    await db
      .insert(monitoringCriteria)
      .values({ institutionId, year, criterion: c, ...set })
      .onConflictDoUpdate({ target: [monitoringCriteria.institutionId, monitoringCriteria.year, monitoringCriteria.criterion], set });
  }
}

async function addEvent(
  db: Db,
  actor: Actor,
  submissionId: string,
  action: string,
  from: string | null,
  to: string,
  comment: string | null,
): Promise<void> {
  await db.insert(monitoringSubmissionEvents).values({ submissionId, action, fromStatus: from, toStatus: to, comment, actorLabel: actor.label });
}

/**
 * Saves the form as a draft, or saves and submits it (`submit`). Only the institution's own
 * staff may, and only while it is a draft or returned: data under review or approved is locked.
 */
export async function saveForm(
  db: Db,
  actor: Actor,
  periodId: string,
  institutionId: string,
  input: FormInput,
  submit: boolean,
): Promise<SubmissionRow> {
  const placement = await placementOf(db);
  const period = await getPeriod(db, periodId);
  const institution = placement.institutions.get(institutionId);
  if (!institution) throw new NotFoundError('monitoring.institution.notFound');
  const scope = placement.institutionScope(institutionId);
  requireTo(actor, 'report', scope);
  const existing = await loadSubmission(db, periodId, institutionId);
  const status = (existing?.status ?? 'draft') as SubmissionStatus;
  if (status === 'approved') throw new ConflictError([issue('status', 'monitoring.submission.locked')], 'monitoring.submission.locked');
  if (status !== 'draft' && status !== 'returned')
    throw new ConflictError([issue('status', 'monitoring.submission.underReview')], 'monitoring.submission.underReview');
  const criteria = await criteriaFor(db, institution.type);
  const files = await db
    .selectDistinct({ criterion: monitoringEvidenceFiles.criterion })
    .from(monitoringEvidenceFiles)
    .where(and(eq(monitoringEvidenceFiles.institutionId, institutionId), eq(monitoringEvidenceFiles.year, period.year)));
  const { values, issues } = validateForm(fieldsFor(institution.type), input, submit, criteria, new Set(files.map((f) => f.criterion)));
  if (issues.length) throw new ValidationError(issues);
  const observed = await observedFor(db, period, institutionId);
  const now = new Date();
  const to: SubmissionStatus = submit ? 'submitted' : status;
  const patch = {
    values,
    observed,
    status: to,
    updatedAt: now,
    ...(submit ? { submittedAt: now, firstSubmittedAt: existing?.firstSubmittedAt ?? now } : {}),
  };
  const [row] = existing
    ? await db.update(monitoringSubmissions).set(patch).where(eq(monitoringSubmissions.id, existing.id)).returning()
    : await db
        .insert(monitoringSubmissions)
        .values({ periodId, institutionId, ...patch })
        .returning();
  if (!row) throw new NotFoundError();
  await saveDeclarations(db, actor, institutionId, period.year, criteria, input);
  await addEvent(db, actor, row.id, submit ? 'submit' : 'save', existing?.status ?? null, to, null);
  await recordAudit(db, actor, {
    action: submit ? 'monitoring.submission.submit' : 'monitoring.submission.save',
    entityType: 'monitoring_submission',
    entityId: row.id,
    before: existing?.values ?? null,
    after: { values, declarations: input.declarations ?? {} },
    institutionId,
    unitIds: scope.unitPath,
  });
  if (submit)
    await notifySubmitted(db, placement, {
      period,
      institution,
      reviewer: reviewUnit(placement, institutionId, period),
      resubmitted: status === 'returned',
    });
  return row;
}

/**
 * Moves a submitted data set along the review: return (with a comment), accept, approve,
 * or reopen an approved one (with a reason). Each step checks who may take it and from where.
 */
export async function transition(
  db: Db,
  actor: Actor,
  submissionId: string,
  action: Exclude<Transition, 'submit'>,
  comment?: string,
): Promise<SubmissionRow> {
  const [sub] = /^[0-9a-f-]{36}$/i.test(submissionId)
    ? await db.select().from(monitoringSubmissions).where(eq(monitoringSubmissions.id, submissionId))
    : [];
  if (!sub) throw new NotFoundError('monitoring.submission.notFound');
  const placement = await placementOf(db);
  const period = await getPeriod(db, sub.periodId);
  const inst = placement.institutions.get(sub.institutionId);
  if (!inst) throw new NotFoundError('monitoring.institution.notFound');
  if (action === 'approve' || action === 'reopen') requireTo(actor, 'administer', placement.unitScope(inst.unitId));
  else {
    const reviewer = reviewUnit(placement, sub.institutionId, period);
    const reviewScope = reviewer ? placement.unitScope(reviewer.id) : { unitPath: [], institutionPath: [] };
    if (
      !allowedTo(actor, 'review', reviewScope) &&
      !(action === 'return' && sub.status === 'accepted' && allowedTo(actor, 'administer', placement.unitScope(inst.unitId)))
    ) {
      requireTo(actor, 'review', reviewScope);
    }
  }
  const rule = flow[action];
  if (!rule.from.includes(sub.status as SubmissionStatus)) {
    throw new ConflictError(
      [issue('status', 'monitoring.submission.badTransition', { action, status: sub.status })],
      'monitoring.submission.badTransition',
    );
  }
  const text = comment?.trim() ? normalizeVi(comment.trim()) : '';
  if ((action === 'return' || action === 'reopen') && !text)
    throw new ValidationError([issue('comment', action === 'reopen' ? 'monitoring.submission.reasonNeeded' : 'monitoring.submission.commentNeeded')]);
  if (text.length > 4000) throw new ValidationError([issue('comment', 'errors.maxLength', { limit: 4000 })]);
  const [row] = await db
    .update(monitoringSubmissions)
    .set({ status: rule.to, reviewComment: text || sub.reviewComment, updatedAt: new Date() })
    .where(and(eq(monitoringSubmissions.id, sub.id), eq(monitoringSubmissions.status, sub.status)))
    .returning();
  if (!row) throw new ConflictError([issue('status', 'monitoring.submission.changedMeanwhile')]);
  await addEvent(db, actor, sub.id, action, sub.status, rule.to, text || null);
  await recordAudit(db, actor, {
    action: `monitoring.submission.${action}`,
    entityType: 'monitoring_submission',
    entityId: sub.id,
    before: { status: sub.status },
    after: { status: rule.to, comment: text || null },
    institutionId: sub.institutionId,
    unitIds: placement.institutionScope(sub.institutionId).unitPath,
  });
  await notifyDecision(db, { period, institution: inst, decision: action, comment: text });
  return row;
}

/** An officer's decision on a criterion, replacing what was observed or declared; the reason is kept. */
export async function overrideCriterion(
  db: Db,
  actor: Actor,
  input: { institutionId: string; year: number; criterion: Criterion; met: boolean | null; reason: string },
): Promise<CriterionRow> {
  const placement = await placementOf(db);
  const inst = placement.institutions.get(input.institutionId);
  if (!inst) throw new NotFoundError('monitoring.institution.notFound');
  const reviewer = reviewUnit(placement, input.institutionId, { deadline: `${input.year}-11-15` });
  requireTo(actor, 'review', reviewer ? placement.unitScope(reviewer.id) : placement.unitScope(inst.unitId));
  const reason = normalizeVi(input.reason.trim());
  if (!reason) throw new ValidationError([issue('reason', 'monitoring.criterion.reasonNeeded')]);
  const [before] = await db
    .select()
    .from(monitoringCriteria)
    .where(
      and(
        eq(monitoringCriteria.institutionId, input.institutionId),
        eq(monitoringCriteria.year, input.year),
        eq(monitoringCriteria.criterion, input.criterion),
      ),
    );
  const set = { override: input.met, overrideReason: reason, overriddenBy: actor.label, overriddenAt: new Date() };
  const [row] = await db
    .insert(monitoringCriteria)
    .values({ institutionId: input.institutionId, year: input.year, criterion: input.criterion, ...set })
    .onConflictDoUpdate({ target: [monitoringCriteria.institutionId, monitoringCriteria.year, monitoringCriteria.criterion], set })
    .returning();
  if (!row) throw new NotFoundError();
  await recordAudit(db, actor, {
    action: 'monitoring.criterion.override',
    entityType: 'monitoring_criterion',
    entityId: `${input.institutionId}:${input.year}:${input.criterion}`,
    before: before ?? null,
    after: row,
    institutionId: input.institutionId,
    unitIds: placement.institutionScope(input.institutionId).unitPath,
  });
  return row;
}

// ---------------------------------------------------------------- completeness

export interface CompletenessGroup {
  key: string;
  label: string;
  expected: number;
  submitted: number;
  onTime: number;
  approved: number;
}

export interface LateItem {
  institution: NetworkInstitution;
  status: SubmissionStatus | 'missing';
  submittedAt: Date | null;
  daysLate: number;
}

export interface Completeness {
  period: PeriodRow;
  total: CompletenessGroup;
  byUnit: CompletenessGroup[];
  byType: CompletenessGroup[];
  late: LateItem[];
  items: Array<{ institution: NetworkInstitution; submission: SubmissionRow | null; unit: NetworkUnit | undefined }>;
}

/** Institutions expected to report for a period: open on its deadline, inside the unit if one is given. */
export function expectedFor(placement: Placement, period: PeriodRow, unitId?: string): NetworkInstitution[] {
  return placement.network.institutions.filter(
    (i) => Placement.openOn(i, period.deadline) && (!unitId || placement.within(i.id, unitId, period.deadline)),
  );
}

/** Expected vs submitted vs on time, by unit and by institution type, and who is late. */
export async function completeness(
  db: Db,
  actor: Actor,
  periodId: string,
  unitId: string | undefined,
  now: Date = new Date(),
): Promise<Completeness> {
  const placement = await placementOf(db);
  const period = await getPeriod(db, periodId);
  requireTo(actor, 'oversee', unitId ? placement.unitScope(unitId) : provinceScope(placement));
  const expected = expectedFor(placement, period, unitId);
  const subs = expected.length
    ? await db
        .select()
        .from(monitoringSubmissions)
        .where(
          and(
            eq(monitoringSubmissions.periodId, periodId),
            inArray(
              monitoringSubmissions.institutionId,
              expected.map((i) => i.id),
            ),
          ),
        )
    : [];
  const byInst = new Map(subs.map((s) => [s.institutionId, s]));
  const today = vnToday(now);
  const level = period.deadline <= THREE_LEVEL_END ? 'district' : 'commune';
  const blank = (key: string, label: string): CompletenessGroup => ({ key, label, expected: 0, submitted: 0, onTime: 0, approved: 0 });
  const total = blank('all', '');
  const units = new Map<string, CompletenessGroup>();
  const types = new Map<string, CompletenessGroup>();
  const late: LateItem[] = [];
  const items: Completeness['items'] = [];
  for (const inst of expected) {
    const sub = byInst.get(inst.id) ?? null;
    const unit = placement.rollupUnit(inst.id, level, period.deadline);
    items.push({ institution: inst, submission: sub, unit });
    const ug = units.get(unit?.id ?? '') ?? blank(unit?.code ?? '', unit?.name ?? '');
    const tg = types.get(inst.type) ?? blank(inst.type, inst.type);
    const submittedOn = sub?.firstSubmittedAt ? vnToday(sub.firstSubmittedAt) : null;
    for (const g of [total, ug, tg]) {
      g.expected++;
      if (submittedOn) g.submitted++;
      if (submittedOn && submittedOn <= period.deadline) g.onTime++;
      if (sub?.status === 'approved') g.approved++;
    }
    units.set(unit?.id ?? '', ug);
    types.set(inst.type, tg);
    if (submittedOn && submittedOn > period.deadline)
      late.push({
        institution: inst,
        status: (sub?.status ?? 'draft') as SubmissionStatus,
        submittedAt: sub?.firstSubmittedAt ?? null,
        daysLate: daysBetween(period.deadline, submittedOn),
      });
    else if (!submittedOn && today > period.deadline)
      late.push({
        institution: inst,
        status: sub ? (sub.status as SubmissionStatus) : 'missing',
        submittedAt: null,
        daysLate: daysBetween(period.deadline, today),
      });
  }
  return {
    period,
    total,
    items,
    byUnit: [...units.values()].sort((a, b) => a.label.localeCompare(b.label, 'vi')),
    byType: [...types.values()].sort((a, b) => a.key.localeCompare(b.key)),
    late: late.sort((a, b) => b.daysLate - a.daysLate || a.institution.sortKey.localeCompare(b.institution.sortKey)),
  };
}

// ---------------------------------------------------------------- reminders

/**
 * Queues reminders for institutions that have not submitted, 14, 7 and 1 days before each open
 * period's deadline. Each reminder goes out once; after a pause the latest one due is sent,
 * not all of them. Returns how many messages were queued. Run it from a timer (hourly is enough).
 */
export async function sendReportingReminders(db: Db, now: Date = new Date()): Promise<number> {
  const today = vnToday(now);
  const periods = await db.select().from(monitoringPeriods).where(eq(monitoringPeriods.status, 'open'));
  const due = periods.map((p) => ({ p, left: daysBetween(today, p.deadline) })).filter((x) => x.left >= 0 && x.left <= REMINDER_DAYS[0]);
  if (!due.length) return 0;
  const placement = await placementOf(db);
  let queued = 0;
  for (const { p, left } of due) {
    const threshold = [...REMINDER_DAYS].reverse().find((d) => left <= d) ?? REMINDER_DAYS[0];
    const expected = expectedFor(placement, p);
    if (!expected.length) continue;
    const done = new Set(
      (
        await db
          .select({ id: monitoringSubmissions.institutionId })
          .from(monitoringSubmissions)
          .where(and(eq(monitoringSubmissions.periodId, p.id), sql`${monitoringSubmissions.firstSubmittedAt} is not null`))
      ).map((r) => r.id),
    );
    const sent = new Set(
      (
        await db
          .select({ id: monitoringReminders.institutionId })
          .from(monitoringReminders)
          .where(and(eq(monitoringReminders.periodId, p.id), eq(monitoringReminders.daysBefore, threshold)))
      ).map((r) => r.id),
    );
    for (const inst of expected) {
      if (done.has(inst.id) || sent.has(inst.id)) continue;
      await db.insert(monitoringReminders).values({ periodId: p.id, institutionId: inst.id, daysBefore: threshold }).onConflictDoNothing();
      for (const to of await institutionStaff(db, inst.id)) {
        const t = translator(to.locale);
        await enqueue(db, {
          recipient: to.email,
          subject: t('monitoring.mail.reminderSubject', { year: p.year, days: left }),
          bodyText: t('monitoring.mail.reminderBody', {
            institution: inst.name,
            year: p.year,
            deadline: p.deadline.split('-').reverse().join('/'),
            days: left,
          }),
        });
        queued++;
      }
    }
  }
  return queued;
}

export function isReviewer(placement: Placement, actor: Actor, institutionId: string, period: PeriodRow): boolean {
  const reviewer = reviewUnit(placement, institutionId, period);
  return !!reviewer && allowedTo(actor, 'review', placement.unitScope(reviewer.id));
}

/** The data sets an actor has to act on: their own institution's, or those waiting for their review or approval. */
export async function worklist(db: Db, actor: Actor, periodId: string): Promise<Completeness['items']> {
  const placement = await placementOf(db);
  const period = await getPeriod(db, periodId);
  const expected = expectedFor(placement, period).filter(
    (i) =>
      allowedTo(actor, 'report', placement.institutionScope(i.id)) ||
      isReviewer(placement, actor, i.id, period) ||
      allowedTo(actor, 'administer', placement.unitScope(i.unitId)),
  );
  const subs = expected.length
    ? await db
        .select()
        .from(monitoringSubmissions)
        .where(
          and(
            eq(monitoringSubmissions.periodId, periodId),
            inArray(
              monitoringSubmissions.institutionId,
              expected.map((i) => i.id),
            ),
          ),
        )
    : [];
  const byInst = new Map(subs.map((s) => [s.institutionId, s]));
  const level = period.deadline <= THREE_LEVEL_END ? 'district' : 'commune';
  return expected.map((institution) => ({
    institution,
    submission: byInst.get(institution.id) ?? null,
    unit: placement.rollupUnit(institution.id, level, period.deadline),
  }));
}
