// Start-up tracing for performance work: PMAN_TRACE=1 prints "<ms since process start> <label>"
// lines on stderr; PMAN_TRACE=/some/file appends them there instead (so the CLI's and the shim's
// lines land in one place, with wall-clock times to line them up). Costs one env lookup when off.
import fs from 'node:fs';

const setting = process.env.PMAN_TRACE;

export function trace(label: string): void {
  if (!setting) return;
  const line = `trace ${((performance.timeOrigin + performance.now()) % 100000).toFixed(2)} ${process.pid} +${performance.now().toFixed(1)}ms ${label}\n`;
  if (setting === '1') process.stderr.write(line);
  else fs.appendFileSync(setting, line);
}
