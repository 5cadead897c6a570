// One step of a stage: its cache key, a cache hit or the work (a metadata change, RUN, COPY/ADD),
// and the lines podman prints for it. Every step but ARG leaves an image, as podman's --layers
// builds do, so the next build can start again from any unchanged step.
import { InvalidArgumentError, PmanError } from '../errors.js';
import { cacheKey, cacheLookup, cacheStore } from './cache.js';
import { instructionText, type Instruction } from './containerfile.js';
import { expandWord } from './expand.js';
import { commitStep, findImage, imageOf, type StageImage } from './image-adapter.js';
import { applyMetadata, configForFormat, nopHistory } from './metadata.js';
import { planCopyStep } from './step-copy.js';
import { interrupted, runKeyParts, runStep } from './step-run.js';
import { shellOf, varsOf, type BuildEnv, type StageState } from './stage-state.js';

/** ARG NAME[=default]: the stage's value is --build-arg's, else the default (expanded), else the global one. */
export function declareArg(args: Map<string, string>, ins: Instruction, env: BuildEnv, vars: ReadonlyMap<string, string>, globals?: ReadonlyMap<string, string>): void {
  for (const word of ins.args.split(/\s+/)) {
    const eq = word.indexOf('=');
    const name = eq < 0 ? word : word.slice(0, eq);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new InvalidArgumentError(`invalid ARG name "${name}"`);
    const given = env.buildArgs.get(name);
    if (given !== undefined) args.set(name, given);
    else if (eq >= 0) args.set(name, expandWord(word.slice(eq + 1), vars, env.escape));
    else if (globals?.has(name)) args.set(name, globals.get(name) as string);
  }
}

export interface StepPosition {
  /** "[1/2] " in a multi-stage build, else "". */
  prefix: string;
  /** The last step of the image being built: its "-->" line comes after COMMIT. */
  last: boolean;
}

/** Runs one instruction of a stage, updating the stage's state. */
export async function executeStep(s: StageState, ins: Instruction, env: BuildEnv, pos: StepPosition, globals: ReadonlyMap<string, string>): Promise<void> {
  const { ctx, opts } = env;
  if (opts.signal?.aborted) throw interrupted();
  if (ins.keyword === 'ARG') {
    declareArg(s.args, ins, env, varsOf(s), globals);
    return;
  }
  try {
    const parentId = s.cur.image?.id ?? 'scratch';
    const base = [parentId, env.settings];
    let keyParts: string[];
    let work: () => Promise<StageImage>;
    let release = async () => undefined as void;
    if (ins.keyword === 'RUN') {
      keyParts = runKeyParts(s, ins, env);
      work = () => runStep(s, ins, env);
    } else if (ins.keyword === 'COPY' || ins.keyword === 'ADD') {
      const planned = await planCopyStep(s, ins, env);
      keyParts = planned.keyParts;
      work = planned.run;
      release = planned.release;
    } else {
      const shell = shellOf(s);
      const next = applyMetadata(s.config, ins, { vars: varsOf(s), escape: env.escape, shell });
      if (ins.keyword === 'MAINTAINER') s.author = expandWord(ins.args, varsOf(s), env.escape);
      keyParts = [ins.keyword, JSON.stringify(configForFormat(next, opts.format)), s.author ?? ''];
      s.config = next;
      work = () =>
        commitStep(ctx, {
          parent: s.cur,
          config: configForFormat(next, opts.format),
          format: opts.format,
          history: { created_by: nopHistory(ins, shell), comment: `FROM ${s.parentName}`, ...(s.author ? { author: s.author } : {}) },
        });
    }
    try {
      const key = cacheKey([...base, ...keyParts]);
      const cachedId = opts.noCache || !opts.layers ? undefined : cacheLookup(ctx, key);
      const cached = cachedId ? findImage(ctx, cachedId) : undefined;
      if (cached) {
        env.log(`--> Using cache ${cached.id}`);
        s.cur = imageOf(ctx, cached);
      } else {
        s.cur = await work();
        if (opts.layers) cacheStore(ctx, key, s.cur.image!.id);
      }
    } finally {
      await release();
    }
    s.parentName = s.cur.image!.id.slice(0, 12);
    if (!pos.last) env.log(`--> ${s.cur.image!.id.slice(0, 11)}`);
  } catch (err) {
    if (err instanceof PmanError && err.message.startsWith('building at STEP')) throw err;
    if (err instanceof PmanError) {
      throw new PmanError(err.code, `building at STEP "${instructionText(ins)}": ${err.message}`, { cause: err, exitCode: err.exitCode });
    }
    throw new PmanError('system', `building at STEP "${instructionText(ins)}": ${(err as Error).message}`, { cause: err });
  }
}
