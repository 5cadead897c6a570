#!/usr/bin/env node
// Differential tester: runs the same script lines with podman 4.3.1 and with pman, each in a
// throwaway store of its own, and reports where they differ in exit code, stdout (after
// normalising IDs, times, sizes and column widths; JSON is compared by its key set) and whether
// anything went to stderr. Not a test (it needs podman and takes minutes); a tool to find the
// behaviour differences a script aliasing podman=pman would trip on (issue #20).
//
//   node scripts/podman-diff.mjs [--only REGEX] [--show-same] [--keep]   (root, after npm run compile)
//
// podman runs with its own --root/--runroot/--tmpdir/--network-config-dir and a containers.conf
// (CONTAINERS_CONF) that gives runc, cgroupfs, file events, the ulimits this host needs and no
// network: every container is created with --network none, so neither engine touches a network.
// The network cases only make definitions (mdiff1, mdiff2 with their own subnets) that no
// container joins; they are removed at the end, also when a case failed.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CASES, SETUP } from './podman-diff-cases.mjs';

const top = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const only = argv.includes('--only') ? new RegExp(argv[argv.indexOf('--only') + 1]) : null;
const showSame = argv.includes('--show-same');
const keep = argv.includes('--keep');

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'pman-diff-'));
const engines = {
  podman: { dir: path.join(work, 'podman') },
  pman: { dir: path.join(work, 'pman') },
};
for (const e of Object.values(engines)) fs.mkdirSync(path.join(e.dir, 'scratch'), { recursive: true });

const pconf = path.join(engines.podman.dir, 'containers.conf');
fs.writeFileSync(pconf, [
  '[containers]', 'netns = "none"', 'default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]',
  '[engine]', 'runtime = "runc"', 'cgroup_manager = "cgroupfs"', 'events_logger = "file"', '',
].join('\n'));

/** The shell prelude that defines E (the engine), T (a scratch dir) and IMG (the busybox tarball). */
function prelude(name) {
  const d = engines[name].dir;
  const q = (s) => `'${s}'`;
  const engine = name === 'podman'
    ? `CONTAINERS_CONF=${q(pconf)} podman --root ${q(d + '/root')} --runroot ${q(d + '/run')} --tmpdir ${q(d + '/tmp')} --network-config-dir ${q(d + '/net')}`
    : `${q(path.join(top, 'bin/pman'))} --root ${q(d + '/root')} --runroot ${q(d + '/run')}`;
  return `E() { ${engine} "$@"; }\nT=${q(d + '/scratch')}\nIMG=${q(path.join(top, 'build/busybox-rootfs.tar'))}\ncd "$T"\n`;
}

function sh(name, line) {
  const r = spawnSync('bash', ['-c', prelude(name) + line], { encoding: 'utf8', timeout: 120_000, maxBuffer: 64 << 20 });
  return { code: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

/** Values that differ between any two runs (IDs, times, sizes, the engine's own name and paths). */
export function normalise(text, name) {
  const d = engines[name]?.dir ?? '';
  let t = text;
  if (d) t = t.split(d).join('<DIR>');
  return t
    .replace(/\b(?:sha256:)?[0-9a-f]{64}\b/g, '<ID>')
    .replace(/\b[0-9a-f]{12}\b/g, '<id>')
    .replace(/\bfile:[0-9a-f]{6,}(?:\.\.\.)?/g, 'file:<digest>')
    .replace(/\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:[.,]\d+)?(?:Z| ?[+-]\d\d:?\d\d(?: [A-Z]{2,5})?)?/g, '<TIME>')
    .replace(/\b(?:About an?|Less than a|\d+) (?:seconds?|minutes?|hours?|days?|weeks?|months?|years?|second) ago\b/g, '<AGO>')
    .replace(/\bUp (?:About an?|Less than a|\d+) \w+\b/g, 'Up <DUR>')
    .replace(/\b\d+(?:\.\d+)? ?(?:[kKMGT]i?B|B)\b/g, '<SIZE>')
    .replace(/\b(?:podman|pman)\b/g, 'ENGINE');
}

/** Table rows compared cell by cell, whatever the column widths. */
function cells(text) {
  return text.split('\n').map((l) => l.trim().split(/ {2,}|\t/).join(' | '));
}

function jsonOf(text) {
  const s = text.trim();
  if (!/^[[{]/.test(s)) return undefined;
  try { return [JSON.parse(s)]; } catch { /* maybe one object per line */ }
  try { return s.split('\n').filter(Boolean).map((l) => JSON.parse(l)); } catch { return undefined; }
}

/** Every key path of a JSON value with its type: arrays contribute their elements under "[]". */
export function keyPaths(v, p = '', out = new Map()) {
  if (Array.isArray(v)) {
    out.set(p || '.', 'array');
    for (const x of v) keyPaths(x, `${p}[]`, out);
  } else if (v && typeof v === 'object') {
    out.set(p || '.', 'object');
    for (const [k, x] of Object.entries(v)) keyPaths(x, `${p}.${k}`, out);
  } else if (!out.has(p) || out.get(p) === 'null') out.set(p, v === null ? 'null' : typeof v);
  return out;
}

function compareJson(a, b) {
  const pa = keyPaths(a); const pb = keyPaths(b);
  const lines = [];
  const missing = [...pa.keys()].filter((k) => !pb.has(k));
  const extra = [...pb.keys()].filter((k) => !pa.has(k));
  const typed = [...pa.keys()].filter((k) => pb.has(k) && pa.get(k) !== pb.get(k) && pa.get(k) !== 'null' && pb.get(k) !== 'null');
  // Below a missing key, its children are noise.
  const top = (ks) => ks.filter((k) => !ks.some((o) => o !== k && k.startsWith(o) && /^[.[]/.test(k.slice(o.length))));
  if (missing.length) lines.push(`  json keys only podman has: ${top(missing).join(' ')}`);
  if (extra.length) lines.push(`  json keys only pman has: ${top(extra).join(' ')}`);
  if (typed.length) lines.push(`  json types differ: ${typed.map((k) => `${k} ${pa.get(k)}/${pb.get(k)}`).join(' ')}`);
  if (Array.isArray(a) !== Array.isArray(b) || (Array.isArray(a) && a.length !== b.length)) {
    lines.push(`  json: podman ${Array.isArray(a) ? `array of ${a.length}` : typeof a}, pman ${Array.isArray(b) ? `array of ${b.length}` : typeof b}`);
  }
  return lines;
}

const NOTE = 'note:';

function compare(c, p, m) {
  const out = [];
  if (p.code !== m.code) out.push(`  exit: podman ${p.code}, pman ${m.code}`);
  const jp = c.json !== false ? jsonOf(p.stdout) : undefined;
  const jm = jp ? jsonOf(m.stdout) : undefined;
  if (jp && jm) out.push(...compareJson(jp.length === 1 ? jp[0] : jp, jm.length === 1 ? jm[0] : jm));
  else {
    let sp = cells(normalise(p.stdout, 'podman')); let sm = cells(normalise(m.stdout, 'pman'));
    if (c.sort) { sp = sp.sort(); sm = sm.sort(); }
    if (sp.join('\n') !== sm.join('\n')) {
      out.push('  stdout differs:');
      const n = Math.max(sp.length, sm.length);
      for (let i = 0, shown = 0; i < n && shown < 8; i++) {
        if (sp[i] !== sm[i]) {
          out.push(`    podman: ${JSON.stringify(sp[i] ?? null)}`, `    pman:   ${JSON.stringify(sm[i] ?? null)}`);
          shown++;
        }
      }
    }
  }
  if (!!p.stderr.trim() !== !!m.stderr.trim()) {
    out.push(`  stderr: podman ${p.stderr.trim() ? JSON.stringify(p.stderr.trim().split('\n')[0]) : '(empty)'}, pman ${m.stderr.trim() ? JSON.stringify(m.stderr.trim().split('\n')[0]) : '(empty)'}`);
  }
  // Wording is pman's own; shown, when asked, beside a real difference or alone as a note.
  if (c.stderr && p.stderr.trim() && m.stderr.trim()) {
    const note = [`  stderr podman: ${p.stderr.trim().split('\n')[0]}`, `  stderr pman:   ${m.stderr.trim().split('\n')[0]}`];
    return out.length ? [...out, ...note] : note.map((l) => `${NOTE}${l}`);
  }
  return out;
}

function main() {
  for (const name of Object.keys(engines)) {
    for (const line of SETUP) {
      const r = sh(name, line);
      if (r.code !== 0) {
        console.error(`${name} set-up failed: ${line}\n${r.stderr}`);
        process.exitCode = 2;
      }
    }
  }
  let same = 0; let differ = 0;
  for (const c of CASES) {
    if (only && !only.test(c.line)) continue;
    const p = sh('podman', c.line);
    const m = sh('pman', c.line);
    const d = compare(c, p, m);
    if (d.length && d[0].startsWith(NOTE)) {
      same++;
      if (showSame) console.log(`same ${c.line}\n${d.map((l) => l.slice(NOTE.length)).join('\n')}`);
    } else if (d.length) {
      differ++;
      console.log(`DIFF ${c.line}`);
      console.log(d.join('\n'));
    } else {
      same++;
      if (showSame) console.log(`same ${c.line}`);
    }
  }
  console.log(`\n${same} same, ${differ} differ`);
}

function cleanup() {
  for (const name of Object.keys(engines)) {
    sh(name, 'E pod rm -af -t 0; E rm -af -t 0; E volume rm -af; E rmi -af; E network rm -f mdiff1 mdiff2 mdiff3; true');
  }
  // Whatever the stores still have mounted (podman's graph root is a private bind mount).
  const mounts = fs.readFileSync('/proc/self/mountinfo', 'utf8').split('\n').map((l) => l.split(' ')[4]).filter((m) => m?.startsWith(work));
  for (const m of mounts.reverse()) spawnSync('umount', ['-l', m]);
  if (!keep) fs.rmSync(work, { recursive: true, force: true });
  else console.log(`kept ${work}`);
}

try { main(); } finally { cleanup(); }
