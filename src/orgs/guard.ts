import { canSomewhere, type Actor, type Permission } from '../platform/access.js';
import { ForbiddenError, UnauthenticatedError } from '../platform/errors.js';

/**
 * Anonymous callers must log in; callers without the permission anywhere are refused before
 * anything is read. The scoped check (`authorize`) follows once the target is known.
 */
export function requireSomewhere(actor: Actor, permission: Permission): void {
  if (actor.kind === 'anonymous') throw new UnauthenticatedError();
  if (!canSomewhere(actor, permission)) throw new ForbiddenError();
}
