import type { FastifyReply, FastifyRequest } from 'fastify';
import { isValidElement, type VNode } from 'preact';
import type { Static, TSchema } from 'typebox';
import type { Db } from '../db/index.js';
import { DomainError, type Issue } from '../errors.js';
import { inTx, issuesOf, sendPage } from './context.js';
import { parseForm } from './validation.js';

/** The fields of a posted form as typed, for showing them again beside its errors. */
export function rawForm(body: unknown): Record<string, string> {
  if (!body || typeof body !== 'object') return {};
  return Object.fromEntries(
    Object.entries(body as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === 'string' && e[0] !== '_csrf'),
  );
}

export interface FormSubmission<S extends TSchema, R> {
  /** The form's fields; blank ones count as absent (see `parseForm`). */
  schema: S;
  /** The write, in one transaction, with the parsed form. */
  run: (tx: Db, input: Static<S>) => Promise<R>;
  /** Where to go once it is done (redirect after post, 303). */
  redirect: (result: R) => string;
  /**
   * The page shown again with the form's issues and what was typed (sent with 422), or a reply it
   * sent itself; `status` is the refusal's own (422, or 409 for a conflict).
   */
  redisplay: (issues: Issue[], values: Record<string, string>, status: number) => VNode | FastifyReply | Promise<VNode | FastifyReply>;
}

/**
 * A posted HTML form: schema → run → redirect, or the form again with its issues when the schema
 * or the service refuses it (a field error or a conflict). Any other error goes to the error page.
 */
export async function submitForm<S extends TSchema, R>(req: FastifyRequest, reply: FastifyReply, form: FormSubmission<S, R>): Promise<unknown> {
  try {
    const input = parseForm(form.schema, req.body);
    const result = await inTx(req, (tx) => form.run(tx, input));
    return reply.redirect(form.redirect(result), 303);
  } catch (err) {
    const issues = issuesOf(err);
    if (!issues) throw err;
    const page = await form.redisplay(issues, rawForm(req.body), err instanceof DomainError ? err.status : 422);
    return isValidElement(page) ? sendPage(reply, page, 422) : page;
  }
}
