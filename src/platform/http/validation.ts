import type { Static, TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { ValidationError, type Issue } from '../errors.js';
import { messageKey, type MessageKey } from '../i18n/index.js';

/** The shape shared by TypeBox's and Ajv's error objects. */
export interface SchemaError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
}

function fieldOf(e: SchemaError): string {
  const base = e.instancePath.replace(/^\//, '').replace(/\//g, '.');
  if (e.keyword === 'required') {
    const missing = (e.params.missingProperty ?? (e.params.requiredProperties as string[] | undefined)?.[0]) as string | undefined;
    return [base, missing].filter(Boolean).join('.');
  }
  if (e.keyword === 'additionalProperties') {
    const extra = (e.params.additionalProperty ?? (e.params.additionalProperties as string[] | undefined)?.[0]) as string | undefined;
    return [base, extra].filter(Boolean).join('.');
  }
  return base || 'body';
}

/** TypeBox reports all missing properties in one error; give each its own. */
function expandRequired(e: SchemaError): SchemaError[] {
  const missing = e.params.requiredProperties;
  if (e.keyword !== 'required' || !Array.isArray(missing) || missing.length < 2) return [e];
  return missing.map((name) => ({ ...e, params: { ...e.params, requiredProperties: [name] } }));
}

/** Turns schema errors into localisable issues naming the field. */
export function schemaIssues(errors: Iterable<SchemaError>): Issue[] {
  const seen = new Set<string>();
  const out: Issue[] = [];
  for (const e of [...errors].flatMap(expandRequired)) {
    const field = fieldOf(e);
    if (seen.has(field)) continue;
    let key: MessageKey;
    let params: Record<string, string | number> | undefined;
    switch (e.keyword) {
      case 'required':
        key = 'errors.required';
        break;
      case 'minLength':
        key = Number(e.params.limit) <= 1 ? 'errors.required' : 'errors.minLength';
        params = { limit: Number(e.params.limit) };
        break;
      case 'maxLength':
        key = 'errors.maxLength';
        params = { limit: Number(e.params.limit) };
        break;
      case 'minimum':
      case 'exclusiveMinimum':
        key = 'errors.minimum';
        params = { limit: Number(e.params.limit) };
        break;
      case 'maximum':
      case 'exclusiveMaximum':
        key = 'errors.maximum';
        params = { limit: Number(e.params.limit) };
        break;
      case 'minItems':
        key = 'errors.minItems';
        params = { limit: Number(e.params.limit) };
        break;
      case 'maxItems':
        key = 'errors.maxItems';
        params = { limit: Number(e.params.limit) };
        break;
      case 'format':
        key = messageKey(`errors.format.${String(e.params.format)}`);
        break;
      case 'pattern':
        key = 'errors.pattern';
        break;
      case 'type':
        key = 'errors.type';
        params = { type: String(e.params.type) };
        break;
      case 'enum':
      case 'const':
      case 'anyOf':
      case 'oneOf':
        key = 'errors.choice';
        break;
      case 'additionalProperties':
      case 'boolean':
        key = 'errors.unknownField';
        break;
      default:
        key = 'errors.invalid';
    }
    seen.add(field);
    out.push(params ? { field, key, params } : { field, key });
  }
  return out;
}

/**
 * Reads an HTML form body against a schema: blank fields count as absent, numbers and
 * booleans are converted, unknown fields (the CSRF token, buttons) are dropped.
 */
export function parseForm<S extends TSchema>(schema: S, body: unknown): Static<S> {
  const input: Record<string, unknown> = {};
  if (body && typeof body === 'object') {
    for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
      if (typeof v === 'string') {
        const trimmed = v.trim();
        if (trimmed !== '') input[k] = trimmed;
      } else if (v !== undefined && v !== null) {
        input[k] = v;
      }
    }
  }
  return checkValue(schema, Value.Clean(schema, Value.Convert(schema, Value.Default(schema, input))));
}

/** Validates a plain value (an imported row, a JSON body) and throws every issue at once. */
export function checkValue<S extends TSchema>(schema: S, value: unknown): Static<S> {
  if (Value.Check(schema, value)) return value;
  throw new ValidationError(schemaIssues(Value.Errors(schema, value)));
}
