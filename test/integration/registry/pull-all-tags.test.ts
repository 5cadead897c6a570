// pull -a/--all-tags against a real docker-registry (#20): every tag of the repository is pulled,
// its image ID printed once per tag; a tag in the name is refused.
import path from 'node:path';
import { RegistryFixture } from './rig/fixture.js';
import { startRegistry, type Registry } from './rig/registry-server.js';

let fx: RegistryFixture;
let reg: Registry;

beforeAll(async () => {
  fx = await RegistryFixture.create();
  reg = fx.onCleanup(await startRegistry({ dir: path.join(fx.dir, 'reg') }));
}, 60_000);

afterAll(async () => {
  await fx?.cleanup();
});

describe('pull --all-tags', () => {
  it('pulls every tag of the repository and names each locally', async () => {
    const id = (await fx.ok(['images', '-q', '--no-trunc', 'busybox'])).replace(/^sha256:/, '');
    for (const tag of ['one', 'two', 'three']) await fx.ok(['push', '-q', 'busybox', `${reg.host}/all/bb:${tag}`]);
    const store = await fx.freshStore();
    const out = await fx.ok(['pull', '-q', '--all-tags', `${reg.host}/all/bb`], { root: store });
    expect(out.split('\n')).toEqual([id, id, id]);
    const names = (await fx.ok(['images', '--format', '{{.Repository}}:{{.Tag}}'], { root: store })).split('\n').sort();
    expect(names).toEqual([`${reg.host}/all/bb:one`, `${reg.host}/all/bb:three`, `${reg.host}/all/bb:two`]);
  });

  it('refuses a name with a tag', async () => {
    const r = await fx.pman(['pull', '-a', `${reg.host}/all/bb:one`]);
    expect(r).toMatchObject({ exitCode: 125, stderr: `Error: cannot pull "${reg.host}/all/bb:one" with --all-tags: give the repository without a tag or digest` });
  });
});
