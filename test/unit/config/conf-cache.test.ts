import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadContainersConfCached } from '../../../lib/config/conf-cache.js';

let dir: string;
let cache: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pman-confcache-'));
  cache = path.join(dir, 'run', 'containers-conf.json');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

// The files are written just before they are read: `later` is a clock past the racy second.
const later = () => BigInt(Date.now() + 10_000) * 1_000_000n;

function write(rel: string, text: string): string {
  const file = path.join(dir, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

/** Changes the cached result in place, so that a hit is told from a fresh parse. */
function tamper(pidsLimit: number): void {
  const c = JSON.parse(fs.readFileSync(cache, 'utf8'));
  c.conf.pidsLimit = pidsLimit;
  fs.writeFileSync(cache, JSON.stringify(c));
}

describe('the containers.conf cache', () => {
  it('serves the merged result while no file changed, and parses again when one did', () => {
    const main = write('main.conf', '[containers]\npids_limit = 10\n');
    const seq = [{ file: main }, { dir: path.join(dir, 'd') }];
    expect(loadContainersConfCached(seq, cache, later())).toEqual({ pidsLimit: 10, files: [main] });
    expect(fs.statSync(cache).mode & 0o777).toBe(0o600);
    tamper(77);
    expect(loadContainersConfCached(seq, cache, later()).pidsLimit).toBe(77);
    // Edited (same size): the identity (ctime, mtime) changed.
    fs.writeFileSync(main, '[containers]\npids_limit = 20\n');
    expect(loadContainersConfCached(seq, cache, later()).pidsLimit).toBe(20);
    // A drop-in directory appears, then gains a file.
    tamper(77);
    const drop = write('d/10.conf', '[containers]\npids_limit = 30\n');
    expect(loadContainersConfCached(seq, cache, later())).toEqual({ pidsLimit: 30, files: [main, drop] });
    tamper(77);
    write('d/20.conf', '[containers]\npids_limit = 40\n');
    expect(loadContainersConfCached(seq, cache, later()).pidsLimit).toBe(40);
    // A file replaced by a rename (new inode) or removed.
    tamper(77);
    fs.renameSync(write('new.conf', '[containers]\npids_limit = 10\n'), drop);
    expect(loadContainersConfCached(seq, cache, later()).pidsLimit).toBe(40);
    tamper(77);
    fs.rmSync(path.join(dir, 'd/20.conf'));
    expect(loadContainersConfCached(seq, cache, later()).pidsLimit).toBe(10);
  });

  it('is keyed by the sequence the environment selects', () => {
    const a = write('a.conf', '[containers]\npids_limit = 1\n');
    const b = write('b.conf', '[containers]\npids_limit = 2\n');
    expect(loadContainersConfCached([{ file: a }], cache, later()).pidsLimit).toBe(1);
    expect(loadContainersConfCached([{ file: a }, { file: b }], cache, later()).pidsLimit).toBe(2);
    expect(loadContainersConfCached([{ file: a }], cache, later()).pidsLimit).toBe(1);
  });

  it('is not written for files changed within the last second (their next change may keep the timestamps)', () => {
    const main = write('main.conf', '[containers]\npids_limit = 10\n');
    expect(loadContainersConfCached([{ file: main }], cache).pidsLimit).toBe(10);
    expect(fs.existsSync(cache)).toBe(false);
    expect(loadContainersConfCached([{ file: path.join(dir, 'none.conf') }], cache, later())).toEqual({ files: [] });
    expect(fs.existsSync(cache)).toBe(false);
  });

  it('ignores and rewrites a cache that is not valid JSON or not of the expected shape', () => {
    const main = write('main.conf', '[containers]\npids_limit = 10\n');
    const seq = [{ file: main }];
    loadContainersConfCached(seq, cache, later());
    const good = JSON.parse(fs.readFileSync(cache, 'utf8'));
    const bad = [
      '{"v":1,',
      'null',
      JSON.stringify({ ...good, v: good.v + 1, conf: { ...good.conf, pidsLimit: 77 } }),
      JSON.stringify({ ...good, sources: 'x', conf: { ...good.conf, pidsLimit: 77 } }),
      JSON.stringify({ ...good, sources: [[main]], conf: { ...good.conf, pidsLimit: 77 } }),
      JSON.stringify({ ...good, conf: { ...good.conf, pidsLimit: '77' } }),
      JSON.stringify({ ...good, conf: { ...good.conf, files: [1] } }),
    ];
    for (const text of bad) {
      fs.writeFileSync(cache, text);
      expect(loadContainersConfCached(seq, cache, later())).toEqual({ pidsLimit: 10, files: [main] });
      expect(JSON.parse(fs.readFileSync(cache, 'utf8'))).toEqual(good);
    }
  });

  it('a cache written by a pman that knew other keys is a miss: a key the files set may be missing from it', () => {
    const main = write('main.conf', '[containers]\npids_limit = 10\nuserns = "auto"\n');
    const seq = [{ file: main }];
    loadContainersConfCached(seq, cache, later());
    const good = JSON.parse(fs.readFileSync(cache, 'utf8'));
    expect(good.fields).toContain('userns');
    // An older pman's entry: without userns among its fields, and so without the file's value.
    const { userns: _dropped, ...older } = good.conf;
    fs.writeFileSync(cache, JSON.stringify({ ...good, fields: good.fields.filter((f: string) => f !== 'userns'), conf: older }));
    expect(loadContainersConfCached(seq, cache, later())).toEqual({ pidsLimit: 10, userns: 'auto', files: [main] });
    expect(JSON.parse(fs.readFileSync(cache, 'utf8'))).toEqual(good);
  });

  it('a file that does not parse is an error every time, never cached', () => {
    const main = write('main.conf', '[containers]\npids_limit = = 1\n');
    for (let i = 0; i < 2; i++) expect(() => loadContainersConfCached([{ file: main }], cache, later())).toThrow(`invalid containers.conf "${main}": line 2, column`);
    expect(fs.existsSync(cache)).toBe(false);
  });

  it('a runtime directory it cannot write only costs the parse', () => {
    const main = write('main.conf', '[containers]\npids_limit = 10\n');
    write('run', 'a file where the directory should be');
    expect(loadContainersConfCached([{ file: main }], cache, later()).pidsLimit).toBe(10);
  });
});
