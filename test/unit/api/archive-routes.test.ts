import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { goFileMode } from '../../../lib/api/archive-routes.js';

describe("the API's file stat for docker cp", () => {
  it("gives a mode as Go's unsigned os.FileMode: type bits, permissions, setuid/setgid/sticky", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pman-gomode-'));
    try {
      const sub = path.join(dir, 'sticky');
      fs.mkdirSync(sub);
      fs.chmodSync(sub, 0o1777);
      const file = path.join(dir, 'f');
      fs.writeFileSync(file, 'x');
      fs.chmodSync(file, 0o4755);
      fs.symlinkSync('f', path.join(dir, 'l'));
      expect(goFileMode(fs.statSync(dir))).toBe(2 ** 31 + 0o700);
      expect(goFileMode(fs.statSync(sub))).toBe(2 ** 31 + 2 ** 20 + 0o777);
      expect(goFileMode(fs.statSync(file))).toBe(2 ** 23 + 0o755);
      expect(goFileMode(fs.lstatSync(path.join(dir, 'l')))).toBe(2 ** 27 + 0o777);
      expect(goFileMode(fs.statSync('/dev/null'))).toBe(2 ** 26 + 2 ** 21 + 0o666);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
