// Details where pman answered differently from podman 4.3.1, each checked side by side on this
// machine and matched (docs/commands.md, "Behaviour next to podman 4.3.1").
import { execa } from 'execa';
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

describe('container sizes', () => {
  it('inspect --size fills SizeRw (the writable layer) and SizeRootFs (the image layers); ps --size prints both as podman', async () => {
    await env.ok(['run', '--name', 'sized', '--network', 'none', 'busybox', 'sh', '-c', 'dd if=/dev/zero of=/big bs=1k count=300 2>/dev/null; echo hi > /small; ln /big /big2']);
    await env.ok(['create', '--name', 'unsized', '--network', 'none', 'busybox', 'true']);
    const sizes = async (name: string) => {
      const [doc] = JSON.parse(await env.ok(['inspect', '--size', name])) as Array<{ SizeRw: number; SizeRootFs: number; GraphDriver: { Data: { LowerDir: string } } }>;
      return doc;
    };
    const sized = await sizes('sized');
    const unsized = await sizes('unsized');
    // The hard link is counted once; the image's layers alone make SizeRootFs, with or without writes.
    expect([sized.SizeRw, unsized.SizeRw]).toEqual([300 * 1024 + 3, 0]);
    expect(sized.SizeRootFs).toBe(unsized.SizeRootFs);
    const layers = sized.GraphDriver.Data.LowerDir.split(':');
    const { stdout } = await execa('sh', ['-c', `find "$@" ! -type d -printf '%i %s\\n' | sort -u | awk '{ s += $2 } END { print s }'`, 'sh', ...layers]);
    expect(sized.SizeRootFs).toBe(Number(stdout));
    const mb = `${Number((sized.SizeRootFs / 1e6).toPrecision(3))}MB`;
    expect(await env.ok(['ps', '-a', '--size', '--filter', 'name=^sized$', '--format', '{{.Size}}'])).toBe(`307kB (virtual ${mb})`);
    // Without --size: not in the JSON, zero (and no value) in a template, as podman.
    expect(await env.ok(['inspect', 'sized'])).not.toMatch(/"SizeR(w|ootFs)"/);
    expect(await env.ok(['inspect', '--format', '{{.SizeRootFs}}', 'sized'])).toBe('0');
  });
});
