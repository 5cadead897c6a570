// podman's global flags that move pman's helpers and files (#20): --runtime-flag (on every runc
// call, the shim's included), --volumepath (named and anonymous volumes, also for the shim's --rm),
// --network-config-dir (netavark's --config, remembered for the teardown of a later command).
import fs from 'node:fs';
import path from 'node:path';
import { TestEnv, until } from '../harness.js';

let env: TestEnv;
beforeAll(async () => {
  env = await TestEnv.create();
});
afterAll(async () => {
  await env.cleanup();
});

describe('global flags that move helpers and files', () => {
  it('--runtime-flag goes before pman\'s own flags on every runc call of that command and of the shim it starts', async () => {
    const log = path.join(env.dir, 'runc-argv.log');
    const wrapper = path.join(env.dir, 'runc-wrapper');
    fs.writeFileSync(wrapper, `#!/bin/sh\necho "$*" >> ${log}\nexec runc "$@"\n`, { mode: 0o755 });
    const flags = ['--runtime-flag', 'debug', '--runtime-flag', 'log-format=json'];
    await env.ok([...flags, '--runtime', wrapper, 'run', '-d', '--name', 'rf', '--network', 'none', 'busybox', 'sleep', '1000']);
    try {
      // exec runs in the shim: it has the flags of the command that started it.
      expect(await env.ok(['exec', 'rf', 'echo', 'in'])).toBe('in');
      expect(await env.ok(['--runtime-flag', 'debug', 'kill', 'rf'])).toBe('rf');
      await env.ok(['wait', 'rf']);
    } finally {
      await env.pman(['rm', '-f', '-t', '0', 'rf']);
    }
    const calls = fs.readFileSync(log, 'utf8').trim().split('\n');
    const verb = (line: string) => /--root \S+ (?:--log \S+ --log-format json )?(\S+)/.exec(line)?.[1];
    const byVerb = (v: string) => calls.filter((l) => verb(l) === v);
    expect(byVerb('run')).toHaveLength(1);
    expect(byVerb('exec')).toHaveLength(1);
    for (const line of [...byVerb('run'), ...byVerb('exec')]) expect(line.startsWith('--debug --log-format=json --root ')).toBe(true);
    // kill with the flag, then rm's calls without it; the shim's delete as it ended has them.
    expect(byVerb('kill').map((l) => l.startsWith('--debug --root '))).toEqual([true, ...byVerb('kill').slice(1).map(() => false)]);
    expect(byVerb('delete').some((l) => l.startsWith('--debug --log-format=json --root '))).toBe(true);
    expect(byVerb('delete').some((l) => l.startsWith('--root '))).toBe(true);
    // A flag runc does not know is refused before anything starts, in runc's words.
    expect(await env.pman(['--runtime-flag', 'no-such-flag', 'run', '--rm', '--network', 'none', 'busybox', 'true'])).toMatchObject({
      exitCode: 125,
      stderr: 'Error: --runtime-flag --no-such-flag: the OCI runtime "runc" refuses them: flag provided but not defined: -no-such-flag',
    });
    expect(await env.ok(['ps', '-aq'])).toBe('');
  });

  it('--volumepath keeps named and anonymous volumes there, and only there', async () => {
    const dir = path.join(env.dir, 'volumes-elsewhere');
    const v = ['--volumepath', dir];
    expect(await env.ok([...v, 'volume', 'create', 'vp1'])).toBe('vp1');
    await env.ok([...v, 'run', '--rm', '--network', 'none', '-v', 'vp1:/data', '-v', '/anon', 'busybox', 'sh', '-c', 'echo x > /data/f; echo y > /anon/g']);
    expect(fs.readFileSync(path.join(dir, 'vp1/_data/f'), 'utf8')).toBe('x\n');
    // The anonymous volume went with the --rm container: removed by its shim, there.
    expect(fs.readdirSync(dir)).toEqual(['vp1']);
    expect(fs.existsSync(path.join(env.root, 'volumes', 'vp1'))).toBe(false);
    expect(await env.ok(['volume', 'ls', '-q'])).toBe('');
    expect(await env.ok([...v, 'volume', 'inspect', '--format', '{{.Mountpoint}}', 'vp1'])).toBe(path.join(dir, 'vp1/_data'));
    expect(await env.ok([...v, 'volume', 'rm', 'vp1'])).toBe('vp1');
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it("--network-config-dir is netavark's config directory, and a later command's teardown finds it", async () => {
    const dir = path.join(env.dir, 'netavark-config');
    await env.ok(['network', 'create', 'ncd1']);
    try {
      await env.ok(['--network-config-dir', dir, 'run', '-d', '--name', 'ncd', '--network', 'ncd1', 'busybox', 'sleep', '1000']);
      // aardvark-dns's configuration of the network, for the container's name.
      expect(fs.readFileSync(path.join(dir, 'aardvark-dns/ncd1'), 'utf8')).toMatch(/ ncd\b/);
      expect(fs.existsSync(path.join(env.runroot, 'networks/aardvark-dns/ncd1'))).toBe(false);
      // Its shim tears down with the flags it was started with: killed, the teardown is rm's.
      const shim = Number(await env.ok(['inspect', '--format', '{{.State.ConmonPid}}', 'ncd']));
      process.kill(shim, 'SIGKILL');
      await until(() => !fs.existsSync(`/proc/${shim}`) || fs.readFileSync(`/proc/${shim}/stat`, 'utf8').includes(') Z'));
      await env.ok(['rm', '-f', '-t', '0', 'ncd']);
      expect(fs.existsSync(path.join(dir, 'aardvark-dns/ncd1'))).toBe(false);
    } finally {
      await env.pman(['rm', '-f', '-t', '0', 'ncd']);
      await env.pman(['network', 'rm', 'ncd1']);
    }
  });
});
