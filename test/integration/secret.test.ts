// pman secret create/ls/inspect/exists/rm and run --secret, against a real store and containers.
import fs from 'node:fs';
import path from 'node:path';
import { TestEnv } from './harness.js';

let env: TestEnv;
beforeAll(async () => void (env = await TestEnv.create()));
afterAll(() => env.cleanup());

const ok = async (args: string[], input?: string) => {
  const r = await env.pman(args, input === undefined ? undefined : { input });
  if (r.exitCode !== 0) throw new Error(`pman ${args.join(' ')}: exit ${r.exitCode}: ${r.stderr}`);
  return r.stdout;
};

describe('pman secret', () => {
  it('stores a secret from stdin or a file, 0600, and shows it in podman\'s shapes without its data', async () => {
    const id = (await ok(['secret', 'create', '--label', 'team=db', 'pw', '-'], 'hunter2')).trim();
    const file = path.join(env.root, 'in.txt');
    fs.writeFileSync(file, 'from-file');
    const id2 = (await ok(['secret', 'create', 'key', file])).trim();
    try {
      expect(id).toMatch(/^[0-9a-f]{25}$/);
      const dataFile = path.join(env.root, 'secrets', id, 'data');
      expect([fs.readFileSync(dataFile, 'utf8'), fs.statSync(dataFile).mode & 0o777]).toEqual(['hunter2', 0o600]);
      const [doc] = JSON.parse(await ok(['secret', 'inspect', 'pw']));
      expect(doc).toEqual({ ID: id, CreatedAt: expect.any(String), UpdatedAt: expect.any(String), Spec: { Name: 'pw', Driver: { Name: 'file', Options: { path: expect.any(String) } }, Labels: { team: 'db' } } });
      expect(JSON.stringify(doc)).not.toContain('hunter2');
      expect(await ok(['secret', 'inspect', '--format', '{{.Spec.Name}} {{.Spec.Labels.team}}', id.slice(0, 8)])).toBe('pw db');
      const table = (await ok(['secret', 'ls'])).split('\n');
      expect(table[0].split(/\s{2,}/)).toEqual(['ID', 'NAME', 'DRIVER', 'CREATED', 'UPDATED']);
      expect(table.slice(1, 3).map((l) => l.split(/\s{2,}/).slice(0, 3))).toEqual([[id, 'pw', 'file'], [id2, 'key', 'file']]);
      expect(await ok(['secret', 'ls', '--format', '{{.Name}}', '--filter', 'name=ke'])).toBe('key');
      expect(await ok(['secret', 'ls', '-q', '--noheading'])).toBe(`${id}\n${id2}`);
      expect(JSON.parse(await ok(['secret', 'ls', '--format', 'json'])).map((s: { Spec: { Name: string } }) => s.Spec.Name)).toEqual(['pw', 'key']);
      expect((await env.pman(['secret', 'exists', 'pw'])).exitCode).toBe(0);
      expect((await env.pman(['secret', 'exists', 'nope'])).exitCode).toBe(1);
      // Names are unique (--replace swaps the data); names are checked.
      const dup = await env.pman(['secret', 'create', 'pw', file]);
      expect([dup.exitCode, dup.stderr.trim()]).toEqual([125, 'Error: a secret named "pw" already exists: remove it first or choose another name']);
      const bad = await env.pman(['secret', 'create', '../x', file]);
      expect([bad.exitCode, bad.stderr]).toEqual([125, expect.stringContaining('invalid secret name "../x"')]);
      const empty = await env.pman(['secret', 'create', 'e', '-'], { input: '' });
      expect([empty.exitCode, empty.stderr.trim()]).toEqual([125, 'Error: secret data must not be empty']);
    } finally {
      await env.pman(['secret', 'rm', '--all']);
    }
    expect(await ok(['secret', 'ls', '-q'])).toBe('');
    expect(fs.readdirSync(path.join(env.root, 'secrets'))).toEqual([]);
  });

  it('gives a container its secrets as files and variables, and keeps them while the container exists', async () => {
    await ok(['secret', 'create', 'pw', '-'], 'hunter2');
    await ok(['secret', 'create', 'tok', '-'], 'abc');
    try {
      const out = await ok([
        'run', '--name', 'sec', '--network', 'none', '--user', '5:6',
        '--secret', 'pw', '--secret', 'tok,type=env,target=TOKEN', '--secret', 'source=pw,target=/etc/db.key,uid=5,gid=6,mode=0400',
        'busybox', 'sh', '-c',
        'stat -c "%n %u %g %a" /run/secrets/pw /etc/db.key; cat /run/secrets/pw; echo; cat /etc/db.key; echo; echo "$TOKEN"; grep " /run/secrets/pw " /proc/mounts | cut -d" " -f4 | cut -d, -f1',
      ]);
      expect(out.split('\n')).toEqual(['/run/secrets/pw 0 0 444', '/etc/db.key 5 6 400', 'hunter2', 'hunter2', 'abc', 'ro']);
      // Removed while the container exists, as podman does: the container keeps its own copy, also
      // when a new secret takes the name (podman 4.3.1 could not restart it: it read the secret again).
      const id = await ok(['secret', 'inspect', '--format', '{{.ID}}', 'pw']);
      expect(await env.pman(['secret', 'rm', 'pw'])).toEqual({ exitCode: 0, stdout: id, stderr: '' });
      expect(fs.existsSync(path.join(env.root, 'secrets', id))).toBe(false);
      await ok(['secret', 'create', 'pw', '-'], 'other');
      expect((await ok(['start', '-a', 'sec'])).split('\n')).toEqual(['/run/secrets/pw 0 0 444', '/etc/db.key 5 6 400', 'hunter2', 'hunter2', 'abc', 'ro']);
      await ok(['secret', 'rm', 'pw', 'tok']);
      expect((await ok(['start', '-a', 'sec'])).split('\n')).toEqual(['/run/secrets/pw 0 0 444', '/etc/db.key 5 6 400', 'hunter2', 'hunter2', 'abc', 'ro']);
      await ok(['rm', 'sec']);
      const missing = await env.pman(['run', '--rm', '--secret', 'pw', 'busybox', 'true']);
      expect([missing.exitCode, missing.stderr.trim()]).toEqual([125, 'Error: no secret with name or id "pw": no such secret']);
    } finally {
      await env.pman(['rm', '-f', 'sec']);
      await env.pman(['secret', 'rm', '--all']);
    }
  });
});
