import { authorize, can, canSomewhere, type Actor, type Permission, type Scope } from '../platform/access.js';

/** What monitoring lets people do; mapped onto platform permissions in one place. */
export type MonitoringAction =
  /** Institution staff: enter visits, fill and submit their forms, declare criteria. */
  | 'report'
  /** Officers of the unit above: review (return, accept) and override criteria with a reason. */
  | 'review'
  /** The Department: open periods, approve, reopen, edit indicators. */
  | 'administer'
  /** Officers and the Department: see unit dashboards, completeness and reports. */
  | 'oversee';

const mapping: Record<MonitoringAction, Permission> = {
  report: 'monitoring.report',
  review: 'monitoring.review',
  administer: 'monitoring.administer',
  oversee: 'monitoring.view',
};

export function allowedTo(actor: Actor, action: MonitoringAction, scope: Scope): boolean {
  return can(actor, mapping[action], scope);
}

export function requireTo(actor: Actor, action: MonitoringAction, scope: Scope): void {
  authorize(actor, mapping[action], scope);
}

export function allowedSomewhere(actor: Actor, action: MonitoringAction): boolean {
  return canSomewhere(actor, mapping[action]);
}
