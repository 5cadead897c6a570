// What a build carries from step to step: per build, the options, output streams and the images
// of finished stages; per stage, its current image, working config and ARG values.
import type { Writable } from 'node:stream';
import type { Context } from '../context.js';
import type { PullPolicy } from '../registry/ensure-image.js';
import type { PullOptions } from '../registry/pull.js';
import type { StageImage } from './image-adapter.js';
import type { IgnoreRules } from './ignore.js';
import { DEFAULT_SHELL, envOf, type Config } from './metadata.js';

export type ImageFormat = 'oci' | 'docker';

export interface BuildOptions {
  /** The build context directory. */
  context: string;
  /** The Containerfile's path (relative to cwd), undefined: Containerfile or Dockerfile in the context. */
  file?: string;
  /** The Containerfile's text when it came from standard input (`-f -`). */
  fileText?: string;
  /** Names to give the image (short names go under localhost/). */
  tags: string[];
  /** --build-arg values (NAME=VALUE; a bare NAME takes the value from hostEnv). */
  buildArgs: string[];
  hostEnv: NodeJS.ProcessEnv;
  target?: string;
  noCache: boolean;
  /** --layers=false: no cache is used or recorded. */
  layers: boolean;
  pull?: { policy: PullPolicy; options: Omit<PullOptions, 'reference'> };
  network?: string;
  labels: string[];
  format: ImageFormat;
  /** --ignorefile: instead of <context>/.containerignore or .dockerignore. */
  ignoreFile?: string;
  cwd: string;
  /** Step lines and RUN output; the command passes a sink for -q. */
  stdout: Writable;
  /** RUN error output and nothing else. */
  stderr: Writable;
  quiet: boolean;
  /** Aborted when the build must stop (the command aborts it on SIGINT/SIGTERM): the running step's container is removed. */
  signal?: AbortSignal;
}

export interface BuildEnv {
  ctx: Context;
  opts: BuildOptions;
  file: string;
  escape: string;
  /** Writes one line of build progress (not with -q). */
  log(line: string): void;
  /** Images of finished stages, by name and by index ("0", "1" …). */
  stages: Map<string, StageImage>;
  /** What every cache key includes besides the step: format and --label values. */
  settings: string;
  /** ARG values given on the command line. */
  buildArgs: Map<string, string>;
  ignore: IgnoreRules;
}

export interface StageState {
  index: number;
  /** The stage's current image (the base, then each step's result). */
  cur: StageImage;
  config: Config;
  args: Map<string, string>;
  /** How history comments name the parent ("FROM busybox"). */
  parentName: string;
  author?: string;
}

/** ARG values given to predefined proxy variables are usable without an ARG line, as in docker. */
export const PROXY_ARGS = ['HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy', 'FTP_PROXY', 'ftp_proxy', 'NO_PROXY', 'no_proxy', 'ALL_PROXY', 'all_proxy'];

/** The variables an instruction's arguments are expanded with: ARG values, then ENV (which wins). */
export function varsOf(s: StageState): Map<string, string> {
  const vars = new Map(s.args);
  for (const e of envOf(s.config)) {
    const eq = e.indexOf('=');
    if (eq > 0) vars.set(e.slice(0, eq), e.slice(eq + 1));
  }
  return vars;
}

export function shellOf(s: StageState): string[] {
  return Array.isArray(s.config.Shell) && s.config.Shell.length > 0 ? (s.config.Shell as string[]) : DEFAULT_SHELL;
}

/** The environment a RUN sees on top of the image's: the stage's ARG values. */
export function runEnv(s: StageState, env: BuildEnv): string[] {
  const out = [...s.args].map(([k, v]) => `${k}=${v}`);
  for (const p of PROXY_ARGS) if (env.buildArgs.has(p) && !s.args.has(p)) out.push(`${p}=${env.buildArgs.get(p)}`);
  return out;
}
