import { eq } from 'drizzle-orm';
import { modules } from './modules.js';
import { institutionIdByCode, unitIdByCode } from './orgs/index.js';
import { systemActor, type Role } from './platform/access.js';
import { hashPassword } from './platform/auth/passwords.js';
import { withTransaction, type Database, type Db } from './platform/db/index.js';
import { seedStepsOf } from './platform/module.js';
import { roleGrants, systemState, users } from './platform/schema.js';

export const DEMO_PASSWORD = 'demo-suotdoi';

export interface DemoLogin {
  email: string;
  name: string;
  role: Role | 'learner';
  scope?: { institution?: string; unit?: string };
}

/** Demo accounts, one per role; printed at start so a visitor can try each. */
export const demoLogins: DemoLogin[] = [
  { email: 'quantri@demo.suotdoi.vn', name: 'Quản trị hệ thống (demo)', role: 'sysadmin' },
  { email: 'so.vhttdl@demo.suotdoi.vn', name: 'Sở VHTTDL Vĩnh Long (demo)', role: 'dept_admin', scope: { unit: '86' } },
  { email: 'tp.vinhlong@demo.suotdoi.vn', name: 'Cán bộ TP Vĩnh Long (demo)', role: 'unit_officer', scope: { unit: '855' } },
  { email: 'thuvien.tinh@demo.suotdoi.vn', name: 'Quản lý Thư viện tỉnh (demo)', role: 'manager', scope: { institution: 'TV-86' } },
  { email: 'canbo.thuvien@demo.suotdoi.vn', name: 'Cán bộ Thư viện tỉnh (demo)', role: 'staff', scope: { institution: 'TV-86' } },
  { email: 'nguoihoc@demo.suotdoi.vn', name: 'Nguyễn Thị Học (demo)', role: 'learner' },
];

const SEEDED = 'demo_seeded';

export async function demoSeeded(db: Db): Promise<boolean> {
  const [row] = await db.select().from(systemState).where(eq(systemState.key, SEEDED)).limit(1);
  return Boolean(row);
}

/** Loads the labelled demo data once; running it again changes nothing. */
export async function seedDemo(database: Database): Promise<boolean> {
  if (await demoSeeded(database.db)) return false;
  await withTransaction(database.db, async (tx) => {
    for (const step of seedStepsOf(modules, 'demo')) await step.run(tx, systemActor);
    const hash = await hashPassword(DEMO_PASSWORD);
    for (const login of demoLogins) {
      const [user] = await tx
        .insert(users)
        .values({ email: login.email, displayName: login.name, passwordHash: hash, isDemo: true })
        .onConflictDoNothing()
        .returning({ id: users.id });
      if (!user || login.role === 'learner') continue;
      const institutionId = login.scope?.institution ? await institutionIdByCode(tx, login.scope.institution) : null;
      const unitId = login.scope?.unit ? await unitIdByCode(tx, login.scope.unit, new Date('2025-01-01')) : null;
      await tx.insert(roleGrants).values({ userId: user.id, role: login.role, institutionId, unitId });
    }
    await tx.insert(systemState).values({ key: SEEDED, value: { at: new Date().toISOString() } });
  });
  return true;
}
