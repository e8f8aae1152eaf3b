import cliProgress from 'cli-progress';
import type { ProgressSink } from './inputs.js';

/**
 * A byte-progress bar on stderr, shown only when stderr is a terminal (quiet in CI logs and pipes) and the
 * input is large enough for progress to matter.
 */
export function terminalProgress(
  stream: NodeJS.WriteStream = process.stderr,
  minBytes = 8 * 1024 * 1024,
): ProgressSink | undefined {
  if (!stream.isTTY) return undefined;
  let bar: cliProgress.SingleBar | undefined;
  let done = 0;
  return {
    start(total) {
      if (total < minBytes) return;
      bar = new cliProgress.SingleBar(
        {
          stream,
          format: 'profiling [{bar}] {percentage}% | {value}/{total} MB | eta {eta_formatted}',
          hideCursor: true,
        },
        cliProgress.Presets.shades_classic,
      );
      bar.start(Math.ceil(total / 1e6), 0);
    },
    advance(bytes) {
      done += bytes;
      bar?.update(Math.floor(done / 1e6));
    },
    stop() {
      bar?.stop();
    },
  };
}
