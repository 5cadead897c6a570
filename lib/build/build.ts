// `pman build`: a Containerfile's stages built in order, each from its base (an image, an
// earlier stage or scratch) through its steps; the final (or --target) stage's image is named.
// Steps are containers and commits (container-adapter.ts, image-adapter.ts); this module adds
// the file's order, ARG scoping, ONBUILD triggers and the progress lines podman prints.
import fs from 'node:fs';
import path from 'node:path';
import type { Context } from '../context.js';
import { InvalidArgumentError, NotFoundError, PmanError } from '../errors.js';
import { parseContainerfile, parseInstructions, type Containerfile, type Stage } from './containerfile.js';
import { expandWord } from './expand.js';
import { baseImage, fullName, nameImage, scratchImage, type ImageRecord, type StageImage } from './image-adapter.js';
import { IgnoreRules } from './ignore.js';
import { DEFAULT_PATH, envOf } from './metadata.js';
import { declareArg, executeStep } from './step.js';
import { objectEvent } from '../events/events-file.js';
import type { BuildEnv, BuildOptions, StageState } from './stage-state.js';

export type { BuildOptions } from './stage-state.js';

export interface BuildResult {
  image: ImageRecord;
  /** The names it was given. */
  names: string[];
}

/** The Containerfile: -f's, else Containerfile, else Dockerfile in the context (podman's order). */
function readContainerfile(opts: BuildOptions): { text: string; file: string } {
  if (opts.fileText !== undefined) return { text: opts.fileText, file: '-' };
  const candidates = opts.file ? [path.resolve(opts.cwd, opts.file)] : ['Containerfile', 'Dockerfile'].map((f) => path.join(opts.context, f));
  for (const file of candidates) {
    try {
      return { text: fs.readFileSync(file, 'utf8'), file };
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' && !opts.file) continue;
      if (code === 'ENOENT') throw new NotFoundError(`cannot read Containerfile "${file}": no such file`);
      throw new InvalidArgumentError(`cannot read Containerfile "${file}": ${(err as Error).message}`);
    }
  }
  throw new NotFoundError(`no Containerfile or Dockerfile in the build context "${opts.context}": add one or give -f FILE`);
}

function checkContext(dir: string): void {
  try {
    if (!fs.statSync(dir).isDirectory()) throw new InvalidArgumentError(`cannot use "${dir}" as the build context: it is not a directory`);
    fs.accessSync(dir, fs.constants.R_OK | fs.constants.X_OK);
    fs.readdirSync(dir);
  } catch (err) {
    if (err instanceof InvalidArgumentError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new InvalidArgumentError(`cannot read the build context "${dir}": ${code === 'ENOENT' ? 'no such directory' : code === 'EACCES' ? 'permission denied' : (err as Error).message}`);
  }
}

function parseBuildArgs(list: string[], hostEnv: NodeJS.ProcessEnv): Map<string, string> {
  const out = new Map<string, string>();
  for (const a of list) {
    const eq = a.indexOf('=');
    const name = eq < 0 ? a : a.slice(0, eq);
    if (!name) throw new InvalidArgumentError(`invalid --build-arg "${a}": use NAME=VALUE`);
    const value = eq < 0 ? hostEnv[name] : a.slice(eq + 1);
    if (value !== undefined) out.set(name, value);
  }
  return out;
}

/** The index of the last stage to build (--target, else the last). */
function targetIndex(cf: Containerfile, target?: string): number {
  if (target === undefined) return cf.stages.length - 1;
  const i = cf.stages.findIndex((s) => s.name === target.toLowerCase());
  if (i < 0) throw new NotFoundError(`cannot build target "${target}": the Containerfile has no stage named "${target}"`);
  return i;
}

async function stageBase(env: BuildEnv, stage: Stage, globals: ReadonlyMap<string, string>): Promise<{ base: StageImage; name: string }> {
  const ref = expandWord(stage.from, globals, env.escape);
  if (!ref) throw new InvalidArgumentError(`cannot build from "${env.file}": line ${stage.fromLine}: FROM "${stage.from}" names no image`);
  const earlier = env.stages.get(ref.toLowerCase());
  if (earlier) return { base: earlier, name: ref };
  if (ref === 'scratch') return { base: scratchImage(), name: 'scratch' };
  try {
    return { base: await baseImage(env.ctx, ref, env.opts.pull), name: ref };
  } catch (err) {
    if (err instanceof PmanError) throw new PmanError(err.code, `building at STEP "FROM ${stage.from}": ${err.message}`, { cause: err, exitCode: err.exitCode });
    throw err;
  }
}

function withLabels(config: Record<string, unknown>, labels: string[]): Record<string, unknown> {
  if (labels.length === 0) return config;
  const merged: Record<string, string> = { ...((config.Labels as Record<string, string> | null) ?? {}) };
  for (const l of labels) {
    const eq = l.indexOf('=');
    if (eq <= 0) throw new InvalidArgumentError(`invalid --label "${l}": use KEY=VALUE`);
    merged[l.slice(0, eq)] = l.slice(eq + 1);
  }
  return { ...config, Labels: merged };
}

async function buildStage(env: BuildEnv, cf: Containerfile, stage: Stage, final: boolean, globals: ReadonlyMap<string, string>): Promise<StageImage> {
  const prefix = cf.stages.length > 1 ? `[${stage.index + 1}/${cf.stages.length}] ` : '';
  const total = stage.instructions.length + 1;
  env.log(`${prefix}STEP 1/${total}: FROM ${stage.from}${stage.name ? ` AS ${stage.name}` : ''}`);
  const { base, name } = await stageBase(env, stage, globals);
  let config = { ...(base.doc.config ?? {}) };
  if (!envOf(config).some((e) => e.startsWith('PATH='))) config.Env = [DEFAULT_PATH, ...envOf(config)];
  config = withLabels(config, env.opts.labels);
  const triggers = Array.isArray(config.OnBuild) ? (config.OnBuild as string[]) : [];
  delete config.OnBuild;
  const s: StageState = { index: stage.index, cur: base, config, args: new Map(), parentName: name };
  for (const t of triggers) {
    for (const ins of parseInstructions(t, `ONBUILD of ${name}`).instructions) {
      env.log(`${prefix}ONBUILD ${t}`);
      await executeStep(s, ins, env, { prefix, last: false }, globals);
    }
  }
  for (const [i, ins] of stage.instructions.entries()) {
    env.log(`${prefix}STEP ${i + 2}/${total}: ${ins.keyword} ${ins.flags.size ? `${[...ins.flags].map(([k, v]) => `--${k}=${v}`).join(' ')} ` : ''}${ins.args}`);
    await executeStep(s, ins, env, { prefix, last: final && i === stage.instructions.length - 1 }, globals);
  }
  if (!final && stage.instructions.length === 0 && s.cur.image) env.log(`--> ${s.cur.image.id.slice(0, 11)}`);
  return s.cur;
}

export async function buildImage(ctx: Context, opts: BuildOptions): Promise<BuildResult> {
  checkContext(opts.context);
  const { text, file } = readContainerfile(opts);
  const cf = parseContainerfile(text, file);
  const last = targetIndex(cf, opts.target);
  const buildArgs = parseBuildArgs(opts.buildArgs, opts.hostEnv);
  const env: BuildEnv = {
    ctx,
    opts,
    file,
    escape: cf.escape,
    log: (line) => {
      if (!opts.quiet) opts.stdout.write(`${line}\n`);
    },
    stages: new Map(),
    settings: JSON.stringify({ format: opts.format, labels: opts.labels }),
    buildArgs,
    ignore: IgnoreRules.load(opts.context, opts.ignoreFile),
  };
  const globals = new Map<string, string>();
  for (const ins of cf.globalArgs) declareArg(globals, ins, env, globals);
  let result: StageImage | undefined;
  for (const stage of cf.stages.slice(0, last + 1)) {
    result = await buildStage(env, cf, stage, stage.index === last, globals);
    env.stages.set(String(stage.index), result);
    if (stage.name) env.stages.set(stage.name, result);
  }
  const image = result?.image;
  if (!image) throw new InvalidArgumentError(`cannot build from "${file}": the image is empty (FROM scratch with no step that adds files or settings)`);
  const prefix = cf.stages.length > 1 ? `[${last + 1}/${cf.stages.length}] ` : '';
  env.log(`${prefix}COMMIT${opts.tags.length ? ` ${opts.tags[0]}` : ''}`);
  env.log(`--> ${image.id.slice(0, 11)}`);
  const names = opts.tags.map(fullName);
  const named = await nameImage(ctx, image.id, names);
  for (const n of names) env.log(`Successfully tagged ${n}`);
  objectEvent(ctx, 'image', 'build', named.id, names[0]);
  return { image: named, names };
}
