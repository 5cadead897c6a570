// lib/boot.ts loadCommonJs: the files it loads are decoded as latin1 when they are ASCII (what
// scripts/bundle.mjs makes of the bundles and the validators: ~10x faster than UTF-8) and as UTF-8
// otherwise, so a file with other characters still reads right.
import { isAscii } from 'node:buffer';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import { loadCommonJs, wrapCommonJs } from '../../lib/boot.js';
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
  it('made every bundle and the validators strict as a whole (scripts/bundle.mjs, gen-validators.mjs), the code caches still matching', () => {
    // Node's require and loadCommonJs run a file as a function's body: "use strict" must come first.
    for (const f of ['dist/bundle/main.cjs', 'dist/bundle/shim-entry.cjs', 'dist/validators.gen.cjs']) {
      expect({ f, head: fs.readFileSync(path.join(PROJECT_ROOT, f), 'utf8').slice(0, 13) }).toEqual({ f, head: '"use strict";' });
    }
    // The two with a code cache are stored wrapped as loadCommonJs runs them: first in the function's body.
    const head = wrapCommonJs('\0').split('\0')[0];
    for (const f of ['dist/bundle/pman.cjs', 'dist/bundle/shim.cjs']) {
      const file = path.join(PROJECT_ROOT, f);
      const text = fs.readFileSync(file, 'latin1');
      expect({ f, head: text.slice(head.length, head.length + 13) }).toEqual({ f, head: '"use strict";' });
      expect(text.startsWith(head)).toBe(true);
      const script = new vm.Script(text, { filename: file, cachedData: fs.readFileSync(`${file}.cache`) });
      expect({ f, rejected: script.cachedDataRejected }).toEqual({ f, rejected: false });
    }
    // A function of lib/ hoisted by esbuild to the bundle's top level: a sloppy-mode one has its
    // own `caller` and `arguments` properties, a strict one (as in lib/'s ES modules) has not.
    const cli = loadCommonJs(path.join(PROJECT_ROOT, 'dist/bundle/pman.cjs'));
    expect(typeof cli.fastParsed).toBe('function');
    expect(Object.getOwnPropertyNames(cli.fastParsed).filter((p) => p === 'caller' || p === 'arguments')).toEqual([]);
    // And a record validator (scripts/gen-validators.mjs).
    const { validators } = loadCommonJs(path.join(PROJECT_ROOT, 'dist/validators.gen.cjs')) as { validators: Record<string, object> };
    expect(typeof validators.containerRecord).toBe('function');
    expect(Object.getOwnPropertyNames(validators.containerRecord).filter((p) => p === 'caller' || p === 'arguments')).toEqual([]);
  });

  it('made the files loadCommonJs loads pure ASCII (scripts/bundle.mjs)', () => {
    for (const f of ['dist/bundle/pman.cjs', 'dist/bundle/shim.cjs', 'dist/validators.gen.cjs']) {
      expect({ f, ascii: isAscii(fs.readFileSync(path.join(PROJECT_ROOT, f))) }).toEqual({ f, ascii: true });
    }
  });
});
