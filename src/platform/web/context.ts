import type { Actor, Permission } from '../access.js';
import { canSomewhere } from '../access.js';
import type { Locale, Translate } from '../i18n/index.js';
import type { NavEntry } from '../module.js';

/** What every page needs to know about the request that renders it. */
export interface PageContext {
  locale: Locale;
  t: Translate;
  actor: Actor;
  user: { id: string; displayName: string } | null;
  csrfToken: string;
  /** Path and query of the current page, for the language switch and "next" links. */
  url: string;
  demo: boolean;
  /** The header menu's entries, from the modules' manifests. */
  nav: readonly NavEntry[];
}

export function allowed(ctx: PageContext, permission: Permission): boolean {
  return canSomewhere(ctx.actor, permission);
}
