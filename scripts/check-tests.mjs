#!/usr/bin/env node
// A guard run by `npm test` before jest: it fails on tests that can pass without testing anything —
// skipped or focused tests, tests left as todo, early returns that depend on the machine, and
// assertions on how long something took. Rules and the allow-list are explained in docs/testing.md.
// Line-based patterns over the TypeScript sources under test/: simple enough to read at a glance;
// what they miss, review catches, and what they wrongly flag goes on the allow-list with a reason.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The rare justified exceptions: a file (relative to the project), the rule it breaks, a piece of
 * the flagged line, and why it is fine. An entry that no longer matches anything is itself an
 * error, so the list cannot go stale. Keep it short; every entry is a test that proves less.
 */
export const ALLOW = [
  {
    file: 'test/integration/rootless/rootless-env.ts',
    rule: 'duration',
    match: 'Date.now() - fs.statSync(p).mtimeMs',
    why: 'housekeeping, not an assertion: copies of older builds made for the rootless tests are pruned once unused for a day',
  },
  {
    file: 'test/integration/config/containers-conf.test.ts',
    rule: 'duration',
    match: 'Date.now() - ctime > 1100',
    why: "not an assertion: waits out the containers.conf cache's racy second (a file changed within the last second is not cached) so that the next create writes the cache",
  },
];

const ENV = String.raw`process\.(?:getuid|geteuid|getgid|arch|platform|env)\b|os\.(?:arch|platform|release|userInfo|type)\b|\bisRoot\b|\bV2\b|\bexistsSync\(`;
const NOW = String.raw`(?:Date\.now\(\)|performance\.now\(\)|process\.hrtime(?:\.bigint)?\(\s*\))`;

/** Each rule: a name, what it means, and a pattern over one line (or over the file, `whole`). */
export const RULES = [
  {
    rule: 'skip',
    why: 'a skipped, focused or todo test (it/test/describe .skip, .only, .todo, .failing; xit, xtest, xdescribe, fit, fdescribe)',
    re: /\b(?:it|test|describe)(?:\.each\([^)]*\))?\.(?:skip|only|todo|failing)\b|\b(?:xit|xtest|xdescribe|fit|fdescribe)\s*\(/,
  },
  {
    rule: 'env-return',
    why: 'an early return on the machine it runs on (user, architecture, platform, environment, cgroup version): fail with a clear message instead',
    re: new RegExp(String.raw`\bif\s*\([^;{}]*(?:${ENV})[^;{}]*\)\s*(?:\{\s*)?return\b`),
    whole: true,
  },
  {
    rule: 'early-return',
    why: 'a test body that starts with a conditional return: it passes without asserting anything when the condition holds',
    re: /\b(?:it|test)\s*\(\s*(['"`])(?:(?!\1)[^\\]|\\.)*\1\s*,\s*(?:async\s*)?(?:\(\s*\)|function\s*\(\s*\))\s*(?:=>\s*)?\{\s*if\s*\([^{};]*\)\s*(?:\{\s*)?return\b/,
    whole: true,
  },
  {
    rule: 'duration',
    why: 'an assertion on elapsed time (a clock difference, or expect() on a duration): assert the behaviour — an order of events, a signal received, a line not yet there',
    re: new RegExp(String.raw`${NOW}\s*-\s*(?!\s*\d)|-\s*${NOW}|expect\(\s*${NOW}|expect\(\s*(?:took|elapsed|duration|durationMs|elapsedMs|tookMs|dt|delta)\s*\)`),
  },
];

/**
 * The source with comments and the contents of string literals blanked (quotes and line breaks
 * kept, so offsets and line numbers stay): prose and fixtures are not code. Regex literals are not
 * recognised; a quote inside one blanks at most the rest of its line.
 */
export function codeOnly(text) {
  let out = '';
  let state = 'code';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    const next = text[i + 1];
    if (state === 'code') {
      if (c === '/' && next === '/') state = 'line';
      else if (c === '/' && next === '*') state = 'block';
      else if (c === "'" || c === '"' || c === '`') state = c;
      out += state === 'line' || state === 'block' ? ' ' : c;
      continue;
    }
    if (c === '\n') {
      if (state === 'line' || state === "'" || state === '"') state = 'code';
      out += c;
      continue;
    }
    if (state === 'block' && c === '*' && next === '/') {
      out += '  ';
      i++;
      state = 'code';
      continue;
    }
    if ((state === "'" || state === '"' || state === '`') && c === '\\') {
      out += ' ';
      if (text[i + 1] !== '\n') {
        out += ' ';
        i++;
      }
      continue;
    }
    if (c === state) {
      out += c;
      state = 'code';
      continue;
    }
    out += ' ';
  }
  return out;
}

/** Line number (1-based) of an offset in a text. */
const lineAt = (text, offset) => text.slice(0, offset).split('\n').length;

/** The findings in one source: [{ file, line, rule, text }]. */
export function checkSource(file, text) {
  const out = [];
  const lines = text.split('\n');
  const code = codeOnly(text);
  for (const r of RULES) {
    if ((r.rule === 'env-return' || r.rule === 'early-return') && !file.endsWith('.test.ts')) continue;
    if (r.whole) {
      const re = new RegExp(r.re.source, 'g');
      for (const m of code.matchAll(re)) {
        const line = lineAt(code, m.index + m[0].length);
        out.push({ file, line, rule: r.rule, text: lines[line - 1].trim() });
      }
    } else {
      code.split('\n').forEach((l, i) => {
        if (r.re.test(l)) out.push({ file, line: i + 1, rule: r.rule, text: lines[i].trim() });
      });
    }
  }
  return out;
}

/** Findings minus the allowed ones, plus an error for each allow-list entry that matched nothing. */
export function applyAllowList(findings, allow = ALLOW) {
  const used = new Set();
  const left = findings.filter((f) => {
    const i = allow.findIndex((a) => a.file === f.file && a.rule === f.rule && f.text.includes(a.match));
    if (i >= 0) used.add(i);
    return i < 0;
  });
  allow.forEach((a, i) => {
    if (!used.has(i)) left.push({ file: a.file, line: 0, rule: 'allow-list', text: `stale entry (${a.rule}: "${a.match}") matches nothing: remove it` });
  });
  return left;
}

/** Every .ts file under a directory, relative to `top`, sorted. */
function sources(top, dir) {
  const found = [];
  for (const e of fs.readdirSync(path.join(top, dir), { withFileTypes: true })) {
    const rel = path.join(dir, e.name);
    if (e.isDirectory()) found.push(...sources(top, rel));
    else if (e.name.endsWith('.ts')) found.push(rel);
  }
  return found.sort();
}

/** Checks every test source of the project at `top`; returns the findings left after the allow-list. */
export function checkTree(top, allow = ALLOW) {
  const findings = sources(top, 'test').flatMap((f) => checkSource(f, fs.readFileSync(path.join(top, f), 'utf8')));
  return applyAllowList(findings, allow);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const top = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const left = checkTree(top);
  if (left.length > 0) {
    for (const f of left) {
      const r = RULES.find((x) => x.rule === f.rule);
      console.error(`${f.file}:${f.line}: ${f.rule}: ${f.text}${r ? `\n    ${r.why}` : ''}`);
    }
    console.error(`check-tests: ${left.length} finding(s); see docs/testing.md (fix the test, or allow-list it in scripts/check-tests.mjs with a reason)`);
    process.exit(1);
  }
}
