// Pod commands where pman answered differently from podman 4.3.1, each checked side by side on
// this machine and matched (docs/commands.md, "Behaviour next to podman 4.3.1";
// scripts/podman-diff-cases.mjs has a case for each). Pods use --network none: nothing of the
// host's network changes.
import { TestEnv, until } from '../harness.js';

const env = TestEnv.forFile();

/** Runs fn, then removes the pods it named (with their containers), also when it failed. */
async function withPods(pods: string[], fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } finally {
    await env.pman(['pod', 'rm', '-f', '-i', '-t', '0', ...pods]);
  }
}

const missing = 'Error: no pod with name or ID "nosuch" found';

async function podStatus(pod: string): Promise<string> {
  return (await env.ok(['pod', 'ps', '--filter', `name=^${pod}$`, '--format', '{{.Status}}'])).trim();
}

describe('pod inspect of missing pods', () => {
  it('prints the pods found (none: [], one: an object, several: an array), a line per missing one, exit 125', () =>
    withPods(['pi-a', 'pi-b'], async () => {
      await env.ok(['pod', 'create', '--infra=false', '--name', 'pi-a']);
      await env.ok(['pod', 'create', '--infra=false', '--name', 'pi-b']);
      const none = await env.pman(['pod', 'inspect', 'nosuch']);
      expect([none.exitCode, none.stdout]).toEqual([125, '[]']);
      expect(none.stderr.startsWith(missing)).toBe(true);
      expect(none.stderr.split('\n')).toHaveLength(1);
      const one = await env.pman(['pod', 'inspect', 'pi-a', 'nosuch']);
      expect([one.exitCode, (JSON.parse(one.stdout) as { Name: string }).Name]).toEqual([125, 'pi-a']);
      expect(one.stderr.startsWith(missing)).toBe(true);
      const two = await env.pman(['pod', 'inspect', 'nosuch', 'pi-a', 'pi-b']);
      expect([two.exitCode, (JSON.parse(two.stdout) as Array<{ Name: string }>).map((d) => d.Name)]).toEqual([125, ['pi-a', 'pi-b']]);
      const tpl = await env.pman(['pod', 'inspect', '--format', '{{.Name}}', 'pi-b', 'nosuch', 'pi-a']);
      expect([tpl.exitCode, tpl.stdout, tpl.stderr.split('\n').length]).toEqual([125, 'pi-b\npi-a', 1]);
      const found = await env.pman(['pod', 'inspect', 'pi-a', 'pi-b']);
      expect([found.exitCode, (JSON.parse(found.stdout) as unknown[]).length, found.stderr]).toEqual([0, 2, '']);
    }));
});

describe('pod kill, pause and unpause with nothing to act on', () => {
  it('kill and pause exit 0 printing the ID; unpause prints it only for a paused or degraded pod', () =>
    withPods(['pk'], async () => {
      const id = (await env.ok(['pod', 'create', '--network', 'none', '--name', 'pk'])).trim();
      await env.ok(['create', '--pod', 'pk', '--name', 'pk-a', 'busybox', 'sleep', '1000']);
      await env.ok(['create', '--pod', 'pk', '--name', 'pk-b', 'busybox', 'sleep', '1001']);
      // Nothing running: each exits 0; unpause passes the Created pod over silently.
      for (const [verb, out] of [['kill', id], ['pause', id], ['unpause', '']]) {
        const r = await env.pman(['pod', verb, 'pk']);
        expect([verb, r.exitCode, r.stdout, r.stderr]).toEqual([verb, 0, out, '']);
      }
      expect(await podStatus('pk')).toBe('Created');
      // Degraded (the infra and pk-a running, pk-b created): unpause acts, though nothing is paused.
      await env.ok(['start', 'pk-a']);
      expect(await podStatus('pk')).toBe('Degraded');
      const unpause = await env.pman(['pod', 'unpause', 'pk']);
      expect([unpause.exitCode, unpause.stdout]).toEqual([0, id]);
      expect((await env.ok(['pod', 'kill', 'pk'])).trim()).toBe(id);
      expect(await until(async () => (await env.ok(['ps', '-a', '--filter', 'status=running', '--filter', 'pod=pk', '-q'])).trim() === '')).toBe(true);
    }));
});
