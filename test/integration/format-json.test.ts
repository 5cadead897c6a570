// --format json through the shared output code: ps, info and version print JSON documents (not the
// word "json"), and a list with nothing in it is an empty array.
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT, TestEnv } from './harness.js';

let env: TestEnv;
beforeAll(async () => {
  env = await TestEnv.create();
});
afterAll(async () => {
  await env.cleanup();
});

const packageVersion = (JSON.parse(fs.readFileSync(path.join(PROJECT, 'package.json'), 'utf8')) as { version: string }).version;

describe('ps --format json', () => {
  it('prints [] when there are no containers', async () => {
    expect(await env.ok(['ps', '--format', 'json'])).toBe('[]');
    expect(await env.ok(['ps', '-a', '--format', 'json'])).toBe('[]');
  });

  it('prints one object per container in podman shape, running ones without -a', async () => {
    await env.ok(['run', '-d', '--name', 'fj-up', 'busybox', 'sleep', '1000']);
    await env.ok(['create', '--name', 'fj-new', 'busybox', 'true']);
    const running = JSON.parse(await env.ok(['ps', '--format', 'json'])) as Array<Record<string, unknown>>;
    expect(running).toHaveLength(1);
    expect(running[0]).toMatchObject({ Names: ['fj-up'], State: 'running', Image: 'localhost/busybox:latest', Command: ['sleep', '1000'], ExitCode: 0 });
    expect(running[0].Id).toMatch(/^[0-9a-f]{64}$/);
    expect(running[0].Status).toMatch(/^Up /);
    const all = JSON.parse(await env.ok(['ps', '-a', '--format', 'json'])) as Array<Record<string, unknown>>;
    expect(all.map((c) => (c.Names as string[])[0]).sort()).toEqual(['fj-new', 'fj-up']);
    expect(all.find((c) => (c.Names as string[])[0] === 'fj-new')).toMatchObject({ State: 'created', Status: 'Created' });
  });
});

describe('info --format json', () => {
  it('prints the info document as JSON, with the same fields as the YAML form', async () => {
    const doc = JSON.parse(await env.ok(['info', '--format', 'json'])) as {
      host: { os: string; rootless: boolean; cgroupVersion: string; ociRuntime: { name: string; version: string } };
      store: { graphRoot: string; containerStore: { number: number } };
      version: { Version: string };
    };
    expect(doc.host.os).toBe('linux');
    expect(doc.host.rootless).toBe(false);
    expect(doc.host.cgroupVersion).toMatch(/^v[12]$/);
    expect(doc.host.ociRuntime.version).toMatch(/^runc version/);
    expect(doc.store.graphRoot).toBe(env.root);
    expect(typeof doc.store.containerStore.number).toBe('number');
    expect(doc.version.Version).toBe(packageVersion);
    expect(await env.ok(['info'])).toContain(`graphRoot: ${env.root}\n`);
  });
});

describe('version --format json', () => {
  it('prints the version document as JSON, and templates still render', async () => {
    const doc = JSON.parse(await env.ok(['version', '--format', 'json'])) as { Client: { Version: string; OsArch: string } };
    expect(doc.Client.Version).toBe(packageVersion);
    expect(doc.Client.OsArch).toMatch(/^linux\//);
    expect(await env.ok(['version', '--format', '{{.Client.Version}}'])).toBe(packageVersion);
  });
});
