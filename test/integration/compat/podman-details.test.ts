// Details where pman answered differently from podman 4.3.1, each checked side by side on this
// machine and matched (docs/commands.md, "Behaviour next to podman 4.3.1").
import { TestEnv } from '../harness.js';
import { useEnv } from './shared-env.js';

const getEnv = useEnv();
let env: TestEnv;
beforeAll(() => {
  env = getEnv();
});

const lines = (text: string) => text.split(/\0|\n/).filter(Boolean).sort();

describe('inspect .Config.Env', () => {
  it('is the environment the process really has: image, given and default variables, TERM also without -t', async () => {
    await env.ok(['run', '-d', '--name', 'envs', '--network', 'none', '-e', 'FOO=1', '-u', 'pmanuser', '-h', 'envhost', '--unsetenv', 'container', 'busybox', 'sleep', '1000']);
    const [doc] = JSON.parse(await env.ok(['inspect', 'envs'])) as Array<{ Config: { Env: string[] } }>;
    const real = lines(await env.ok(['exec', 'envs', 'cat', '/proc/1/environ']));
    expect(lines(doc.Config.Env.join('\n'))).toEqual(real);
    expect(real).toEqual(['FOO=1', 'HOME=/home/pmanuser', 'HOSTNAME=envhost', 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'TERM=xterm']);
  });
});
