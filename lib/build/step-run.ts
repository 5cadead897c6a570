// RUN: the command runs in a new container of the stage's image (its env, workdir and user, the
// build's ARG values and --network), its output streamed live; the container's changes become
// the step's layer. A command that fails ends the build with its exit code, as podman's does.
import fs from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError, PmanError } from '../errors.js';
import { commandForm } from '../image/config-edit.js';
import { instructionText, type Instruction } from './containerfile.js';
import { removeStepContainer, runStepContainer, stepLayer } from './container-adapter.js';
import { commitStep, imageLayerDirs, type StageImage } from './image-adapter.js';
import { commandOf, configForFormat } from './metadata.js';
import { runEnv, shellOf, type BuildEnv, type StageState } from './stage-state.js';

/** The cache key parts of a RUN (after the parent image). */
export function runKeyParts(s: StageState, ins: Instruction, env: BuildEnv): string[] {
  return ['RUN', JSON.stringify(commandOf(ins.args, shellOf(s))), JSON.stringify(runEnv(s, env))];
}

/** The error of a RUN whose command exited non-zero: podman's words, the command's exit code. */
export class RunFailedError extends PmanError {
  constructor(ins: Instruction, exitCode: number) {
    super('runtime', `building at STEP "${instructionText(ins)}": while running runtime: exit status ${exitCode}`, { exitCode: exitCode > 0 && exitCode < 256 ? exitCode : 125 });
  }
}

/** The build was stopped (SIGINT/SIGTERM): exit 130 as a shell reports an interrupted command. */
export function interrupted(): PmanError {
  return new PmanError('runtime', 'the build was interrupted', { exitCode: 130 });
}

export async function runStep(s: StageState, ins: Instruction, env: BuildEnv): Promise<StageImage> {
  const image = s.cur.image;
  if (!image) throw new InvalidArgumentError(`RUN needs an image with a shell, but this stage starts FROM scratch and has no files yet`);
  for (const flag of ins.flags.keys()) {
    if (flag !== 'network') throw new InvalidArgumentError(`RUN --${flag} is not supported`);
  }
  const shell = shellOf(s);
  const command = commandOf(ins.args, shell);
  const network = ins.flags.get('network') || env.opts.network;
  const { ctx } = env;
  const lowers = imageLayerDirs(ctx, image);
  const run = await runStepContainer(
    ctx,
    {
      image: image.id,
      env: runEnv(s, env),
      workdir: typeof s.config.WorkingDir === 'string' ? s.config.WorkingDir : undefined,
      user: typeof s.config.User === 'string' ? s.config.User : undefined,
      network,
      cwd: env.opts.cwd,
    },
    command,
    { stdout: env.opts.stdout, stderr: env.opts.stderr, signal: env.opts.signal },
  );
  try {
    if (env.opts.signal?.aborted) throw interrupted();
    if (run.exitCode !== 0) throw new RunFailedError(ins, run.exitCode);
    const form = commandForm(ins.args);
    return await commitStep(ctx, {
      parent: s.cur,
      config: configForFormat(s.config, env.opts.format),
      format: env.opts.format,
      history: { created_by: 'exec' in form ? command.join(' ') : `${shell.join(' ')} ${form.shell}`, comment: `FROM ${s.parentName}`, ...(s.author ? { author: s.author } : {}) },
      layer: stepLayer(ctx, run.id, (rel) => lowers.some((d) => exists(path.join(d, rel)))),
    });
  } finally {
    if (run.id) await removeStepContainer(ctx, run.id);
  }
}

function exists(p: string): boolean {
  try {
    fs.lstatSync(p);
    return true;
  } catch {
    return false;
  }
}
