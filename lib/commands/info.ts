// pman info: where state lives, the runtime and its version, rootless or not, storage, cgroups.
import type { Argv } from 'yargs';
import fs from 'node:fs';
import os from 'node:os';
import { execa } from 'execa';
import { compileTemplate } from '../format/template.js';
import { listContainers } from '../state/containers.js';
import { pmanVersion } from './version.js';
import type { CommandSpec } from './types.js';

function cgroupVersion(): string {
  try {
    return fs.statfsSync('/sys/fs/cgroup').type === 0x63677270 ? 'v2' : 'v1';
  } catch {
    return 'unknown';
  }
}

export const info: CommandSpec = {
  usage: 'info [options]',
  builder: (y: Argv) => y.option('format', { alias: 'f', type: 'string', describe: 'Go template for the output' }),
  handler: async (ctx, argv, io) => {
    let runtimeVersion = 'unknown';
    try {
      const r = await execa(ctx.runtime, ['--version']);
      runtimeVersion = r.stdout.split('\n')[0];
    } catch (err) {
      runtimeVersion = `not available (${(err as Error).message.split('\n')[0]})`;
    }
    const recs = listContainers(ctx);
    const data = {
      host: {
        arch: process.arch === 'x64' ? 'amd64' : process.arch,
        kernel: os.release(),
        os: 'linux',
        hostname: os.hostname(),
        cgroupVersion: cgroupVersion(),
        cgroupManager: 'cgroupfs',
        rootless: ctx.rootless,
        ociRuntime: { name: ctx.runtime, path: ctx.runtime, version: runtimeVersion },
      },
      store: {
        graphRoot: ctx.root,
        runRoot: ctx.runroot,
        graphDriverName: 'overlay',
        containerStore: {
          number: recs.length,
          running: recs.filter((r) => r.state.status === 'running').length,
          paused: recs.filter((r) => r.state.status === 'paused').length,
          stopped: recs.filter((r) => r.state.status === 'exited' || r.state.status === 'created').length,
        },
      },
      version: { Version: pmanVersion(), NodeVersion: process.version },
    };
    if (argv.format) io.stdout.write(`${compileTemplate(argv.format as string)(data)}\n`);
    else io.stdout.write(toYaml(data, 0));
    return 0;
  },
};

function toYaml(v: unknown, indent: number): string {
  const pad = ' '.repeat(indent);
  let out = '';
  for (const [k, val] of Object.entries(v as Record<string, unknown>)) {
    if (val !== null && typeof val === 'object') out += `${pad}${k}:\n${toYaml(val, indent + 2)}`;
    else out += `${pad}${k}: ${String(val)}\n`;
  }
  return out;
}
