// --all of kill, pause and unpause acts on the containers whose status allows it (and only on
// those), and the status guards refuse the rest with one message each.
import { TestEnv } from './harness.js';

let env: TestEnv;
beforeAll(async () => {
  env = await TestEnv.create();
});
afterAll(async () => {
  await env.cleanup();
});

const id = async (name: string) => (await env.ok(['inspect', '--format', '{{.Id}}', name])).trim();
const status = async (name: string) => (await env.ok(['inspect', '--format', '{{.State.Status}}', name])).trim();

describe('--all and the status guards', () => {
  it('pause --all pauses the running containers, unpause --all thaws the paused ones, kill --all signals the running ones', async () => {
    await env.ok(['run', '-d', '--name', 'sa-one', 'busybox', 'sleep', '1000']);
    await env.ok(['run', '-d', '--name', 'sa-two', 'busybox', 'sleep', '1000']);
    await env.ok(['create', '--name', 'sa-new', 'busybox', 'true']);
    await env.ok(['pause', 'sa-two']);

    expect(await env.ok(['pause', '--all'])).toBe(await id('sa-one'));
    expect([await status('sa-one'), await status('sa-two'), await status('sa-new')]).toEqual(['paused', 'paused', 'created']);

    const thawed = (await env.ok(['unpause', '--all'])).split('\n').sort();
    expect(thawed).toEqual([await id('sa-one'), await id('sa-two')].sort());
    await env.ok(['pause', 'sa-two']);

    // A paused container is not signalled by kill --all; the running one is.
    expect(await env.ok(['kill', '--all'])).toBe(await id('sa-one'));
    await env.ok(['wait', 'sa-one']);
    expect([await status('sa-one'), await status('sa-two'), await status('sa-new')]).toEqual(['exited', 'paused', 'created']);
  });

  it('refuses to attach to or exec in a paused container, and to pause it twice, saying what to do', async () => {
    const attach = await env.pman(['attach', 'sa-two']);
    expect(attach).toMatchObject({ exitCode: 125, stderr: 'Error: cannot attach to container "sa-two": it is paused; unpause it first' });
    const exec = await env.pman(['exec', 'sa-two', 'true']);
    expect(exec).toMatchObject({ exitCode: 125, stderr: 'Error: cannot exec in container "sa-two": it is paused; unpause it first' });
    const pause = await env.pman(['pause', 'sa-two']);
    expect(pause).toMatchObject({ exitCode: 125, stderr: 'Error: cannot pause container "sa-two": it is already paused' });
    const unpause = await env.pman(['unpause', 'sa-new']);
    expect(unpause).toMatchObject({ exitCode: 125, stderr: 'Error: cannot unpause container "sa-new": it is not paused (state created)' });
  });

  it('refuses start -a of a paused container, naming restart and attach; a plain start of a running one succeeds silently, as podman', async () => {
    // (start -a of a running container attaches to it: compat/podman-details.test.ts.)
    const r = await env.pman(['start', '-a', 'sa-two']);
    expect(r.exitCode).toBe(125);
    expect(r.stderr).toBe('Error: cannot start container "sa-two": it is already running; stop it first, or use "pman restart" or "pman attach"');
    await env.ok(['unpause', 'sa-two']);
    expect(await env.pman(['start', 'sa-two'])).toMatchObject({ exitCode: 0, stdout: '', stderr: '' });
  });
});
