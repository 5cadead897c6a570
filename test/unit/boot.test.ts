// lib/boot.ts loadCommonJs: the files it loads are decoded as latin1 when they are ASCII (what
// scripts/bundle.mjs makes of the bundles and the validators: ~10x faster than UTF-8) and as UTF-8
// otherwise, so a file with other characters still reads right.
import { isAscii } from 'node:buffer';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadCommonJs } from '../../lib/boot.js';
import { PROJECT_ROOT } from '../../lib/project.js';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pman-boot-'));
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('loadCommonJs', () => {
  it('runs an ASCII file and a UTF-8 one as CommonJS, with their strings as written', () => {
    const ascii = path.join(dir, 'ascii.cjs');
    fs.writeFileSync(ascii, "// escapes only\nmodule.exports = { s: 'a \\u2026 b', dir: __dirname };\n");
    const utf8 = path.join(dir, 'utf8.cjs');
    fs.writeFileSync(utf8, "// an ellipsis … in a comment\nexports.s = 'é … → 😀';\n");
    expect(loadCommonJs(ascii)).toEqual({ s: 'a … b', dir });
    expect(loadCommonJs(utf8)).toEqual({ s: 'é … → 😀' });
  });
});

describe('the build', () => {
  it('made the files loadCommonJs loads pure ASCII (scripts/bundle.mjs)', () => {
    for (const f of ['dist/bundle/pman.cjs', 'dist/bundle/shim.cjs', 'dist/validators.gen.cjs']) {
      expect({ f, ascii: isAscii(fs.readFileSync(path.join(PROJECT_ROOT, f))) }).toEqual({ f, ascii: true });
    }
  });
});
