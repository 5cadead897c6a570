// (f) Rootless networks, pman against podman run by the same unprivileged user, interleaved:
// start-up to exit of `run --rm busybox true` with each engine's default network (pman and podman 4: slirp4netns;
// pman's pasta is measured apart in docs/networking.md), and TCP throughput through a published port: SIZE bytes from the host's
// loopback into busybox `nc -l` in the container, timed from the first byte sent until the
// container, having counted them, exits. Traffic stays on this machine.
import { interleave } from '../lib/interleave.mjs';
import { BenchError, output, run, shellQuote } from '../lib/proc.mjs';
import { section, targetLine } from '../lib/report.mjs';
import { withRootlessEngines } from '../lib/rootless.mjs';
import { ratioTo, timingRows } from './ratios.mjs';

const START_LABELS = {
  pman: (user) => `\`pman run --rm busybox true\` as ${user} (default network: slirp4netns)`,
  podman: (user) => `\`podman run --rm busybox true\` as ${user} (default network: slirp4netns)`,
};
const TCP_LABELS = {
  pman: (s) => `${s} into \`pman run -p PORT:8000 busybox nc -l\``,
  podman: (s) => `${s} into \`podman run -p PORT:8000 busybox nc -l\``,
};

/** A host port free now (the benchmark is alone with it for the moment it needs it). */
function freePort() {
  const probe = `const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})`;
  return Number(output([process.execPath, '-e', probe]));
}

/** One transfer: start the receiver, send SIZE bytes from the host, wait for its exit; ms from first byte to exit. */
function transfer(e, bytes, timeoutMs) {
  const name = `tput-${process.pid}`;
  const port = freePort();
  run(e.detachedArgv(name, ['-p', `127.0.0.1:${port}:8000`], ['sh', '-c', 'nc -l -p 8000 | wc -c']), { timeoutMs: 60_000 });
  try {
    // nc accepts one connection: wait until it listens (a probe connection would be that one).
    const listening = e.argv(['exec', name, 'sh', '-c', 'netstat -tln | grep -q ":8000 "']);
    for (let i = 0; run(listening, { allowFail: true, timeoutMs: 30_000 }).code !== 0; i++) {
      if (i === 200) throw new BenchError(`Cannot measure rootless ${e.name} TCP throughput: nc in the container never listened`);
    }
    const send = `start=$(date +%s%N); head -c ${bytes} /dev/zero > /dev/tcp/127.0.0.1/${port} && ${shellQuote(e.argv(['wait', name]))} >/dev/null; `
      + `echo $(( ($(date +%s%N) - start) / 1000 ))`;
    const us = Number(output(['bash', '-c', send], { timeoutMs }));
    const got = Number(output(e.argv(['logs', name])).trim().split('\n').pop());
    if (got !== bytes) throw new BenchError(`Cannot measure rootless ${e.name} TCP throughput: the container counted ${got} bytes, expected ${bytes}`);
    return us / 1000;
  } finally {
    run(e.argv(['rm', '-f', '-t', '0', name]), { allowFail: true, timeoutMs: 60_000 });
  }
}

export async function rootlessNetwork({ opts, log, tarball }) {
  return withRootlessEngines({ opts, log, tarball }, 'pmrn-', async (engines, user) => {
    log(`rootless-net: ${opts.runs} interleaved runs of each (${opts.warmup} warm-up) as ${user.name}, then ${opts.throughputRuns} transfers of ${opts.sizeText}`);
    const start = await interleave(
      engines.map((e) => ({ key: e.name, measure: () => run(e.defaultNetworkArgv(['true']), { timeoutMs: 60_000 }).ms })),
      { runs: opts.runs, warmup: opts.warmup, progress: opts.progress('rootless-net start') },
    );
    const bytes = opts.sizeBytes;
    const timeoutMs = Math.round(Math.min(3_600_000, 120_000 + bytes / 1000));
    const tcp = await interleave(
      engines.map((e) => ({ key: e.name, measure: () => transfer(e, bytes, timeoutMs) })),
      { runs: opts.throughputRuns, warmup: 0, progress: opts.progress('rootless-net tcp') },
    );
    const mibps = (ms) => (bytes / 1048576 / (ms / 1000)).toFixed(0);
    return {
      results: { start, tcp },
      markdown: [
        section({
          title: 'Run a container to completion, rootless, default network',
          intro: `Wall time of one foreground run of \`true\` with \`--rm\` by ${user.name} with each engine's default rootless `
            + `network (${opts.runs} interleaved runs each, after ${opts.warmup} warm-up).`,
          columns: ['command', 'median ms', 'min ms', 'vs podman'],
          rows: timingRows(engines, start, (e) => START_LABELS[e.name](user.name)),
          notes: [targetLine('rootless pman run (default network) ≤ 0.70× rootless podman', ratioTo(start, 'pman'), 0.7, 'lower')],
        }),
        section({
          title: 'TCP throughput through a published port, rootless',
          intro: `Wall time to send ${opts.sizeText} (${bytes} bytes) from the host's loopback to busybox \`nc -l\` in a `
            + `container through \`-p 127.0.0.1:PORT:8000\`, until the container has counted them and exited `
            + `(${opts.throughputRuns} interleaved runs each; pman through slirp4netns add_hostfwd, podman through slirp4netns with rootlessport).`,
          columns: ['transfer', 'median ms', 'min ms', 'MiB/s (median)', 'time vs podman'],
          rows: timingRows(engines, tcp, (e) => TCP_LABELS[e.name](opts.sizeText), (e, r) => [mibps(r.median)]),
          notes: [targetLine('rootless pman TCP throughput ≥ podman (podman time / pman time ≥ 1)', 1 / ratioTo(tcp, 'pman'), 1, 'higher')],
        }),
      ].join('\n'),
    };
  });
}
