// Kept exit codes of --rm containers go once older than the keep time; younger ones stay.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pruneExitCodes } from '../../../lib/shim/cleanup.js';

describe('pruneExitCodes', () => {
  it('removes the exit codes written before the cut-off and keeps the others', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pman-exits-'));
    try {
      for (const [name, ageMin] of [['old', 10], ['older', 60], ['new', 1]] as const) {
        fs.writeFileSync(path.join(dir, name), '0');
        const t = new Date(Date.now() - 60_000 * ageMin);
        fs.utimesSync(path.join(dir, name), t, t);
      }
      expect(pruneExitCodes(dir, Date.now() - 5 * 60_000).sort()).toEqual(['old', 'older']);
      expect(fs.readdirSync(dir)).toEqual(['new']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('finds nothing to do in a directory not made yet', () => {
    expect(pruneExitCodes(path.join(os.tmpdir(), 'pman-no-such-exits-dir'), Date.now())).toEqual([]);
  });
});
