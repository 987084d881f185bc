import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { Actor } from '../../platform/access.js';
import type { Db } from '../../platform/db/index.js';
import { isLocale, translator, type Locale } from '../../platform/i18n/index.js';
import { enqueue } from '../../platform/outbox/index.js';
import { roleGrants, users } from '../../platform/schema.js';
import type { NetworkInstitution, NetworkUnit } from '../../orgs/index.js';
import type { Placement } from '../network.js';
import { allowedTo } from '../permissions.js';
import '../messages.js';

/** Someone to write to, in the language they chose for the site (Vietnamese unless they chose English). */
export interface Recipient {
  email: string;
  locale: Locale;
}

interface PeriodRef {
  id: string;
  year: number;
  quarter: number | null;
}

function withLocales(rows: Array<{ email: string | null; locale: string }>): Recipient[] {
  const out = new Map<string, Recipient>();
  for (const r of rows) if (r.email && !out.has(r.email)) out.set(r.email, { email: r.email, locale: isLocale(r.locale) ? r.locale : 'vi' });
  return [...out.values()];
}

/** The institution's own staff and managers who can sign in. */
export async function institutionStaff(db: Db, institutionId: string): Promise<Recipient[]> {
  const rows = await db
    .select({ email: users.email, locale: users.locale })
    .from(roleGrants)
    .innerJoin(users, eq(users.id, roleGrants.userId))
    .where(and(eq(roleGrants.institutionId, institutionId), inArray(roleGrants.role, ['staff', 'manager']), isNull(users.disabledAt)));
  return withLocales(rows);
}

/**
 * The officers who review a data set: those granted on the reviewing unit with the right to
 * review there. When that unit has none yet, the nearest unit above that has some, so a
 * submission never waits unseen.
 */
export async function reviewOfficers(db: Db, placement: Placement, reviewer: NetworkUnit, on: string): Promise<Recipient[]> {
  const scope = placement.unitScope(reviewer.id);
  for (const unit of placement.chainOn(reviewer.id, on)) {
    const rows = await db
      .select({ userId: users.id, email: users.email, locale: users.locale, role: roleGrants.role })
      .from(roleGrants)
      .innerJoin(users, eq(users.id, roleGrants.userId))
      .where(and(eq(roleGrants.unitId, unit.id), isNull(users.disabledAt)));
    const reviewers = rows.filter((r) => {
      const officer: Actor = {
        kind: 'user',
        userId: r.userId,
        label: r.email ?? r.userId,
        grants: [{ role: r.role, unitId: unit.id, institutionId: null }],
      };
      return allowedTo(officer, 'review', scope);
    });
    if (reviewers.length) return withLocales(reviewers);
  }
  return [];
}

function periodText(locale: Locale, p: PeriodRef): string {
  const t = translator(locale);
  return p.quarter ? t('monitoring.mail.periodQuarter', { quarter: p.quarter, year: p.year }) : t('monitoring.mail.periodYear', { year: p.year });
}

/** Tells the reviewing officers that a data set waits for them; says so when it comes back fixed. */
export async function notifySubmitted(
  db: Db,
  placement: Placement,
  input: {
    period: PeriodRef & { deadline: string };
    institution: NetworkInstitution;
    reviewer: NetworkUnit | undefined;
    resubmitted: boolean;
  },
): Promise<number> {
  if (!input.reviewer) return 0;
  const unit = placement.unitOn(input.institution.unitId, input.period.deadline);
  const recipients = await reviewOfficers(db, placement, input.reviewer, input.period.deadline);
  const kind = input.resubmitted ? 'resubmitted' : 'submitted';
  for (const r of recipients) {
    const t = translator(r.locale);
    const params = {
      period: periodText(r.locale, input.period),
      institution: input.institution.name,
      unit: unit?.name ?? '',
      reviewer: input.reviewer.name,
    };
    await enqueue(db, {
      recipient: r.email,
      subject: t(`monitoring.mail.${kind}Subject`, params),
      bodyText: t(`monitoring.mail.${kind}Body`, params),
    });
  }
  return recipients.length;
}

export type Decision = 'return' | 'accept' | 'approve' | 'reopen';

/** Tells the institution's staff what became of their data set, with the comment or reason. */
export async function notifyDecision(
  db: Db,
  input: { period: PeriodRef; institution: NetworkInstitution; decision: Decision; comment: string },
): Promise<number> {
  const recipients = await institutionStaff(db, input.institution.id);
  for (const r of recipients) {
    const t = translator(r.locale);
    const params = { period: periodText(r.locale, input.period), institution: input.institution.name, comment: input.comment };
    await enqueue(db, {
      recipient: r.email,
      subject: t(`monitoring.mail.${input.decision}Subject`, params),
      bodyText: t(`monitoring.mail.${input.decision}Body`, params),
    });
  }
  return recipients.length;
}
