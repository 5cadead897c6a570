// The order of `ps`, as podman 4.3.1's (docker lists newest first, podman oldest first): the
// default and --sort created oldest first, -n N the N newest printed oldest first, and every other
// --sort key ascending with equal keys left in that order. The same containers are made in pman
// and in the podman installed here (its own temporary store, --network none) and each listing's
// names are compared with both: what podman prints, and the order written out below.
import { busyboxTarball, until } from '../harness.js';
import { sideBySideForFile } from './podman-store.js';

const { env, podman } = sideBySideForFile();

const LIMITS = ['--ulimit', 'nofile=1024:1024', '--ulimit', 'nproc=1024:1024', '--network', 'none'];

/** Runs one command line in both tools, each exiting `exitCode` (podman's run and create get its limits). */
async function both(args: string[], exitCode = 0): Promise<void> {
  const making = args[0] === 'run' || args[0] === 'create';
  await podman(making ? [args[0], ...LIMITS, ...args.slice(1)] : args, exitCode);
  const r = await env.pman(making ? [args[0], '--network', 'none', ...args.slice(1)] : args);
  if (r.exitCode !== exitCode) throw new Error(`pman ${args.join(' ')} exited ${r.exitCode}: ${r.stderr}`);
}

describe('ps order', () => {
  it('lists oldest first, takes -n from the newest and sorts each key as podman 4.3.1 does', async () => {
    const image = 'localhost/busybox:latest';
    await podman(['import', busyboxTarball(), image]);
    // A second name for the image, and a bigger image (a committed 300 KiB file): --sort image and size.
    await both(['tag', image, 'localhost/aaa:latest']);
    await both(['run', '--name', 'mk', image, 'sh', '-c', 'dd if=/dev/zero of=/f bs=1k count=300 2>/dev/null']);
    await both(['commit', '-q', 'mk', 'localhost/big:latest']);
    await both(['rm', 'mk']);
    // In creation order: a created container of the bigger image, a running one, a created one, an
    // exited one with a big writable layer (which --sort size does not count), one created now and
    // started last, and a running one.
    await both(['create', '--name', 'onbig', 'localhost/big:latest', 'true']);
    await both(['run', '-d', '--name', 'zeta', image, 'sleep', '1000']);
    await both(['create', '--name', 'alpha', 'localhost/aaa:latest', 'true']);
    await both(['run', '--name', 'mid', image, 'sh', '-c', 'dd if=/dev/zero of=/g bs=1k count=500 2>/dev/null; exit 3'], 3);
    await both(['create', '--name', 'gamma', image, 'true']);
    await both(['run', '-d', '--name', 'beta', 'localhost/aaa:latest', 'sleep', '999']);
    // Start times count in whole seconds: gamma starts in a later second than every other start.
    const second = Math.floor(Date.now() / 1000);
    await until(() => Math.floor(Date.now() / 1000) > second, 5_000);
    await both(['start', '-a', 'gamma']);

    const expected: Array<[string[], string]> = [
      [[], 'zeta beta'],
      [['-a'], 'onbig zeta alpha mid gamma beta'],
      [['-a', '--sort', 'created'], 'onbig zeta alpha mid gamma beta'],
      [['-a', '--pod'], 'onbig zeta alpha mid gamma beta'],
      [['-n', '2'], 'gamma beta'],
      [['-n', '3', '--sort', 'names'], 'beta gamma mid'],
      [['--latest'], 'beta'],
      // Never started first (in creation order), then by the start time's second.
      [['-a', '--sort', 'runningfor'], 'onbig alpha zeta mid beta gamma'],
      [['-a', '--sort', 'names'], 'alpha beta gamma mid onbig zeta'],
      // The state word: created < exited < running, not the STATUS text ("Exited (3)" after "Exited (0)").
      [['-a', '--sort', 'status'], 'onbig alpha mid gamma zeta beta'],
      [['-a', '--sort', 'image'], 'alpha beta onbig zeta mid gamma'],
      // The whole command: "sh -c dd …" < "sleep 1000" < "sleep 999" < "true".
      [['-a', '--sort', 'command'], 'mid zeta beta onbig alpha gamma'],
      // The virtual size with --size (the image's), none without it.
      [['-a', '--size', '--sort', 'size'], 'zeta alpha mid gamma beta onbig'],
      [['-a', '--sort', 'size'], 'onbig zeta alpha mid gamma beta'],
    ];
    const names = (out: string) => out.split('\n').filter(Boolean).join(' ');
    const got = [];
    for (const [args] of expected) {
      const line = ['ps', ...args, '--format', '{{.Names}}'];
      got.push({ args: args.join(' '), podman: names(await podman(line)), pman: names(await env.ok(line)) });
    }
    expect(got).toEqual(expected.map(([args, order]) => ({ args: args.join(' '), podman: order, pman: order })));
    // -q, --format json and --sort id in the same order as the names.
    const idsToNames = new Map((await env.ok(['ps', '-a', '--no-trunc', '--format', '{{.ID}} {{.Names}}'])).split('\n').map((l) => [l.slice(0, 12), l.split(' ')[1]] as const));
    expect((await env.ok(['ps', '-a', '-q'])).split('\n').map((id) => idsToNames.get(id)).join(' ')).toBe('onbig zeta alpha mid gamma beta');
    const json = JSON.parse(await env.ok(['ps', '-a', '--format', 'json'])) as Array<{ Names: string[] }>;
    expect(json.map((c) => c.Names[0]).join(' ')).toBe('onbig zeta alpha mid gamma beta');
    const byId = (await env.ok(['ps', '-a', '--sort', 'id', '--no-trunc', '--format', '{{.ID}}'])).split('\n');
    expect(byId).toEqual([...byId].sort());
    expect(byId).toHaveLength(6);
  }, 300_000);

  it('lists only running containers without -a, whatever the filter but status=, and takes -n 0 or less as no limit, as podman', async () => {
    await both(['create', '--name', 'n-old', 'localhost/busybox:latest', 'true']);
    await both(['run', '-d', '--name', 'n-up', 'localhost/busybox:latest', 'sleep', '1000']);
    const expected: Array<[string[], string]> = [
      [[], 'n-up'],
      [['--filter', 'status=created'], 'n-old'],
      [['-n', '0'], 'n-up'],
      [['-n', '-2'], 'n-up'],
      [['-a', '-n', '0'], 'n-old n-up'],
      [['-a', '-n', '-2'], 'n-old n-up'],
      [['-n', '2'], 'n-old n-up'],
    ];
    const got = [];
    for (const [args] of expected) {
      const line = ['ps', ...args, '--filter', 'name=^n-', '--format', '{{.Names}}'];
      got.push({ args: args.join(' '), podman: (await podman(line)).split('\n').join(' '), pman: (await env.ok(line)).split('\n').join(' ') });
    }
    expect(got).toEqual(expected.map(([args, order]) => ({ args: args.join(' '), podman: order, pman: order })));
  }, 120_000);

  it('leaves a paused container out without -a, as podman', async () => {
    await both(['run', '-d', '--name', 'p-frozen', 'localhost/busybox:latest', 'sleep', '1000']);
    await both(['pause', 'p-frozen']);
    const got = [];
    for (const args of [[], ['-a'], ['--filter', 'status=paused'], ['-n', '1']]) {
      const line = ['ps', ...args, '--filter', 'name=^p-', '--format', '{{.Names}}'];
      got.push({ args: args.join(' '), podman: await podman(line), pman: await env.ok(line) });
    }
    const listed = (args: string, names: string) => ({ args, podman: names, pman: names });
    expect(got).toEqual([listed('', ''), listed('-a', 'p-frozen'), listed('--filter status=paused', 'p-frozen'), listed('-n 1', 'p-frozen')]);
    await both(['unpause', 'p-frozen']);
  }, 120_000);
});
