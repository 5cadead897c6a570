// COPY --from: the files of an earlier stage's result or of another image, reached through a
// build container of that image with its root filesystem mounted (read only in practice: the
// container is removed afterwards and its changes, if any, with it).
import fs from 'node:fs';
import type { CopySource } from './copy-plan.js';
import { mountStepContainer, removeStepContainer, unmountStepContainer } from './container-adapter.js';
import { baseImage, makeTmpDir, type StageImage } from './image-adapter.js';
import { IgnoreRules } from './ignore.js';
import type { BuildEnv } from './stage-state.js';

export interface FromSource {
  source: CopySource;
  release: () => Promise<void>;
}

export async function fromSource(env: BuildEnv, ref: string): Promise<FromSource> {
  const { ctx } = env;
  const stage = env.stages.get(ref.toLowerCase());
  const what = stage ? `stage "${ref}"` : `image "${ref}"`;
  const img: StageImage = stage ?? (await baseImage(ctx, ref, env.opts.pull));
  if (!img.image || img.image.layers.length === 0) {
    const dir = makeTmpDir(ctx, 'from-');
    return { source: { root: dir, what, ignore: IgnoreRules.none() }, release: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  }
  const { rec, root } = await mountStepContainer(ctx, { image: img.image.id, env: [], cwd: env.opts.cwd });
  return {
    source: { root, what, ignore: IgnoreRules.none() },
    release: async () => {
      try {
        unmountStepContainer(ctx, rec.id);
      } finally {
        await removeStepContainer(ctx, rec.id);
      }
    },
  };
}
