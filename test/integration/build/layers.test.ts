// What a step's layer holds: files deleted by a later RUN are gone (OCI whiteouts), a directory
// removed and made again hides the lower one (opaque), and modes, owners, hard links, xattrs and
// times survive; checked in the image and in the layer tars `pman save` writes.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { TestEnv } from '../harness.js';
import { inImage, makeContext } from './build-env.js';

let env: TestEnv;
beforeAll(async () => {
  env = await TestEnv.create();
});
afterAll(async () => {
  await env.cleanup();
});

const FILE = `FROM busybox
RUN mkdir -p /keep /gone /opq/sub && echo k > /keep/k && echo g > /gone/g && echo old > /opq/old && echo s > /opq/sub/s
RUN rm -rf /gone /keep/k && rm -rf /opq && mkdir /opq && echo new > /opq/new
RUN echo data > /linked && ln /linked /hardlink && chown 7:8 /linked && chmod 4751 /linked && touch -d '2001-02-03 04:05:06' /linked && mkdir -m 1777 /sticky
`;

/** The names in each layer tar of an image saved as a docker-archive, top layer last. */
function layerListings(archive: string, work: string): string[][] {
  fs.mkdirSync(work, { recursive: true });
  execFileSync('tar', ['-xf', archive, '-C', work]);
  const manifest = JSON.parse(fs.readFileSync(path.join(work, 'manifest.json'), 'utf8')) as Array<{ Layers: string[] }>;
  return manifest[0].Layers.map((l) => execFileSync('tar', ['-tvf', path.join(work, l)]).toString().trim().split('\n'));
}

describe('build layers', () => {
  beforeAll(async () => {
    await env.ok(['build', '-t', 'layers', makeContext(env, 'layers', { Containerfile: FILE })]);
  });

  it('hides files a later RUN deleted and the old content of a directory made again', async () => {
    expect(await inImage(env, 'layers', 'ls -A /keep; ls /gone 2>&1; ls /opq')).toBe('ls: /gone: No such file or directory\nnew');
  });

  it('keeps modes, owners, hard links and times', async () => {
    const out = await inImage(env, 'layers', 'stat -c "%a %u:%g %h %i" /linked /hardlink /sticky; date -u -r /linked +%Y-%m-%d');
    const [linked, hard, sticky, date] = out.split('\n');
    expect(linked.split(' ').slice(0, 3)).toEqual(['4751', '7:8', '2']);
    expect(hard.split(' ')[3]).toBe(linked.split(' ')[3]);
    expect(sticky.split(' ')[0]).toBe('1777');
    expect(date).toBe('2001-02-03');
  });

  it('writes OCI whiteouts and an opaque marker into the layer tars', async () => {
    const archive = path.join(env.dir, 'layers.tar');
    await env.ok(['save', '-o', archive, 'layers']);
    const layers = layerListings(archive, path.join(env.dir, 'saved'));
    expect(layers).toHaveLength(4);
    const second = layers[2].join('\n');
    expect(second).toContain('.wh.gone');
    expect(second).toContain('keep/.wh.k');
    expect(second).toContain('opq/.wh..wh..opq');
    expect(second).toContain('opq/new');
    expect(layers[3].join('\n')).toMatch(/hardlink link to linked|linked link to hardlink/);
    // Mount points runc made for /etc/hosts and the like are not part of any step's layer.
    expect(layers.slice(1).flat().join('\n')).not.toMatch(/etc\/(hosts|resolv\.conf|hostname)/);
  });
});

describe('build step containers', () => {
  it('run on an overlay mounted volatile, whose unmount does not sync the whole filesystem, and leave nothing after removal', async () => {
    const file = 'FROM busybox\nRUN grep "^overlay / " /proc/mounts | grep -o -w volatile && echo made > /made\nCOPY ctx.txt /copied.txt\n';
    const dir = makeContext(env, 'volatile', { Containerfile: file, 'ctx.txt': 'copied\n' });
    const out = await env.ok(['build', '--no-cache', '-t', 'vol', dir]);
    // (shown as "volatile" or, by newer kernels, "fsync=volatile")
    expect(out.split('\n')).toContain('volatile');
    expect(await inImage(env, 'vol', 'cat /made /copied.txt')).toBe('made\ncopied');
    // No step container is left (volatile ones included), and rmi takes the image's layers and
    // blobs: the store's temp area, where they go to be deleted, is empty once rmi returns.
    expect(await env.ok(['ps', '-a', '-q'])).toBe('');
    const before = fs.readdirSync(path.join(env.root, 'storage', 'layers')).length;
    await env.ok(['rmi', 'vol']);
    expect(fs.readdirSync(path.join(env.root, 'storage', 'layers'))).toHaveLength(before - 2);
    expect(fs.readdirSync(path.join(env.root, 'storage', 'tmp'))).toEqual([]);
  });
});
