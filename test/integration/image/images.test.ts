// pman images against the built CLI: columns, flags, filters and --format.
import fs from 'node:fs';
import path from 'node:path';
import { TestEnv } from '../harness.js';
import { makeTar } from '../../unit/archive/fixtures.js';

let env: TestEnv;
let oldId: string;
let newId: string;
let danglingId: string;
beforeAll(async () => {
  env = await TestEnv.create({ image: false });
  const tar = makeTar(path.join(env.dir, 'rootfs.tar'), [{ name: 'hello', data: 'hi' }]);
  fs.utimesSync(tar, 1700000000, 1700000000);
  oldId = (await env.ok(['import', '-c', 'LABEL tier=base', tar, 'base'])).slice(7);
  await env.ok(['import', '-c', 'LABEL tier=base', tar, 'quay.io/team/base:v2']);
  fs.utimesSync(tar, 1700001000, 1700001000);
  newId = (await env.ok(['import', '-c', 'LABEL tier=app', tar, 'app:1.0'])).slice(7);
  danglingId = (await env.ok(['import', '-'], { inputFile: tar })).slice(7);
});
afterAll(async () => {
  await env.cleanup();
});

const lines = (s: string) => s.split('\n').filter(Boolean);

describe('pman images', () => {
  it('lists one row per name, newest first, with podman\'s columns', async () => {
    const out = lines(await env.ok(['images']));
    expect(out[0]).toMatch(/^REPOSITORY\s+TAG\s+IMAGE ID\s+CREATED\s+SIZE$/);
    expect(out.slice(1).map((l) => l.split(/\s{2,}/).slice(0, 3))).toEqual([
      ['<none>', '<none>', danglingId.slice(0, 12)],
      ['localhost/app', '1.0', newId.slice(0, 12)],
      ['localhost/base', 'latest', oldId.slice(0, 12)],
      ['quay.io/team/base', 'v2', oldId.slice(0, 12)],
    ]);
    // The 10240-byte layer, its stored manifest twice and its config, as podman counts an image.
    expect(out[3]).toMatch(/ years? ago +11\.3 kB$/);
  });

  it('prints each image ID once with -q, in full with --no-trunc', async () => {
    expect(lines(await env.ok(['images', '-q']))).toEqual([danglingId, newId, oldId].map((i) => i.slice(0, 12)));
    expect(lines(await env.ok(['images', '-q', '--no-trunc']))).toEqual([danglingId, newId, oldId].map((i) => `sha256:${i}`));
  });

  it('adds a DIGEST column with --digests and drops the header with --noheading', async () => {
    const out = lines(await env.ok(['images', '--digests', '--noheading', 'app']));
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/^localhost\/app\s+1\.0\s+sha256:[0-9a-f]{64}\s+[0-9a-f]{12}\s/);
  });

  it('filters by dangling, reference and label', async () => {
    expect(lines(await env.ok(['images', '-q', '--filter', 'dangling=true']))).toEqual([danglingId.slice(0, 12)]);
    expect(lines(await env.ok(['images', '-q', '-f', 'reference=base']))).toEqual([oldId.slice(0, 12)]);
    expect(lines(await env.ok(['images', '-q', '-f', 'reference=*/team/*']))).toEqual([oldId.slice(0, 12)]);
    expect(lines(await env.ok(['images', '-q', '-f', 'label=tier=app']))).toEqual([newId.slice(0, 12)]);
    expect(lines(await env.ok(['images', '-q', '-f', 'label=tier']))).toEqual([newId, oldId].map((i) => i.slice(0, 12)));
  });

  it('renders Go templates with podman\'s field names', async () => {
    const out = await env.ok(['images', '--format', '{{.Repository}}:{{.Tag}} {{.ID}} {{.Labels}} {{.Names}}', 'app:1.0']);
    expect(out).toBe(`localhost/app:1.0 ${newId.slice(0, 12)} map[tier:app] [localhost/app:1.0]`);
    const table = lines(await env.ok(['images', '--format', 'table {{.ID}}\t{{.Size}}', '-f', 'dangling=true']));
    expect(table).toEqual([expect.stringMatching(/^IMAGE ID\s+SIZE$/), expect.stringMatching(new RegExp(`^${danglingId.slice(0, 12)}\\s+11\\.3 kB$`))]);
  });

  it('prints podman-shaped JSON with --format json', async () => {
    const list = JSON.parse(await env.ok(['images', '--format', 'json'])) as Array<Record<string, unknown>>;
    expect(list.map((i) => i.Id)).toEqual([danglingId, newId, oldId]);
    expect(list[2]).toMatchObject({ Names: ['localhost/base:latest', 'quay.io/team/base:v2'], Labels: { tier: 'base' }, Containers: 0, Created: 1700000000 });
  });

  it('fails with one line and exit 125 for an unknown filter', async () => {
    const r = await env.pman(['images', '-f', 'color=red']);
    expect(r.exitCode).toBe(125);
    expect(r.stderr.trim()).toBe('Error: invalid filter "color=red": supported filters are dangling=, intermediate=, reference=, label=, before=, since=, id=, until=, readonly=');
  });
});
