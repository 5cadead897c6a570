import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkLogPath, parseLogOptions, parseSize } from '../../../lib/logs/log-options.js';

describe('parseSize', () => {
  it('reads sizes in decimal units as podman does', () => {
    expect(parseSize('1')).toBe(1);
    expect(parseSize('512k')).toBe(512_000);
    expect(parseSize('10m')).toBe(10_000_000);
    expect(parseSize('10MB')).toBe(10_000_000);
    expect(parseSize('10mib')).toBe(10_000_000);
    expect(parseSize('1.5g')).toBe(1_500_000_000);
    expect(parseSize('2 kb')).toBe(2000);
  });

  it.each(['', '0', '-1', 'm', '10x', '1..5m', '1e3', ' 5m'])('rejects %p', (v) => {
    expect(() => parseSize(v)).toThrow(/use a size in bytes such as 512k, 10m or 1g/);
  });
});

describe('parseLogOptions', () => {
  it('keeps max-size, max-file and tag, and a later value wins', () => {
    expect(parseLogOptions(['max-size=1m', 'max-file=3', 'tag=web', 'max-size=2k'])).toEqual({ opts: { maxSize: 2000, maxFile: 3, tag: 'web' } });
    expect(parseLogOptions([])).toEqual({ opts: {} });
  });

  it('returns a normalised absolute path= separately', () => {
    expect(parseLogOptions(['path=/var/log//app/./c.log'])).toEqual({ opts: {}, path: '/var/log/app/c.log' });
  });

  it('fails with an exit-125 error naming the option for bad values', () => {
    const cases: Array<[string[], RegExp]> = [
      [['max-size=big'], /invalid --log-opt "max-size=big": use a size/],
      [['max-size=1m', 'max-file=0'], /invalid --log-opt "max-file=0": use a number of files from 1 to 1000/],
      [['max-size=1m', 'max-file=two'], /max-file=two/],
      [['max-file=3'], /max-file needs max-size too/],
      [['colour=red'], /unknown option "colour", use one of max-size, max-file, path, tag/],
      [['max-size'], /use max-size=VALUE/],
      [['path=relative/c.log'], /must be an absolute file path/],
      [['path=/var/log/'], /must be an absolute file path/],
    ];
    for (const [values, message] of cases) {
      let err: unknown;
      try {
        parseLogOptions(values);
      } catch (e) {
        err = e;
      }
      expect(err).toMatchObject({ exitCode: 125, message: expect.stringMatching(message) });
    }
  });
});

describe('checkLogPath', () => {
  it('accepts a file in an existing directory and rejects a missing directory or a directory', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pman-logopt-'));
    try {
      expect(() => checkLogPath(path.join(dir, 'c.log'))).not.toThrow();
      expect(() => checkLogPath(path.join(dir, 'nope', 'c.log'))).toThrow(/directory ".*nope" does not exist/);
      fs.mkdirSync(path.join(dir, 'sub'));
      expect(() => checkLogPath(path.join(dir, 'sub'))).toThrow(/it is a directory/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
