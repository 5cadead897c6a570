// Failpoints act only when PMAN_FAILPOINT arms them, each in a fresh process (the variable is read
// once when the module loads): kill, eio and enospc, the hits file, and a bad setting refused.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const MODULE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../lib/util/failpoint.js');

/** Reaches `point` in a new Node process with `env`; reports how it ended. */
function reach(point: string, env: Record<string, string>) {
  const script = `import(${JSON.stringify(MODULE)}).then((m) => {
    try { m.failpoint(${JSON.stringify(point)}); console.log('passed'); }
    catch (e) { console.log('threw', e.code, e.message); }
  })`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8' });
  return { signal: r.signal, stdout: r.stdout.trim() };
}

describe('failpoint', () => {
  it('does nothing when PMAN_FAILPOINT is unset', () => {
    expect(reach('create.after-record', {})).toEqual({ signal: null, stdout: 'passed' });
  });

  it('does nothing at a point that is not armed', () => {
    expect(reach('create.after-record', { PMAN_FAILPOINT: 'create.after-name:kill' })).toEqual({ signal: null, stdout: 'passed' });
  });

  it('kill ends the process with SIGKILL at the armed point', () => {
    expect(reach('create.after-record', { PMAN_FAILPOINT: 'create.after-name:eio,create.after-record:kill' })).toEqual({ signal: 'SIGKILL', stdout: '' });
  });

  it('eio and enospc make the step throw that errno, naming the failpoint', () => {
    expect(reach('rm.after-unmount', { PMAN_FAILPOINT: 'rm.after-unmount:eio' }).stdout).toBe('threw EIO EIO: i/o error (failpoint rm.after-unmount)');
    expect(reach('image.after-layer', { PMAN_FAILPOINT: 'image.after-layer:enospc' }).stdout).toBe(
      'threw ENOSPC ENOSPC: no space left on device (failpoint image.after-layer)',
    );
  });

  it('appends each armed point reached to PMAN_FAILPOINT_HITS', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pman-fp-'));
    try {
      const hits = path.join(dir, 'hits');
      reach('volume.after-create', { PMAN_FAILPOINT: 'volume.after-create:eio', PMAN_FAILPOINT_HITS: hits });
      reach('volume.after-rm-record', { PMAN_FAILPOINT: 'volume.after-create:eio', PMAN_FAILPOINT_HITS: hits });
      expect(fs.readFileSync(hits, 'utf8')).toBe('volume.after-create:eio\n');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses an unknown name or action with one line naming it', () => {
    expect(reach('create.after-name', { PMAN_FAILPOINT: 'create.after-nmae:kill' }).stdout).toBe(
      'threw undefined invalid PMAN_FAILPOINT "create.after-nmae:kill": use NAME:kill|eio|enospc with a name from lib/util/failpoint.ts',
    );
    expect(reach('create.after-name', { PMAN_FAILPOINT: 'create.after-name:boom' }).stdout).toContain('invalid PMAN_FAILPOINT "create.after-name:boom"');
  });
});
