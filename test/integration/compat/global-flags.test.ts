// podman's global flags (#20): -v/--version in one line as podman prints it; --namespace and
// --conmon refused with the reason (pman has no libpod namespaces, and its own shim). --hooks-dir:
// test/integration/hooks.test.ts.
import { TestEnv } from '../harness.js';

let env: TestEnv;
beforeAll(async () => {
  env = await TestEnv.create({ image: false });
});
afterAll(async () => {
  await env.cleanup();
});

describe('global flags', () => {
  it('-v and --version print one line with the version', async () => {
    const version = (await env.ok(['version', '--format', '{{.Client.Version}}'])).trim();
    expect(version).toMatch(/^\d+\.\d+/);
    expect(await env.ok(['-v'])).toBe(`pman version ${version}`);
    expect(await env.ok(['--version'])).toBe(`pman version ${version}`);
  });

  it('refuses --namespace and --conmon, naming why', async () => {
    expect(await env.pman(['--namespace', 'ns1', 'ps'])).toMatchObject({ exitCode: 125, stderr: 'Error: --namespace is not supported: pman has no libpod namespaces (use separate --root stores)' });
    expect(await env.pman(['--conmon', '/usr/bin/conmon', 'ps'])).toMatchObject({ exitCode: 125, stderr: "Error: --conmon is not supported: pman's own shim supervises containers" });
  });
});
