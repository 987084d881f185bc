import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { requireUser } from '../../platform/access.js';
import { ConflictError, ForbiddenError, issue, ValidationError } from '../../platform/errors.js';
import { dbOf, inTx, issuesOf, pageContext, sendPage } from '../../platform/http/context.js';
import { parseForm } from '../../platform/http/validation.js';
import { gridOf, recordFromGrid, recordFromSimple, type GridRow } from '../editor.js';
import { operableLibraries } from '../libraries.js';
import { SimpleForm } from '../model.js';
import { presentRecord } from '../presenters.js';
import { createRecord, deleteRecord, getRecord, itemsOf, updateRecord, type RecordRow } from '../service.js';
import { DeleteRecordPage } from '../views/delete.js';
import { MarcEditorPage, SimpleFormPage } from '../views/editor.js';
import { IdParams } from './common.js';
import { Uuid } from '../../platform/http/schemas.js';

const TEMPLATE: GridRow[] = [
  { tag: '008', ind1: '', ind2: '', data: '      s        vm            000 0 vie d' },
  { tag: '020', ind1: '_', ind2: '_', data: '$a' },
  { tag: '082', ind1: '0', ind2: '4', data: '$a$223' },
  { tag: '100', ind1: '1', ind2: '_', data: '$a' },
  { tag: '245', ind1: '1', ind2: '0', data: '$a' },
  { tag: '264', ind1: '_', ind2: '1', data: '$a$b$c' },
  { tag: '300', ind1: '_', ind2: '_', data: '$a' },
  { tag: '650', ind1: '_', ind2: '7', data: '$a$2Bộ TĐCĐ' },
];

const DeleteForm = Type.Object({ institutionId: Uuid });

function gridFromBody(body: unknown): { leader: string; institutionId: string; rows: GridRow[] } {
  const b = (body ?? {}) as Record<string, unknown>;
  const str = (k: string) => (typeof b[k] === 'string' ? b[k] : '');
  const count = Math.min(500, Math.max(0, Number(str('rows')) || 0));
  const rows: GridRow[] = [];
  for (let i = 0; i < count; i++) rows.push({ tag: str(`tag.${i}`), ind1: str(`ind1.${i}`), ind2: str(`ind2.${i}`), data: str(`data.${i}`) });
  return { leader: str('leader'), institutionId: str('institutionId'), rows };
}

/** Grid rows with the template's empty subfields left out, so a half-filled template still saves. */
function filled(rows: GridRow[]): GridRow[] {
  return rows.map((r) => (/^(\$[a-z0-9])*(\$2Bộ TĐCĐ|\$223)?$/.test(r.data.trim()) && r.tag !== '245' ? { ...r, tag: '', data: '' } : r));
}

export const editorRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const hide = { schema: { hide: true } };

  const editor = async (
    req: FastifyRequest,
    reply: FastifyReply,
    opts: {
      action: string;
      title: string;
      leader: string;
      rows: GridRow[];
      institutionId?: string;
      issues?: ReturnType<typeof issuesOf>;
      deleteHref?: string;
    },
    status = 200,
  ) => {
    const libraries = await operableLibraries(dbOf(req), req.actor);
    return sendPage(
      reply,
      <MarcEditorPage
        ctx={pageContext(req)}
        action={opts.action}
        title={opts.title}
        leader={opts.leader}
        rows={opts.rows}
        libraries={libraries}
        institutionId={opts.institutionId}
        issues={opts.issues ?? undefined}
        deleteHref={opts.deleteHref}
      />,
      status,
    );
  };

  /** The confirmation page: only for someone who catalogues for a library; it counts every copy, withdrawn ones too. */
  const confirmDelete = async (
    req: FastifyRequest,
    reply: FastifyReply,
    record: RecordRow,
    opts: { institutionId?: string | undefined; issues?: ReturnType<typeof issuesOf> } = {},
    status = 200,
  ) => {
    const db = dbOf(req);
    const libraries = await operableLibraries(db, req.actor);
    if (!libraries.length) throw new ForbiddenError();
    const copies = await itemsOf(db, record.id, { withdrawn: true });
    return sendPage(
      reply,
      <DeleteRecordPage
        ctx={pageContext(req)}
        record={presentRecord(record)}
        copies={copies.length}
        withdrawn={copies.filter((i) => i.status === 'withdrawn').length}
        libraries={libraries}
        institutionId={opts.institutionId}
        issues={opts.issues ?? undefined}
      />,
      status,
    );
  };

  app.get('/catalogue/records/new', hide, async (req, reply) => {
    requireUser(req.actor);
    return sendPage(reply, <SimpleFormPage ctx={pageContext(req)} values={{}} libraries={await operableLibraries(dbOf(req), req.actor)} />);
  });

  app.post('/catalogue/records/new', hide, async (req, reply) => {
    requireUser(req.actor);
    try {
      const input = parseForm(SimpleForm, req.body);
      const row = await inTx(req, (tx) => createRecord(tx, req.actor, input.institutionId, recordFromSimple(input)));
      return reply.redirect(`/catalogue/records/${row.id}?notice=saved`, 303);
    } catch (err) {
      const issues = issuesOf(err);
      if (!issues) throw err;
      return sendPage(
        reply,
        <SimpleFormPage
          ctx={pageContext(req)}
          values={req.body as Record<string, string>}
          libraries={await operableLibraries(dbOf(req), req.actor)}
          issues={issues}
        />,
        422,
      );
    }
  });

  app.get('/catalogue/records/new/marc', hide, async (req, reply) => {
    requireUser(req.actor);
    return editor(req, reply, {
      action: '/catalogue/records/new/marc',
      title: req.t('catalogue.editor.newTitle'),
      leader: '00000nam a2200000 i 4500',
      rows: TEMPLATE,
    });
  });

  app.post('/catalogue/records/new/marc', hide, async (req, reply) => {
    requireUser(req.actor);
    const form = gridFromBody(req.body);
    try {
      if (!form.institutionId) throw new ValidationError([issue('institutionId', 'errors.required')]);
      const marc = recordFromGrid(form.leader, filled(form.rows));
      const row = await inTx(req, (tx) => createRecord(tx, req.actor, form.institutionId, marc));
      return reply.redirect(`/catalogue/records/${row.id}?notice=saved`, 303);
    } catch (err) {
      const issues = issuesOf(err);
      if (!issues) throw err;
      return editor(req, reply, { action: '/catalogue/records/new/marc', title: req.t('catalogue.editor.newTitle'), ...form, issues }, 422);
    }
  });

  app.get('/catalogue/records/:id/edit', { schema: { hide: true, params: IdParams } }, async (req, reply) => {
    requireUser(req.actor);
    const record = await getRecord(dbOf(req), req.params.id);
    return editor(req, reply, {
      action: `/catalogue/records/${record.id}/edit`,
      title: req.t('catalogue.editor.editTitle', { title: record.title }),
      leader: record.marc.leader,
      rows: gridOf(record.marc),
      deleteHref: `/catalogue/records/${record.id}/delete`,
    });
  });

  app.post('/catalogue/records/:id/edit', { schema: { hide: true, params: IdParams } }, async (req, reply) => {
    requireUser(req.actor);
    const record = await getRecord(dbOf(req), req.params.id);
    const form = gridFromBody(req.body);
    try {
      if (!form.institutionId) throw new ValidationError([issue('institutionId', 'errors.required')]);
      const marc = recordFromGrid(form.leader, form.rows);
      await inTx(req, (tx) => updateRecord(tx, req.actor, record.id, form.institutionId, marc));
      return reply.redirect(`/catalogue/records/${record.id}?notice=saved`, 303);
    } catch (err) {
      const issues = issuesOf(err);
      if (!issues) throw err;
      return editor(
        req,
        reply,
        {
          action: `/catalogue/records/${record.id}/edit`,
          title: req.t('catalogue.editor.editTitle', { title: record.title }),
          ...form,
          issues,
          deleteHref: `/catalogue/records/${record.id}/delete`,
        },
        422,
      );
    }
  });

  app.get('/catalogue/records/:id/delete', { schema: { hide: true, params: IdParams } }, async (req, reply) => {
    requireUser(req.actor);
    return confirmDelete(req, reply, await getRecord(dbOf(req), req.params.id));
  });

  app.post('/catalogue/records/:id/delete', { schema: { hide: true, params: IdParams } }, async (req, reply) => {
    requireUser(req.actor);
    const record = await getRecord(dbOf(req), req.params.id);
    try {
      const { institutionId } = parseForm(DeleteForm, req.body);
      await inTx(req, (tx) => deleteRecord(tx, req.actor, record.id, institutionId));
      return reply.redirect('/catalogue?notice=deleted', 303);
    } catch (err) {
      const issues = issuesOf(err);
      if (!issues) throw err;
      return confirmDelete(
        req,
        reply,
        record,
        { institutionId: (req.body as Record<string, string> | undefined)?.institutionId, issues },
        err instanceof ConflictError ? 409 : 422,
      );
    }
  });
};
