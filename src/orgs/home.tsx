import type { Db } from '../platform/db/index.js';
import { formatNumber } from '../platform/i18n/index.js';
import type { PageContext } from '../platform/web/context.js';
import { networkCounts } from './service.js';

/** The home page's part about the province's network: units and institutions in force today. */
export async function NetworkHomePart(ctx: PageContext, db: Db) {
  const { t } = ctx;
  const counts = await networkCounts(db, new Date());
  return (
    <>
      <h2>{t('home.network.title')}</h2>
      <ul>
        <li>
          <a href="/units">{t('home.network.units', { n: formatNumber(ctx.locale, counts.units) })}</a>
        </li>
        <li>
          <a href="/institutions">{t('home.network.institutions', { n: formatNumber(ctx.locale, counts.institutions) })}</a>
        </li>
      </ul>
    </>
  );
}
