import cliProgress from 'cli-progress';
import type { Progress } from '../backup.js';

/** A progress bar on a terminal; silent when output goes to a file or a pipe. */
export function terminalProgress(): Progress {
  if (!process.stderr.isTTY) return { start() {}, tick() {}, stop() {} };
  let bar: cliProgress.SingleBar | null = null;
  return {
    start(total, label) {
      bar = new cliProgress.SingleBar(
        {
          stream: process.stderr,
          format: `${label.padEnd(10)} [{bar}] {percentage}% | {value}/{total} | {eta_formatted}`,
          hideCursor: true,
        },
        cliProgress.Presets.shades_classic,
      );
      bar.start(total, 0);
    },
    tick(n) {
      bar?.increment(n);
    },
    stop() {
      bar?.stop();
      bar = null;
    },
  };
}
