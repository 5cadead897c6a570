// What `pman info` reports: the host, the OCI runtime and its version, where state lives, and how
// many containers are in each status. Data only; the command chooses YAML, JSON or a template.
import { execFile } from 'node:child_process';
import os from 'node:os';
import { cgroupVersion } from '../cgroup/cgroup.js';
import type { Context } from '../context.js';
import { goArch, pmanVersion } from './version.js';
import { isPaused, isRunning, isRunningNotPaused } from '../state/container-status.js';
import { listContainers } from '../state/containers.js';

export interface SystemInfo {
  host: {
    arch: string;
    kernel: string;
    os: 'linux';
    hostname: string;
    cgroupVersion: string;
    cgroupManager: 'cgroupfs';
    rootless: boolean;
    ociRuntime: { name: string; path: string; version: string };
  };
  store: {
    graphRoot: string;
    runRoot: string;
    graphDriverName: 'overlay';
    containerStore: { number: number; running: number; paused: number; stopped: number };
  };
  version: { Version: string; NodeVersion: string };
}

/**
 * The first line of `<runtime> --version`. Plain execFile, not execa: this is the only process info
 * runs, and execa (a quarter of the CLI bundle) is kept for helper processes off the hot path.
 */
function runtimeVersion(runtime: string): Promise<string> {
  return new Promise((resolve) => {
    execFile(runtime, ['--version'], (err, stdout) => {
      if (err) resolve(`not available (${err.message.split('\n')[0]})`);
      else resolve(stdout.split('\n')[0]);
    });
  });
}

export async function systemInfo(ctx: Context): Promise<SystemInfo> {
  const version = await runtimeVersion(ctx.runtime);
  const recs = listContainers(ctx);
  return {
    host: {
      arch: goArch(),
      kernel: os.release(),
      os: 'linux',
      hostname: os.hostname(),
      cgroupVersion: `v${cgroupVersion()}`,
      cgroupManager: 'cgroupfs',
      rootless: ctx.rootless,
      ociRuntime: { name: ctx.runtime, path: ctx.runtime, version },
    },
    store: {
      graphRoot: ctx.root,
      runRoot: ctx.runroot,
      graphDriverName: 'overlay',
      containerStore: {
        number: recs.length,
        running: recs.filter(isRunningNotPaused).length,
        paused: recs.filter(isPaused).length,
        stopped: recs.filter((r) => !isRunning(r)).length,
      },
    },
    version: { Version: pmanVersion(), NodeVersion: process.version },
  };
}
