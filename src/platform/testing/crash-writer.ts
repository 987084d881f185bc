// Writes to an embedded database without end, printing each committed total, until killed.
import { openDatabase } from '../db/index.js';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: crash-writer DATA_DIR');
const database = await openDatabase({ dataDir, lock: 'server' });
await database.migrate();
let total = 0;
for (;;) {
  await database.withClient(async (c) => {
    await c.exec('BEGIN');
    for (let i = 0; i < 20; i++) {
      await c.query(`insert into audit_log (actor_label, action, entity_type, entity_id, after) values ('crash', 'write', 'row', $1, $2)`, [
        String(total + i),
        JSON.stringify({ payload: 'x'.repeat(500), i }),
      ]);
    }
    await c.exec('COMMIT');
  });
  total += 20;
  process.stdout.write(`committed ${total}\n`);
}
