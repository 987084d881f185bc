import { Type, type Static } from 'typebox';
import { formatNumber, hasMessage, type Locale, type Translate, messageKey } from '../platform/i18n/index.js';
import type { NetworkInstitution, NetworkUnit } from '../orgs/index.js';
import type { MeasureValue } from './indicators/compute.js';
import type { Completeness, FormState, PeriodRow, SubmissionRow } from './cycle/cycle.js';
import type { Dashboard, IndicatorDetail, IndicatorSummary } from './reports/dashboard.js';
import type { IndicatorRow, IndicatorVersionRow } from './indicators/indicators.js';
import type { EvidenceRow } from './cycle/evidence.js';
import { IndicatorDefinition } from './model.js';
import type { VisitRow, YearVisits } from './visits/visits.js';
import { Nullable } from '../platform/http/schemas.js';

export function typeLabel(t: Translate, type: string): string {
  const key = `orgs.type.${type}`;
  return hasMessage(key) ? t(messageKey(key)) : type;
}

export function sourceLabel(t: Translate, source: string): string {
  return t(messageKey(`monitoring.source.${source}`));
}

/** Where a yearly figure came from; for quarterly sums, which approved quarters were added up. */
export function valueSourceText(t: Translate, v: MeasureValue): string {
  return v.source === 'quarterly'
    ? t('monitoring.source.quarterlyOf', { quarters: (v.quarters ?? []).map((q) => `Q${q}`).join(', '), n: v.quarters?.length ?? 0 })
    : sourceLabel(t, v.source);
}

/** A value as people read it: 72,5% for shares, +10,2%/năm for growth, plain counts otherwise. */
export function formatValue(kind: string, value: number | null, t: Translate, locale: Locale): string {
  if (value === null) return t('monitoring.dashboard.noData');
  const n = new Intl.NumberFormat(locale === 'vi' ? 'vi-VN' : 'en-GB', { maximumFractionDigits: 1 }).format(value);
  if (kind === 'share') return `${n}${t('monitoring.unit.percent')}`;
  if (kind === 'growth') return `${value > 0 ? '+' : ''}${n}${t('monitoring.unit.perYear')}`;
  return formatNumber(locale, value);
}

const TargetOut = Nullable(Type.Object({ value: Type.Number(), upper: Type.Optional(Type.Number()) }));
const UnitRefOut = Type.Object({ id: Type.String(), code: Type.String(), name: Type.String(), level: Type.String() });
const InstitutionRefOut = Type.Object({ id: Type.String(), code: Type.String(), name: Type.String(), type: Type.String() });

export const IndicatorOut = Type.Object({
  code: Type.String(),
  version: Type.Integer(),
  definition: IndicatorDefinition,
  updatedAt: Type.String(),
});
export const IndicatorVersionOut = Type.Object({
  version: Type.Integer(),
  definition: IndicatorDefinition,
  note: Nullable(Type.String()),
  changedBy: Type.String(),
  changedAt: Type.String(),
});
export const SummaryOut = Type.Object({
  code: Type.String(),
  name: Type.String(),
  group: Type.String(),
  section: Type.String(),
  kind: Type.String(),
  year: Type.Integer(),
  value: Nullable(Type.Number()),
  numerator: Nullable(Type.Number()),
  denominator: Nullable(Type.Number()),
  target2025: TargetOut,
  target2030: TargetOut,
  status: Type.String(),
  series: Type.Array(Type.Object({ year: Type.Integer(), value: Nullable(Type.Number()) })),
});
export const DashboardOut = Type.Object({
  year: Type.Integer(),
  unit: Nullable(UnitRefOut),
  type: Nullable(Type.String()),
  indicators: Type.Array(SummaryOut),
});
const BreakdownOut = Type.Object({
  key: Type.String(),
  code: Type.Optional(Type.String()),
  label: Type.String(),
  value: Nullable(Type.Number()),
  numerator: Nullable(Type.Number()),
  denominator: Nullable(Type.Number()),
});
export const DetailOut = Type.Object({
  summary: SummaryOut,
  level: Type.String(),
  byUnit: Type.Array(BreakdownOut),
  byType: Type.Array(BreakdownOut),
  institutions: Type.Array(
    Type.Object({
      institution: InstitutionRefOut,
      unit: Nullable(UnitRefOut),
      met: Type.Optional(Type.Boolean()),
      value: Type.Optional(Nullable(Type.Number())),
      source: Nullable(Type.String()),
      quarters: Type.Optional(
        Type.Array(Type.Integer({ minimum: 1, maximum: 4 }), { description: 'The approved quarters summed, when the source is "quarterly"' }),
      ),
      note: Nullable(Type.String()),
      url: Nullable(Type.String()),
    }),
  ),
});
export const PeriodOut = Type.Object({
  id: Type.String(),
  year: Type.Integer(),
  quarter: Nullable(Type.Integer()),
  deadline: Type.String(),
  status: Type.String(),
});
export const SubmissionOut = Type.Object({
  id: Nullable(Type.String()),
  period: PeriodOut,
  institution: InstitutionRefOut,
  status: Type.String(),
  values: Type.Record(Type.String(), Nullable(Type.Union([Type.Number(), Type.String()]))),
  observed: Type.Record(Type.String(), Type.Number()),
  criteria: Type.Array(
    Type.Object({
      criterion: Type.String(),
      declared: Nullable(Type.Boolean()),
      evidenceText: Nullable(Type.String()),
      evidenceUrl: Nullable(Type.String()),
      observed: Type.Boolean(),
      override: Nullable(Type.Boolean()),
      overrideReason: Nullable(Type.String()),
    }),
  ),
  reviewer: Nullable(UnitRefOut),
  reviewComment: Nullable(Type.String()),
  history: Type.Array(
    Type.Object({
      action: Type.String(),
      from: Nullable(Type.String()),
      to: Type.String(),
      comment: Nullable(Type.String()),
      by: Type.String(),
      at: Type.String(),
    }),
  ),
  allowed: Type.Array(Type.String()),
});
const GroupOut = Type.Object({
  key: Type.String(),
  label: Type.String(),
  expected: Type.Integer(),
  submitted: Type.Integer(),
  onTime: Type.Integer(),
  approved: Type.Integer(),
});
export const CompletenessOut = Type.Object({
  period: PeriodOut,
  total: GroupOut,
  byUnit: Type.Array(GroupOut),
  byType: Type.Array(GroupOut),
  late: Type.Array(
    Type.Object({ institution: InstitutionRefOut, status: Type.String(), submittedAt: Nullable(Type.String()), daysLate: Type.Integer() }),
  ),
});
export const VisitOut = Type.Object({
  id: Type.Integer(),
  day: Type.String(),
  granularity: Type.String(),
  channel: Type.String(),
  purpose: Type.String(),
  visitors: Type.Integer(),
  schoolGroupVisitors: Type.Integer(),
  method: Type.String(),
  source: Type.String(),
});
export const EvidenceOut = Type.Object({
  id: Type.String(),
  fileName: Type.String(),
  kind: Type.String(),
  bytes: Type.Integer(),
  uploadedBy: Type.String(),
  uploadedAt: Type.String(),
});
export type PeriodView = Static<typeof PeriodOut>;
export type IndicatorView = Static<typeof IndicatorOut>;
export type IndicatorVersionView = Static<typeof IndicatorVersionOut>;
export type VisitView = Static<typeof VisitOut>;
export type EvidenceView = Static<typeof EvidenceOut>;
export const YearVisitsOut = Type.Object({
  year: Type.Integer(),
  inPerson: Type.Number(),
  digital: Type.Number(),
  schoolGroups: Type.Number(),
  estimated: Type.Number(),
});

export function presentUnitRef(u: NetworkUnit | undefined): Static<typeof UnitRefOut> | null {
  return u ? { id: u.id, code: u.code, name: u.name, level: u.level } : null;
}
export function presentInstitutionRef(i: NetworkInstitution): Static<typeof InstitutionRefOut> {
  return { id: i.id, code: i.code, name: i.name, type: i.type };
}
export function presentIndicator(r: IndicatorRow): Static<typeof IndicatorOut> {
  return { code: r.code, version: r.version, definition: r.definition, updatedAt: r.updatedAt.toISOString() };
}
export function presentVersion(v: IndicatorVersionRow): Static<typeof IndicatorVersionOut> {
  return { version: v.version, definition: v.definition, note: v.note, changedBy: v.changedBy, changedAt: v.changedAt.toISOString() };
}
export function presentSummary(s: IndicatorSummary, locale: Locale): Static<typeof SummaryOut> {
  const d = s.indicator.definition;
  return {
    code: s.indicator.code,
    name: d.name[locale],
    group: d.groupName[locale],
    section: d.section,
    kind: d.formula.kind,
    year: s.year,
    value: s.value,
    numerator: s.numerator,
    denominator: s.denominator,
    target2025: s.target2025,
    target2030: s.target2030,
    status: s.status,
    series: s.series,
  };
}
export function presentDashboard(d: Dashboard, locale: Locale): Static<typeof DashboardOut> {
  return { year: d.year, unit: presentUnitRef(d.unit), type: d.type ?? null, indicators: d.indicators.map((s) => presentSummary(s, locale)) };
}
/** Institution-level rows carry no personal data: institutions, their results and the evidence they published. */
export function presentDetail(d: IndicatorDetail, locale: Locale): Static<typeof DetailOut> {
  return {
    summary: presentSummary(d.summary, locale),
    level: d.level,
    byUnit: d.byUnit,
    byType: d.byType,
    institutions: d.rows.map((r) => ({
      institution: presentInstitutionRef(r.institution),
      unit: presentUnitRef(r.unit),
      ...(r.decision ? { met: r.decision.met } : { value: r.value?.value ?? null }),
      source: r.decision?.source ?? r.value?.source ?? null,
      ...(r.value?.quarters ? { quarters: r.value.quarters } : {}),
      note: r.decision?.note ?? null,
      url: r.decision?.url ?? null,
    })),
  };
}
export function presentPeriod(p: PeriodRow): Static<typeof PeriodOut> {
  return { id: p.id, year: p.year, quarter: p.quarter, deadline: p.deadline, status: p.status };
}
export function presentForm(f: FormState): Static<typeof SubmissionOut> {
  return {
    id: f.submission?.id ?? null,
    period: presentPeriod(f.period),
    institution: presentInstitutionRef(f.institution),
    status: f.submission?.status ?? 'draft',
    values: f.values,
    observed: f.observed,
    criteria: f.criteria.map((c) => ({
      criterion: c.criterion,
      declared: c.row?.declared ?? null,
      evidenceText: c.row?.evidenceText ?? null,
      evidenceUrl: c.row?.evidenceUrl ?? null,
      observed: c.observed,
      override: c.row?.override ?? null,
      overrideReason: c.row?.overrideReason ?? null,
    })),
    reviewer: presentUnitRef(f.reviewer),
    reviewComment: f.submission?.reviewComment ?? null,
    history: f.events.map((e) => ({
      action: e.action,
      from: e.fromStatus,
      to: e.toStatus,
      comment: e.comment,
      by: e.actorLabel,
      at: e.at.toISOString(),
    })),
    allowed: [
      ...(f.canEdit ? ['save', 'submit'] : []),
      ...Object.entries(f.can)
        .filter(([k, v]) => v && k !== 'submit')
        .map(([k]) => k),
    ],
  };
}
export function presentSubmission(s: SubmissionRow): { id: string; status: string; submittedAt: string | null } {
  return { id: s.id, status: s.status, submittedAt: s.submittedAt?.toISOString() ?? null };
}
export function presentCompleteness(c: Completeness): Static<typeof CompletenessOut> {
  return {
    period: presentPeriod(c.period),
    total: c.total,
    byUnit: c.byUnit,
    byType: c.byType,
    late: c.late.map((l) => ({
      institution: presentInstitutionRef(l.institution),
      status: l.status,
      submittedAt: l.submittedAt?.toISOString() ?? null,
      daysLate: l.daysLate,
    })),
  };
}
export function presentVisit(v: VisitRow): Static<typeof VisitOut> {
  return {
    id: v.id,
    day: v.day,
    granularity: v.granularity,
    channel: v.channel,
    purpose: v.purpose,
    visitors: v.visitors,
    schoolGroupVisitors: v.schoolGroupVisitors,
    method: v.method,
    source: v.source,
  };
}
export function presentEvidence(e: EvidenceRow): EvidenceView {
  return { id: e.id, fileName: e.fileName, kind: e.kind, bytes: e.bytes, uploadedBy: e.uploadedBy, uploadedAt: e.uploadedAt.toISOString() };
}
export function presentYearVisits(y: YearVisits): Static<typeof YearVisitsOut> {
  return y;
}
