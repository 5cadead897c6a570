// A container whose record cannot be read is still a container: ps -a lists it as unknown, inspect
// says why, logs reads its log, and rm -f frees everything it holds, found without the record.
import fs from 'node:fs';
import path from 'node:path';
import { TestEnv, until } from '../harness.js';
import { freeingProblems, hostPicture, pictureAfterOneRun, readingProblems, storeProcesses, type HostPicture } from '../invariants.js';

const env = TestEnv.forFile();
let clean: HostPicture;
beforeAll(async () => {
  clean = await pictureAfterOneRun(env);
});

const recordFile = (id: string) => path.join(env.root, 'containers', id, 'container.json');

const alive = (pid: number) => fs.existsSync(`/proc/${pid}`) && !fs.readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z');

/** A running container whose record is then damaged; returns its ID and its shim's pid. */
async function runningWithCorruptRecord(name: string, damage: (text: string) => string): Promise<{ id: string; shimPid: number }> {
  const id = (await env.ok(['run', '-d', '--name', name, 'busybox', 'sh', '-c', `echo hello-${name}; exec sleep 1000`])).trim();
  await until(async () => (await env.ok(['logs', name])).includes('hello'));
  const shimPid = Number(await env.ok(['inspect', '--format', '{{.State.ConmonPid}}', name]));
  fs.writeFileSync(recordFile(id), damage(fs.readFileSync(recordFile(id), 'utf8')));
  return { id, shimPid };
}

describe('a container whose record cannot be read', () => {
  it('is listed by ps -a as unknown, inspect gives the reason, logs still reads its log', async () => {
    const { id } = await runningWithCorruptRecord('torn', (t) => t.slice(0, 40));
    const ps = await env.pman(['ps', '-a', '--format', '{{.ID}} {{.Names}} {{.State}} {{.Status}}']);
    expect(ps.exitCode).toBe(0);
    expect(ps.stdout.split('\n')).toContain(`${id.slice(0, 12)} torn unknown Unknown`);
    expect(ps.stderr).toContain(recordFile(id));
    expect(await env.ok(['ps', '-a', '-q', '--filter', 'status=unknown'])).toBe(id.slice(0, 12));
    const state = JSON.parse(await env.ok(['inspect', '--format', '{{json .State}}', 'torn']));
    expect(state.Status).toBe('unknown');
    expect(state.Error).toContain(`"${recordFile(id)}" is not valid JSON`);
    expect(await env.ok(['logs', 'torn'])).toBe('hello-torn');
    // Anything else is refused with the reason, and changes nothing.
    const start = await env.pman(['start', 'torn']);
    expect(start.exitCode).toBe(125);
    expect(start.stderr).toContain('cannot start container "torn": its record cannot be read, remove it with "pman rm -f"');
    const rm = await env.pman(['rm', id]);
    expect(rm.exitCode).toBe(2); // as for a running container without -f (podman's improper-state code)
    expect(rm.stderr).toContain('cannot remove container "torn": its record cannot be read, remove it with "pman rm -f"');
    expect(await readingProblems(env)).toEqual([]);
    expect(await freeingProblems(env, clean)).toEqual([]);
  });

  it('rm -f by name frees its shim, container process, overlay mount, runc state and name', async () => {
    const { id, shimPid } = await runningWithCorruptRecord('invalid', (t) => t.replace('"running"', '"flying"'));
    const ctrPid = Number(fs.readFileSync(path.join(env.runroot, 'containers', id, 'pid'), 'utf8'));
    expect(storeProcesses(env.dir).length).toBeGreaterThan(0);
    expect(await env.ok(['rm', '-f', 'invalid'])).toBe('invalid');
    expect(alive(ctrPid)).toBe(false);
    // A shim left to finish on its own would write into the removed container's directory.
    await until(() => !alive(shimPid));
    const left = hostPicture(env);
    expect(left.processes).toEqual([]);
    expect(left.mounts).toEqual(clean.mounts);
    expect(left.files).toEqual(clean.files);
    // The name is free again.
    await env.ok(['run', '--rm', '--name', 'invalid', 'busybox', 'true']);
  });

  it('rm -f --all frees it with the sound containers, which stay untouched until then', async () => {
    await runningWithCorruptRecord('broken', (t) => `${t}garbage`);
    await env.ok(['run', '-d', '--name', 'sound', 'busybox', 'sleep', '1000']);
    await env.ok(['create', '--name', 'made', 'busybox', 'true']);
    expect(await env.ok(['inspect', '--format', '{{.State.Status}}', 'sound'])).toBe('running');
    expect(await readingProblems(env)).toEqual([]);
    expect(await freeingProblems(env, clean)).toEqual([]);
  });
});
