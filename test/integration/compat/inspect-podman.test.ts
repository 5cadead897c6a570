// inspect and history details where pman answered differently from podman 4.3.1, each checked side
// by side on this machine and matched (docs/commands.md, "Behaviour next to podman 4.3.1").
import { TestEnv } from '../harness.js';
import fs from 'node:fs';
import path from 'node:path';
import { useEnv } from './shared-env.js';

const getEnv = useEnv();
let env: TestEnv;
beforeAll(() => {
  env = getEnv();
});

/** pman's stdout exactly, its last newline included. */
const out = async (args: string[]) => env.ok(args, { stripFinalNewline: false });

describe('inspect --format "table …"', () => {
  it('drops the word, prints no header and aligns all objects together, for every kind of object, as podman 4.3.1', async () => {
    await env.ok(['create', '--name', 'tab1', '--network', 'none', 'busybox', 'true']);
    await env.ok(['create', '--name', 'a-much-longer-name', '--network', 'none', 'busybox', 'true']);
    await env.ok(['volume', 'create', 'tabvol']);
    await env.ok(['pod', 'create', '--infra=false', '--name', 'tabpod']);
    try {
      expect(await out(['inspect', '--format', 'table {{.Name}} {{.State.Status}}', 'tab1', 'a-much-longer-name']))
        .toBe('tab1                created\na-much-longer-name  created\n');
      expect(await out(['image', 'inspect', '--format', 'table {{.Os}}\\t{{.Architecture}}', 'busybox'])).toMatch(/^linux {7}\S+\n$/);
      expect(await out(['volume', 'inspect', '--format', 'table {{.Name}} {{.Driver}}', 'tabvol'])).toBe('tabvol      local\n');
      expect(await out(['pod', 'inspect', '--format', 'table {{.Name}} {{.NumContainers}}', 'tabpod'])).toBe('tabpod      0\n');
      // Without "table " the template is printed as it is, one newline added where it has none.
      expect(await out(['inspect', '--format', '{{.Name}}\\t{{.State.Status}}\\n', 'tab1'])).toBe('tab1\tcreated\n');
    } finally {
      await env.pman(['pod', 'rm', '-f', 'tabpod']);
    }
  });
});

describe('inspect .State.Health', () => {
  it('is there without a health check, empty as in podman 4.3.1, and .State.Healthcheck is the same for templates only', async () => {
    await env.ok(['create', '--name', 'nohc', '--network', 'none', 'busybox', 'true']);
    const [doc] = JSON.parse(await env.ok(['inspect', 'nohc'])) as Array<{ State: Record<string, unknown> }>;
    expect(doc.State.Health).toEqual({ Status: '', FailingStreak: 0, Log: null });
    expect(doc.State).not.toHaveProperty('Healthcheck');
    expect(await env.ok(['inspect', '--format', '{{json .State.Healthcheck}}|{{.State.Health.Status}}|{{.State.Health.FailingStreak}}', 'nohc']))
      .toBe('{"Status":"","FailingStreak":0,"Log":null}||0');
  });
});

describe('sizes without --size', () => {
  it('inspect prints SizeRw as <nil> and SizeRootFs as 0; ps prints {{.Size}} empty and says why on stderr, as podman 4.3.1', async () => {
    await env.ok(['create', '--name', 'nosize', '--network', 'none', 'busybox', 'true']);
    expect(await env.ok(['inspect', '--format', '{{.SizeRw}}|{{.SizeRootFs}}|{{json .SizeRw}}|{{if .SizeRw}}y{{else}}n{{end}}', 'nosize'])).toBe('<nil>|0|null|n');
    expect(await env.ok(['inspect', '--size', '--format', '{{.SizeRw}}|{{if .SizeRw}}y{{else}}n{{end}}', 'nosize'])).toBe('0|n');
    const [doc] = JSON.parse(await env.ok(['inspect', 'nosize'])) as Array<Record<string, unknown>>;
    expect([doc.SizeRw, doc.SizeRootFs]).toEqual([undefined, undefined]);
    const ps = await env.pman(['ps', '-a', '--format', '{{.Names}}:{{.Size}}']);
    expect(ps).toEqual({ exitCode: 0, stdout: 'nosize:', stderr: "WARN: {{.Size}} is empty without --size: add --size to compute the containers' sizes" });
    // Nothing listed, nothing to say; with --size, no warning either.
    expect(await env.pman(['ps', '--format', '{{.Size}}'])).toEqual({ exitCode: 0, stdout: '', stderr: '' });
    expect(await env.pman(['ps', '-a', '--size', '--format', '{{.Names}}:{{.Size}}'])).toMatchObject({ exitCode: 0, stdout: expect.stringMatching(/^nosize:0B \(virtual /), stderr: '' });
  });
});

describe('inspect .Config.CreateCommand', () => {
  it('is the command line of run or create, global flags included, as podman 4.3.1 records its os.Args', async () => {
    await env.ok(['create', '--name', 'cc-create', '--network', 'none', 'busybox', 'sh', '-c', 'echo a b']);
    await env.ok(['run', '--name', 'cc-run', '--network', 'none', 'busybox', 'true']);
    const command = async (name: string) => JSON.parse(await env.ok(['inspect', '--format', '{{json .Config.CreateCommand}}', name])) as unknown;
    expect(await command('cc-create')).toEqual(['pman', '--root', env.root, '--runroot', env.runroot, 'create', '--name', 'cc-create', '--network', 'none', 'busybox', 'sh', '-c', 'echo a b']);
    expect(await command('cc-run')).toEqual(['pman', '--root', env.root, '--runroot', env.runroot, 'run', '--name', 'cc-run', '--network', 'none', 'busybox', 'true']);
  });

  it('is left out of a record that has none (made before it was recorded), and a template sees an empty list', async () => {
    const id = (await env.ok(['create', '--name', 'cc-old', '--network', 'none', 'busybox', 'true'])).trim();
    const file = path.join(env.root, 'containers', id, 'container.json');
    const rec = JSON.parse(fs.readFileSync(file, 'utf8')) as { config: Record<string, unknown> };
    delete rec.config.createCommand;
    fs.writeFileSync(file, JSON.stringify(rec));
    const [doc] = JSON.parse(await env.ok(['inspect', 'cc-old'])) as Array<{ Config: Record<string, unknown> }>;
    expect(doc.Config).not.toHaveProperty('CreateCommand');
    expect(await env.ok(['inspect', '--format', '{{json .Config.CreateCommand}}|{{.Config.CreateCommand}}|{{len .Config.CreateCommand}}', 'cc-old'])).toBe('null|[]|0');
  });
});
