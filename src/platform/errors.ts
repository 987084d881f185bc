import type { MessageKey, Params } from './i18n/index.js';
import { messageKey } from './i18n/index.js';

/** One thing wrong with the input: where (field, row, record) and a message key. */
export interface Issue {
  /** Field name ("email"), or a location such as "row 3 / code". */
  field: string;
  key: MessageKey;
  params?: Params;
  /** 1-based row or record number for file imports. */
  row?: number;
}

/** An error the user can act on; rendered localised, never with a stack trace. */
export class DomainError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly key: MessageKey,
    readonly issues: Issue[] = [],
    readonly params?: Params,
  ) {
    super(`${code}: ${key}${issues.length ? ` (${issues.map((i) => `${i.row ? `row ${i.row} ` : ''}${i.field}: ${i.key}`).join('; ')})` : ''}`);
    this.name = 'DomainError';
  }
}

export class ValidationError extends DomainError {
  constructor(issues: Issue[]) {
    super(422, 'validation', 'errors.validation', issues);
  }
}

export class ForbiddenError extends DomainError {
  constructor(key: MessageKey = 'errors.forbidden') {
    super(403, 'forbidden', key);
  }
}

export class UnauthenticatedError extends DomainError {
  constructor() {
    super(401, 'unauthenticated', 'errors.unauthenticated');
  }
}

export class NotFoundError extends DomainError {
  constructor(key: MessageKey = 'errors.notFound') {
    super(404, 'not_found', key);
  }
}

export class ConflictError extends DomainError {
  constructor(issues: Issue[], key: MessageKey = 'errors.conflict') {
    super(409, 'conflict', key, issues);
  }
}

export function issue(field: string, key: MessageKey, params?: Params, row?: number): Issue {
  return row === undefined ? { field, key, ...(params ? { params } : {}) } : { field, key, row, ...(params ? { params } : {}) };
}

/** Collects issues while checking input, then throws them all at once. */
export class Issues {
  readonly list: Issue[] = [];
  add(field: string, key: string, params?: Params, row?: number): this {
    this.list.push(issue(field, messageKey(key), params, row));
    return this;
  }
  get empty(): boolean {
    return this.list.length === 0;
  }
  throwIfAny(): void {
    if (this.list.length) throw new ValidationError(this.list);
  }
}
