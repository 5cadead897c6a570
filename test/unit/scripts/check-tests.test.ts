// scripts/check-tests.mjs, the guard npm test runs before jest: each pattern it exists to catch is
// caught in a fixture, the look-alikes that are fine pass, and the allow-list works both ways.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

interface Finding {
  file: string;
  line: number;
  rule: string;
  text: string;
}
interface Allowed {
  file: string;
  rule: string;
  match: string;
  why: string;
}
interface Guard {
  checkSource(file: string, text: string): Finding[];
  applyAllowList(findings: Finding[], allow?: Allowed[]): Finding[];
  checkTree(top: string, allow?: Allowed[]): Finding[];
}

const PROJECT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
let guard: Guard;
beforeAll(async () => {
  guard = (await import(path.join(PROJECT, 'scripts/check-tests.mjs'))) as Guard;
});

const FILE = 'test/x/sample.test.ts';
/**
 * Fixtures are written with a "~" inside each token a reader of this file could take for a real
 * skipped or always-true test (it.~skip, x~it, expect(1).~toBe): the guard is given them without it.
 */
const src = (text: string) => text.replaceAll('~', '');
/** The rules a fixture breaks, one entry per finding. */
const rules = (text: string, file = FILE) => guard.checkSource(file, src(text)).map((f) => f.rule);

describe('the test guard', () => {
  // Each pattern the guard exists to catch, with the rule that must report it.
  it.each([
    ["it.~skip('a', () => {});", 'skip'],
    ["test.only('a', () => {});", 'skip'],
    ["describe.~skip('group', () => {});", 'skip'],
    ["it.~todo('later');", 'skip'],
    ["it.each([[1]]).only('n %s', () => {});", 'skip'],
    ["x~it('a', () => {});", 'skip'],
    ["x~test('a', () => {});", 'skip'],
    ["x~describe('group', () => {});", 'skip'],
    ["fit('a', () => {});", 'skip'],
    ['const rootIt = isRoot ? it : it.skip;', 'skip'],
    ["(V2 ? it.skip : it)('on v1', async () => {});", 'skip'],
    ["it('a', async () => {\n  if (process.getuid() !== 0) return;\n  expect(1).~toBe(1);\n});", 'env-return'],
    ["function helper() {\n  if (process.arch !== 'x64') {\n    return;\n  }\n}", 'env-return'],
    ["beforeAll(() => {\n  if (process.env.CI) return;\n});", 'env-return'],
    ["const f = () => { if (os.platform() === 'darwin') return undefined; };", 'env-return'],
    ["x(() => { if (fs.existsSync('/sys/fs/cgroup/cgroup.controllers')) return; });", 'env-return'],
    ["it('a', async () => {\n  if (!tool('skopeo')) return;\n  expect(1).~toBe(1);\n});", 'early-return'],
    ['test("b", () => { if (cannotRun) { return; } expect(1).~toBe(1); });', 'early-return'],
    ['expect(Date.now() - t0).toBeLessThan(4000);', 'duration'],
    ['const took = Date.now() - t0;', 'duration'],
    ['const ms = performance.now() - start;', 'duration'],
    ['const ns = process.hrtime.bigint() - begin;', 'duration'],
    ['expect(Date.now() - Date.parse(created)).toBeLessThan(60_000);', 'duration'],
    ['expect(took).toBeGreaterThanOrEqual(900);', 'duration'],
    ['expect(elapsed).toBeLessThan(5000);', 'duration'],
  ])('catches %s (%s)', (text, rule) => {
    expect(rules(text)).toContain(rule);
  });

  it('passes what only looks like those', () => {
    const fine = [
      "const r = await extractTar(s, dir, { devices: 'skip' });",
      "// it.skip and x~it( in a comment, and Date.now() - t0 too",
      '/* a block comment: it.only(\'x\') */',
      "const moment = new Date(Date.now() + 4000).toISOString();",
      'const old = new Date(Date.now() - 2 * STALE_MS);',
      'const deadline = Date.now() + timeoutMs;',
      "it('a', async () => {\n  if (process.getuid?.() !== 0) throw new Error('needs root');\n  expect(1).~toBe(1);\n});",
      "it('b', async () => {\n  if (V2) expect(a).toBe(1);\n  else expect(a).toBe(2);\n});",
      "it('c', async () => {\n  const r = await run();\n  if (r.exitCode !== 0) return fail(r);\n});",
      "function skipBlank(l: string) {\n  if (l === '') return true;\n}",
      // Fixtures in strings (this file's own), escaped quotes and multi-line templates included.
      'const fixture = "it.~skip(\'a\', () => {}); Date.now() - t0";',
      "const other = 'it\\'s x~it( and it.only';",
      'const tpl = `line one\nit.skip(${name})\nexpect(took).toBeLessThan(1)`;',
    ].join('\n');
    expect(guard.checkSource(FILE, src(fine))).toEqual([]);
  });

  it('checks early returns only in test files, the other rules in every source under test/', () => {
    const text = "if (process.getuid() !== 0) return;\nit.skip('a', () => {});";
    expect(rules(text, 'test/integration/harness.ts')).toEqual(['skip']);
    expect(rules(text)).toEqual(['skip', 'env-return']);
  });

  it('reports the file, the line and the text', () => {
    expect(guard.checkSource(FILE, "import x from 'y';\n\n  it.only('a', () => {});\n")).toEqual([{ file: FILE, line: 3, rule: 'skip', text: "it.only('a', () => {});" }]);
  });

  it('lets an allow-list entry through, matching file, rule and text, and flags an entry that matches nothing', () => {
    const findings = guard.checkSource(FILE, 'const took = Date.now() - t0;\nexpect(took).toBeLessThan(10);');
    const allow = [{ file: FILE, rule: 'duration', match: 'const took = Date.now() - t0', why: 'fixture' }];
    expect(guard.applyAllowList(findings, allow).map((f) => f.text)).toEqual(['expect(took).toBeLessThan(10);']);
    expect(guard.applyAllowList(findings, [{ ...allow[0], file: 'test/other.test.ts' }])).toHaveLength(3);
    const stale = guard.applyAllowList([], allow);
    expect(stale).toEqual([{ file: FILE, line: 0, rule: 'allow-list', text: 'stale entry (duration: "const took = Date.now() - t0") matches nothing: remove it' }]);
  });

  it('finds nothing in the project\'s own tests', () => {
    expect(guard.checkTree(PROJECT)).toEqual([]);
  });
});
