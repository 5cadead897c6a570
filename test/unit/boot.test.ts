// lib/boot.ts loadCommonJs: the files it loads are decoded as latin1 when they are ASCII (what
// scripts/bundle.mjs makes of the bundles and the validators: ~10x faster than UTF-8) and as UTF-8
// otherwise, so a file with other characters still reads right.
import { isAscii } from 'node:buffer';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import { loadCommonJs, TRAIN_CODE_CACHE, wrapCommonJs } from '../../lib/boot.js';
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

describe('loadCommonJs with _PMAN_TRAIN_CODE_CACHE (scripts/train-code-caches.mjs)', () => {
  // A child Node loads a file through loadCommonJs and calls one of its functions, as a command would.
  const boot = path.join(PROJECT_ROOT, 'dist/lib/boot.js');
  function loadAndCall(file: string, train: boolean): void {
    const code = `import { loadCommonJs } from ${JSON.stringify(boot)}; loadCommonJs(${JSON.stringify(file)}).work(3);`;
    const env = { ...process.env };
    delete env[TRAIN_CODE_CACHE];
    if (train) env[TRAIN_CODE_CACHE] = '1';
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { env, encoding: 'utf8' });
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
  }
  // Functions V8 compiles only when they are first called (none of them runs at load).
  const source = `exports.work = (n) => { let t = 0; for (let i = 0; i < n; i++) t += ${Array.from({ length: 40 }, (_, i) => `((x) => x * ${i} + 1)(i)`).join(' + ')}; return t; };\n`;

  it('writes nothing when unset, and when set writes the cache of what the process compiled, which V8 accepts', () => {
    const file = path.join(dir, 'trained.cjs');
    fs.writeFileSync(file, source);
    loadAndCall(file, false);
    expect(fs.existsSync(`${file}.cache`)).toBe(false);
    loadAndCall(file, true);
    const cache = fs.readFileSync(`${file}.cache`);
    const fresh = new vm.Script(wrapCommonJs(source), { filename: file }).createCachedData();
    // It holds the functions the call compiled, beyond the top level a fresh compile's cache holds.
    expect(cache.length).toBeGreaterThan(fresh.length * 2);
    const script = new vm.Script(wrapCommonJs(source), { filename: file, cachedData: cache });
    expect(script.cachedDataRejected).toBe(false);
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('trained.cjs.cache.'))).toEqual([]);
    // A process that loads it (unset) leaves it as it is.
    loadAndCall(file, false);
    expect(fs.readFileSync(`${file}.cache`).equals(cache)).toBe(true);
  });
});

describe('the build', () => {
  it('trained the code caches of the CLI and the shim on the everyday commands (scripts/train-code-caches.mjs)', () => {
    const report = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'dist/bundle/code-caches.json'), 'utf8')) as {
      trained: string[];
      failed: unknown[];
      skipped: string[];
    };
    // The tests run as root on a machine with runc and the busybox rootfs: all of it can train.
    expect({ failed: report.failed, skipped: report.skipped }).toEqual({ failed: [], skipped: [] });
    for (const c of ['pman run --rm --network none busybox true', 'pman exec train-detached true', 'pman inspect train-detached', 'pman ps -a']) {
      expect(report.trained).toContain(c);
    }
    // Each cache holds far more than a cache made right after compiling its bundle (its top level).
    for (const f of ['dist/bundle/pman.cjs', 'dist/bundle/shim.cjs']) {
      const file = path.join(PROJECT_ROOT, f);
      const fresh = new vm.Script(fs.readFileSync(file, 'latin1'), { filename: file }).createCachedData().length;
      const trained = fs.statSync(`${file}.cache`).size;
      expect({ f, trained: trained > fresh * 2 }).toEqual({ f, trained: true });
    }
  });

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
