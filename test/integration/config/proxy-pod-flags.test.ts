// run/create's --http-proxy (pman's proxy variables passed into the container, podman's default),
// --pod-id-file, and the refusal of --ip6 on a network without IPv6, in real containers.
import fs from 'node:fs';
import path from 'node:path';
import { TestEnv } from '../harness.js';

let env: TestEnv;
beforeAll(async () => void (env = await TestEnv.create()));
afterAll(() => env.cleanup());

const PROXIES = { HTTP_PROXY: 'http://proxy.invalid:3128', https_proxy: 'http://secure.invalid:3129', NO_PROXY: 'localhost,.internal' };

/** The container's environment lines that name a proxy. */
async function proxyLines(args: string[]): Promise<string[]> {
  const out = await env.ok(['run', '--rm', '--network', 'none', ...args, 'busybox', 'env'], { env: PROXIES });
  return out.split('\n').filter((l) => /_proxy=/i.test(l)).sort();
}

describe('--http-proxy', () => {
  it("passes pman's proxy variables by default; --http-proxy=false keeps them out; -e overrides one", async () => {
    expect(await proxyLines([])).toEqual(['HTTP_PROXY=http://proxy.invalid:3128', 'NO_PROXY=localhost,.internal', 'https_proxy=http://secure.invalid:3129']);
    expect(await proxyLines(['--http-proxy=false'])).toEqual([]);
    expect(await proxyLines(['-e', 'HTTP_PROXY=http://mine.invalid:1'])).toEqual(['HTTP_PROXY=http://mine.invalid:1', 'NO_PROXY=localhost,.internal', 'https_proxy=http://secure.invalid:3129']);
  });
});

describe('--pod-id-file and --ip6', () => {
  it('--pod-id-file puts the container in the pod the file names; a missing file is one clear line', async () => {
    const file = path.join(env.dir, 'pod.id');
    const podId = await env.ok(['pod', 'create', '--pod-id-file', file, '--name', 'filed']);
    try {
      const id = await env.ok(['create', '--pod-id-file', file, 'busybox', 'true']);
      expect(await env.ok(['inspect', '--format', '{{.Pod}}', id])).toBe(podId);
      const missing = await env.pman(['create', '--pod-id-file', path.join(env.dir, 'nope'), 'busybox', 'true']);
      expect(missing.exitCode).toBe(125);
      expect(missing.stderr.trim().split('\n')).toEqual([expect.stringMatching(/cannot read --pod-id-file ".*nope": ENOENT/)]);
      fs.writeFileSync(path.join(env.dir, 'empty'), '\n');
      expect((await env.pman(['create', '--pod-id-file', path.join(env.dir, 'empty'), 'busybox', 'true'])).stderr).toMatch(/--pod-id-file ".*empty" is empty/);
    } finally {
      await env.ok(['pod', 'rm', '-f', 'filed']);
    }
  });

  it('--ip6 on the default network (IPv4 only) is refused with the reason, before anything is made', async () => {
    const r = await env.pman(['run', '--ip6', 'fd00::5', 'busybox', 'true']);
    expect(r.exitCode).toBe(125);
    expect(r.stderr.trim()).toBe('Error: network "pman" has no IPv6 subnet: --ip6 needs a network created with --ipv6');
    expect(await env.ok(['ps', '-aq'])).toBe('');
  });
});
