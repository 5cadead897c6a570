// pman image tree against the built CLI: the drawing podman 4.3.1 prints for the same images
// (checked side by side: busybox, mid (two names) built on it, leafb and leafc on mid, leafd on
// leafb, their containers removed; only the committed layers' IDs and sizes differ).
import { createHash } from 'node:crypto';
import { formatBytes, STATS_SIZE } from '../../../lib/format/bytes.js';
import { TestEnv } from '../harness.js';

let env: TestEnv;
/** Each image's top layer as the tree names it: "ID: <12 hex> Size: <7 wide>". */
const layer: Record<string, string> = {};
const size: Record<string, string> = {};
const id: Record<string, string> = {};

async function describeImage(name: string): Promise<void> {
  const diffIds = JSON.parse(await env.ok(['image', 'inspect', '--format', '{{json .RootFS.Layers}}', name])) as string[];
  let chain = '';
  for (const d of diffIds) chain = chain ? `sha256:${createHash('sha256').update(`${chain} ${d}`).digest('hex')}` : d;
  const [top] = (await env.ok(['history', '-H=false', '--format', '{{.Size}}', name])).split('\n');
  layer[name] = `ID: ${chain.slice(7, 19)} Size: ${formatBytes(Number(top), STATS_SIZE).padStart(7)}`;
  const [full, bytes] = (await env.ok(['image', 'inspect', '--format', '{{.Id}} {{.Size}}', name])).split(' ');
  id[name] = full.slice(0, 12);
  size[name] = formatBytes(Number(bytes), STATS_SIZE);
}

beforeAll(async () => {
  env = await TestEnv.create();
  const commit = async (from: string, file: string, to: string) => {
    await env.ok(['run', '--network', 'none', '--name', `c-${to}`, from, 'touch', file]);
    await env.ok(['commit', '-q', `c-${to}`, to]);
  };
  await commit('busybox', '/a', 'mid');
  await env.ok(['tag', 'mid', 'mid2']);
  await commit('mid', '/b', 'leafb');
  await commit('mid', '/c', 'leafc');
  await commit('leafb', '/d', 'leafd');
  await env.ok(['rm', '-a']);
  for (const name of ['busybox', 'mid', 'leafb', 'leafc', 'leafd']) await describeImage(name);
}, 60_000);
afterAll(async () => {
  await env?.cleanup();
});

const header = (name: string, tags: string) => `Image ID: ${id[name]}\nTags:     [${tags}]\nSize:     ${size[name]}\nImage Layers\n`;
const BUSYBOX = 'Top Layer of: [localhost/busybox:latest]';
const MID = 'Top Layer of: [localhost/mid:latest localhost/mid2:latest]';
const top = (name: string) => `${layer[name]} Top Layer of: [localhost/${name}:latest]`;

describe('pman image tree', () => {
  it("draws the image's layers bottom first, each with the names of the images it is the top layer of, and a blank line", async () => {
    expect(await env.ok(['image', 'tree', 'leafd'], { stripFinalNewline: false })).toBe(
      `${header('leafd', 'localhost/leafd:latest')}├── ${layer.busybox} ${BUSYBOX}\n├── ${layer.mid} ${MID}\n├── ${top('leafb')}\n└── ${top('leafd')}\n\n`,
    );
  });

  it('--whatrequires draws the layers built on the top layer: a lone child goes on at its level, one of several branches', async () => {
    const branches = `├── ${top('leafb')}\n│   └── ${top('leafd')}\n└── ${top('leafc')}\n\n`;
    expect(await env.ok(['image', 'tree', '--whatrequires', 'busybox'], { stripFinalNewline: false })).toBe(
      `${header('busybox', 'localhost/busybox:latest')}├── ${layer.busybox} ${BUSYBOX}\n├── ${layer.mid} ${MID}\n${branches}`,
    );
    expect(await env.ok(['image', 'tree', '--whatrequires', 'mid2'], { stripFinalNewline: false })).toBe(`${header('mid', 'localhost/mid:latest localhost/mid2:latest')}├── ${layer.mid} ${MID}\n${branches}`);
    expect(await env.ok(['image', 'tree', '--whatrequires', 'leafb'], { stripFinalNewline: false })).toBe(`${header('leafb', 'localhost/leafb:latest')}└── ${top('leafb')}\n    └── ${top('leafd')}\n\n`);
  });

  it('refuses a missing image and a wrong number of images with one error line, exit 125', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['nosuch'], /^Error: image "nosuch" not found/],
      [[], /^Error: missing argument: usage: pman image tree \[options\] IMAGE$/],
      [['a', 'b'], /^Error: Unknown argument: b/],
    ];
    for (const [args, message] of cases) {
      const r = await env.pman(['image', 'tree', ...args]);
      expect([r.exitCode, r.stdout, r.stderr.trim().split('\n').length]).toEqual([125, '', 1]);
      expect(r.stderr).toMatch(message);
    }
  });
});
