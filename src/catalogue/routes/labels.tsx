import bwipjs from 'bwip-js';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requireUser } from '../../platform/access.js';
import { dbOf, pageContext, sendPage } from '../../platform/http/context.js';
import type { PageContext } from '../../platform/web/context.js';
import { Layout } from '../../platform/web/layout.js';
import { libraryNames } from '../libraries.js';
import { getItem, getRecord, itemsOf, type ItemRow } from '../service.js';
import { IdParams } from './common.js';

/** A Code 128 barcode as SVG (with the human-readable text below the bars). */
export function code128Svg(text: string): string {
  return bwipjs.toSVG({ bcid: 'code128', text, scale: 2, height: 12, includetext: true, textxalign: 'center' });
}

interface Label { barcode: string; callNumber: string | null; title: string; library: string }

function LabelsPage({ ctx, title, labels }: { ctx: PageContext; title: string; labels: Label[] }) {
  return (
    <Layout ctx={ctx} title={ctx.t('catalogue.labels.title', { title })}>
      <h1>{ctx.t('catalogue.labels.title', { title })}</h1>
      <p class="muted">{ctx.t('catalogue.labels.hint')}</p>
      <ul class="cards">
        {labels.map((l) => (
          <li class="card" key={l.barcode}>
            <p><strong>{l.library}</strong></p>
            <p>{l.title.length > 60 ? `${l.title.slice(0, 59)}…` : l.title}</p>
            {l.callNumber ? <p><strong>{l.callNumber}</strong></p> : null}
            <div role="img" aria-label={ctx.t('catalogue.labels.barcode', { barcode: l.barcode })} dangerouslySetInnerHTML={{ __html: code128Svg(l.barcode) }} />
          </li>
        ))}
      </ul>
    </Layout>
  );
}

export const labelRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const labelsOf = async (db: ReturnType<typeof dbOf>, title: string, rows: ItemRow[]): Promise<Label[]> => {
    const names = await libraryNames(db, rows.map((r) => r.institutionId));
    return rows.map((r) => ({ barcode: r.barcode, callNumber: r.callNumber, title, library: names.get(r.institutionId) ?? '' }));
  };

  app.get('/catalogue/items/:id/label', { schema: { hide: true, params: IdParams } }, async (req, reply) => {
    requireUser(req.actor);
    const db = dbOf(req);
    const item = await getItem(db, req.params.id);
    const record = await getRecord(db, item.recordId);
    return sendPage(reply, <LabelsPage ctx={pageContext(req)} title={record.title} labels={await labelsOf(db, record.title, [item])} />);
  });

  app.get('/catalogue/records/:id/labels', { schema: { hide: true, params: IdParams } }, async (req, reply) => {
    requireUser(req.actor);
    const db = dbOf(req);
    const record = await getRecord(db, req.params.id);
    return sendPage(reply, <LabelsPage ctx={pageContext(req)} title={record.title} labels={await labelsOf(db, record.title, await itemsOf(db, record.id))} />);
  });
};
