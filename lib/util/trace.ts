// Start-up tracing for performance work: PMAN_TRACE=1 prints "<ms since process start> <label>"
// lines on stderr (the shim's go to its log). Costs one env lookup when off.
const on = process.env.PMAN_TRACE === '1';

export function trace(label: string): void {
  if (on) process.stderr.write(`trace ${process.pid} ${performance.now().toFixed(1)}ms ${label}\n`);
}
