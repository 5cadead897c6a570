import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { confEventsBackend } from '../../../lib/config/events-logger.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pman-evlog-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** The resolver for a CONTAINERS_CONF holding `engine`, and the warnings it gave. */
function resolverFor(engine: string): { backend: () => string; warnings: string[] } {
  const file = path.join(dir, `${Math.random()}.conf`);
  fs.writeFileSync(file, `[engine]\n${engine}\n`);
  const warnings: string[] = [];
  return { backend: confEventsBackend({ CONTAINERS_CONF: file }, () => path.join(dir, 'run'), (m) => warnings.push(m)), warnings };
}

describe("containers.conf's events_logger", () => {
  it('none and file are taken as they are, unset is the file', () => {
    expect(resolverFor('events_logger = "none"').backend()).toBe('none');
    expect(resolverFor('events_logger = "file"').backend()).toBe('file');
    expect(resolverFor('stop_timeout = 3').backend()).toBe('file');
  });

  it('CONTAINERS_CONF_OVERRIDE wins over the files below it', () => {
    const base = path.join(dir, 'base.conf');
    const override = path.join(dir, 'override.conf');
    fs.writeFileSync(base, '[engine]\nevents_logger = "none"\n');
    fs.writeFileSync(override, '[engine]\nevents_logger = "file"\n');
    const run = path.join(dir, 'run');
    expect(confEventsBackend({ CONTAINERS_CONF: base }, () => run, () => undefined)()).toBe('none');
    expect(confEventsBackend({ CONTAINERS_CONF: base, CONTAINERS_CONF_OVERRIDE: override }, () => run, () => undefined)()).toBe('file');
  });

  it('journald is the file, with one warning naming the file however often it is asked', () => {
    const r = resolverFor('events_logger = "journald"');
    expect([r.backend(), r.backend()]).toEqual(['file', 'file']);
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toMatch(/^events_logger "journald" in containers\.conf \(.*\.conf\) is not supported: pman writes no systemd journal, events go to its events file$/);
  });
});
