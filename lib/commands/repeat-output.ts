// Output printed again and again until interrupted (stats without --no-stream, ps --watch): each
// round replaces the last on the screen unless told not to clear it.
import type { IO } from './types.js';

/** Prints once() every intervalSec seconds until SIGINT/SIGTERM; resolves 0 then. */
export function repeatOutput(io: IO, once: () => Promise<string>, intervalSec: number, reset: boolean): Promise<number> {
  return new Promise((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const stop = () => {
      if (timer) clearTimeout(timer);
      resolve(0);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    const tick = async () => {
      try {
        const text = await once();
        io.stdout.write(reset ? `\x1b[2J\x1b[H${text}` : text);
        timer = setTimeout(tick, intervalSec * 1000);
      } catch (err) {
        reject(err);
      }
    };
    void tick();
  });
}
