import bwipjs from 'bwip-js';
import type { PageContext } from '../../platform/web/context.js';
import { Layout } from '../../platform/web/layout.js';

/** A Code 128 barcode as SVG (with the human-readable text below the bars). */
export function code128Svg(text: string): string {
  return bwipjs.toSVG({ bcid: 'code128', text, scale: 2, height: 12, includetext: true, textxalign: 'center' });
}

/** One copy's spine label: its barcode, call number, title and library. */
export interface Label {
  barcode: string;
  callNumber: string | null;
  title: string;
  library: string;
}

export function LabelsPage({ ctx, title, labels }: { ctx: PageContext; title: string; labels: Label[] }) {
  return (
    <Layout ctx={ctx} title={ctx.t('catalogue.labels.title', { title })}>
      <h1>{ctx.t('catalogue.labels.title', { title })}</h1>
      <p class="muted">{ctx.t('catalogue.labels.hint')}</p>
      <ul class="cards">
        {labels.map((l) => (
          <li class="card" key={l.barcode}>
            <p>
              <strong>{l.library}</strong>
            </p>
            <p>{l.title.length > 60 ? `${l.title.slice(0, 59)}…` : l.title}</p>
            {l.callNumber ? (
              <p>
                <strong>{l.callNumber}</strong>
              </p>
            ) : null}
            <div
              role="img"
              aria-label={ctx.t('catalogue.labels.barcode', { barcode: l.barcode })}
              dangerouslySetInnerHTML={{ __html: code128Svg(l.barcode) }}
            />
          </li>
        ))}
      </ul>
    </Layout>
  );
}
