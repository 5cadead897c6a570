// Layer sharing on disk: two images with a common base store it once, and containers add only
// their own upper dirs (measured with du), never a copy of the image.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { TestEnv } from '../harness.js';

let env: TestEnv;

beforeAll(async () => {
  env = await TestEnv.create();
});
afterAll(async () => {
  await env?.cleanup();
});

/** Disk usage in bytes (du counts each hard-linked inode once, as the filesystem does). */
const du = (...dirs: string[]) => Number(execFileSync('du', ['-sbc', ...dirs]).toString().trim().split('\n').pop()!.split('\t')[0]);
const layers = () => path.join(env.root, 'storage/layers');
const layerIds = () => fs.readdirSync(layers()).sort();

describe('layer sharing', () => {
  it('stores a base layer two images share once', async () => {
    const before = layerIds();
    const baseBytes = du(layers());
    await env.ok(['run', '--name', 'maker', 'busybox', 'sh', '-c', 'echo app > /app']);
    await env.ok(['commit', 'maker', 'app']);
    const [app, busybox] = (JSON.parse(await env.ok(['image', 'inspect', 'app', 'busybox'])) as Array<{ RootFS: { Layers: string[] } }>).map((i) => i.RootFS.Layers);
    expect(app.slice(0, 1)).toEqual(busybox);
    expect(layerIds()).toHaveLength(before.length + 1);
    expect(layerIds()).toEqual(expect.arrayContaining(before));
    // The second image added one small layer, not another copy of the base.
    expect(du(layers()) - baseBytes).toBeLessThan(64 * 1024);
    // A round trip through an archive holding both images shares it the same way.
    const archive = path.join(env.dir, 'both.tar');
    await env.ok(['save', '-m', '-o', archive, 'app', 'busybox']);
    const other = await TestEnv.create({ image: false });
    try {
      await other.ok(['load', '-i', archive]);
      expect(fs.readdirSync(path.join(other.root, 'storage/layers'))).toHaveLength(2);
    } finally {
      await other.cleanup();
    }
  });

  it('gives 50 containers of one image their own upper dirs and nothing else', async () => {
    const imageBytes = du(layers());
    const ids: string[] = [];
    for (let batch = 0; batch < 5; batch++) {
      ids.push(...(await Promise.all(Array.from({ length: 10 }, () => env.ok(['create', 'busybox', 'sh', '-c', 'echo $HOSTNAME > /mine'])))).map((s) => s.trim()));
    }
    const dirs = ids.map((id) => path.join(env.root, 'containers', id));
    // Created: each container dir holds its record, bundle config and empty upper/work dirs.
    expect(dirs.map((d) => fs.readdirSync(path.join(d, 'upper')))).toEqual(ids.map(() => []));
    const perContainer = du(...dirs) / dirs.length;
    expect(perContainer).toBeLessThan(100 * 1024);
    // A copy of the image would be at least its size: each container holds a small fraction of it
    // (busybox is ~2 MB; the bundle's config.json, mostly the seccomp profile, is ~23 KB of the ~41 KB).
    expect(perContainer).toBeLessThan(imageBytes / 25);
    // Started: the upper dir holds exactly what the container wrote.
    for (const id of ids.slice(0, 3)) await env.ok(['start', '-a', id]);
    for (const [i, d] of dirs.slice(0, 3).entries()) {
      // (and /run, the mount point runc made for /run/.containerenv: busybox has no /run; and the
      // /etc/mtab link every started container gets)
      expect(fs.readdirSync(path.join(d, 'upper')).sort()).toEqual(['etc', 'mine', 'run']);
      expect(fs.readdirSync(path.join(d, 'upper/etc'))).toEqual(['mtab']);
      expect(fs.readdirSync(path.join(d, 'upper/run'))).toEqual(['.containerenv']);
      expect(fs.statSync(path.join(d, 'upper/run/.containerenv')).size).toBe(0);
      expect(fs.readFileSync(path.join(d, 'upper/mine'), 'utf8')).toBe(`${ids[i].slice(0, 12)}\n`);
    }
    expect(du(layers())).toBe(imageBytes);
  }, 120_000);
});
