// COPY and ADD: sources from the context (minus ignored paths), another stage or an image
// (--from), and for ADD a URL; written into a build container's mounted root (or, FROM scratch,
// an empty directory), whose changes become the step's layer. The plan is made and hashed first,
// so a cache hit mounts nothing.
import fs from 'node:fs';
import path from 'node:path';
import { detectCompression } from '../archive/decompress.js';
import { InvalidArgumentError, PmanError } from '../errors.js';
import { commandForm } from '../image/config-edit.js';
import { readImageFile, resolveUser } from '../oci/user.js';
import { applyCopy } from './copy-apply.js';
import { planCopy, planDigest, type CopySource, type PlannedEntry } from './copy-plan.js';
import { instructionText, type Instruction } from './containerfile.js';
import { mountStepContainer, removeStepContainer, stepLayer, unmountStepContainer } from './container-adapter.js';
import { downloadUrl, isUrl } from './download.js';
import { expandWord, expandWords } from './expand.js';
import { commitStep, imageLayerDirs, makeTmpDir, type StageImage } from './image-adapter.js';
import { configForFormat } from './metadata.js';
import { varsOf, type BuildEnv, type StageState } from './stage-state.js';
import { IgnoreRules } from './ignore.js';
import { fromSource } from './copy-from.js';

/** True when `abs` is a directory in the image whose layers (top-most first) are `layers`. */
function imageIsDir(layers: string[], abs: string): boolean {
  const rel = abs.replace(/^\/+/, '');
  if (rel === '') return true;
  for (const d of layers) {
    try {
      const st = fs.lstatSync(path.join(d, rel));
      if (st.isCharacterDevice() && st.rdev === 0) return false;
      return st.isDirectory();
    } catch {
      /* not in this layer */
    }
  }
  return false;
}

function isArchive(file: string): boolean {
  const head = Buffer.alloc(512);
  const fd = fs.openSync(file, 'r');
  try {
    const n = fs.readSync(fd, head, 0, 512, 0);
    if (detectCompression(head.subarray(0, n)) !== 'none') return true;
    return n >= 262 && head.subarray(257, 262).toString('latin1') === 'ustar';
  } finally {
    fs.closeSync(fd);
  }
}

interface CopyArgs {
  sources: string[];
  dest: string;
  owner?: { uid: number; gid: number };
  mode?: number;
}

function copyArgs(s: StageState, ins: Instruction, env: BuildEnv): CopyArgs {
  const vars = varsOf(s);
  const allowed = ins.keyword === 'COPY' ? ['from', 'chown', 'chmod', 'link'] : ['chown', 'chmod', 'link', 'checksum'];
  for (const flag of ins.flags.keys()) if (!allowed.includes(flag)) throw new InvalidArgumentError(`${ins.keyword} --${flag} is not supported`);
  const form = commandForm(ins.args);
  const words = 'exec' in form ? form.exec.map((w) => expandWord(w, vars, env.escape)) : expandWords(form.shell, vars, env.escape);
  if (words.length < 2) throw new InvalidArgumentError(`${ins.keyword} needs at least one source and a destination`);
  // Without --chown: root from the context, the source's owners from another stage (as podman).
  let owner: { uid: number; gid: number } | undefined = ins.flags.has('from') ? undefined : { uid: 0, gid: 0 };
  const chown = ins.flags.get('chown');
  if (chown) {
    const spec = expandWord(chown, vars, env.escape);
    const layers = imageLayerDirs(env.ctx, s.cur.image);
    const u = resolveUser(spec, readImageFile(layers, 'etc/passwd'), readImageFile(layers, 'etc/group'));
    // A bare numeric uid also names the group, as docker documents it.
    owner = { uid: u.uid, gid: /^[0-9]+$/.test(spec) ? u.uid : u.gid };
  }
  const chmod = ins.flags.get('chmod');
  if (chmod !== undefined && !/^[0-7]{3,4}$/.test(chmod)) throw new InvalidArgumentError(`invalid ${ins.keyword} --chmod "${chmod}": use an octal mode such as 0755`);
  return { sources: words.slice(0, -1), dest: words[words.length - 1], owner, mode: chmod === undefined ? undefined : parseInt(chmod, 8) };
}

/** The cache key parts and the work of a COPY/ADD, planned but not done. */
export interface PlannedCopy {
  keyParts: string[];
  run(): Promise<StageImage>;
  /** Releases what planning took (a mounted --from root, downloads). */
  release(): Promise<void>;
}

export async function planCopyStep(s: StageState, ins: Instruction, env: BuildEnv): Promise<PlannedCopy> {
  const { ctx } = env;
  const a = copyArgs(s, ins, env);
  const cleanups: (() => Promise<void> | void)[] = [];
  const release = async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  };
  try {
    const layers = imageLayerDirs(ctx, s.cur.image);
    const workdir = typeof s.config.WorkingDir === 'string' && s.config.WorkingDir ? s.config.WorkingDir : '/';
    const destIsDir = (abs: string) => imageIsDir(layers, abs);
    let plan: PlannedEntry[] = [];
    const from = ins.flags.get('from');
    if (from !== undefined) {
      const src = await fromSource(env, expandWord(from, varsOf(s), env.escape));
      cleanups.push(src.release);
      plan = planCopy(src.source, { keyword: 'COPY', sources: a.sources, dest: a.dest, workdir, destIsDir });
    } else {
      const local = a.sources.filter((x) => !(ins.keyword === 'ADD' && isUrl(x)));
      const context: CopySource = { root: env.opts.context, what: 'the build context', ignore: env.ignore };
      if (local.length > 0) plan = planCopy(context, { keyword: ins.keyword as 'COPY', sources: local, dest: a.dest, workdir, destIsDir, isArchive: ins.keyword === 'ADD' ? isArchive : undefined });
      for (const url of a.sources.filter((x) => ins.keyword === 'ADD' && isUrl(x))) {
        const dl = await downloadUrl(ctx, url);
        cleanups.push(dl.release);
        const source: CopySource = { root: dl.dir, what: `"${url}"`, ignore: IgnoreRules.none() };
        const dest = a.sources.length > 1 || a.dest.endsWith('/') ? a.dest.replace(/\/?$/, '/') : a.dest;
        plan.push(...planCopy(source, { keyword: 'ADD', sources: [dl.name], dest, workdir, destIsDir }));
      }
    }
    const keyParts = [ins.keyword, instructionText(ins), planDigest(plan), JSON.stringify(a.owner ?? 'kept'), String(a.mode ?? '')];
    const run = async (): Promise<StageImage> => {
      const history = { created_by: `/bin/sh -c #(nop) ${ins.keyword} ${keyParts[2].slice(0, 64)} in ${a.dest} `, comment: `FROM ${s.parentName}` };
      const applyOpts = { owner: a.owner, mode: a.mode, rootless: ctx.rootless, warn: (m: string) => ctx.warn(m) };
      if (!s.cur.image) {
        const dir = makeTmpDir(ctx, 'scratch-');
        cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
        const tmp = makeTmpDir(ctx, 'copy-');
        cleanups.push(() => fs.rmSync(tmp, { recursive: true, force: true }));
        await applyCopy(dir, plan, { ...applyOpts, tmp });
        return commitStep(ctx, { parent: s.cur, config: configForFormat(s.config, env.opts.format), format: env.opts.format, history, layer: { dir, overlay: false } });
      }
      const { rec, root } = await mountStepContainer(ctx, { image: s.cur.image.id, env: [], cwd: env.opts.cwd });
      try {
        const tmp = makeTmpDir(ctx, 'copy-');
        try {
          await applyCopy(root, plan, { ...applyOpts, tmp });
        } finally {
          fs.rmSync(tmp, { recursive: true, force: true });
          unmountStepContainer(ctx, rec.id);
        }
        return await commitStep(ctx, { parent: s.cur, config: configForFormat(s.config, env.opts.format), format: env.opts.format, history, layer: stepLayer(ctx, rec.id, () => true) });
      } finally {
        await removeStepContainer(ctx, rec.id);
      }
    };
    return { keyParts, run, release };
  } catch (err) {
    await release();
    if (err instanceof PmanError) throw err;
    throw err;
  }
}
