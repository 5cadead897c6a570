import { IgnoreRules, pathPattern } from '../../../lib/build/ignore.js';

describe('.dockerignore patterns', () => {
  it('matches * within one element and ** across any number of them', () => {
    expect(pathPattern('*.txt').test('a.txt')).toBe(true);
    expect(pathPattern('*.txt').test('d/a.txt')).toBe(false);
    expect(pathPattern('**/*.txt').test('d/e/a.txt')).toBe(true);
    expect(pathPattern('**/*.txt').test('a.txt')).toBe(true);
    expect(pathPattern('d/**').test('d/e/f')).toBe(true);
  });

  it('excludes what a directory pattern names and everything below it', () => {
    const r = IgnoreRules.parse('# comment\nnode_modules\n/build/\n');
    expect(r.excludes('node_modules')).toBe(true);
    expect(r.excludes('node_modules/x/y.js')).toBe(true);
    expect(r.excludes('build/out')).toBe(true);
    expect(r.excludes('src/node_modules')).toBe(false);
  });

  it('lets the last matching pattern decide, so ! re-includes', () => {
    const r = IgnoreRules.parse('*.md\n!README.md\nlogs\n!logs/keep.log\n');
    expect(r.excludes('a.md')).toBe(true);
    expect(r.excludes('README.md')).toBe(false);
    expect(r.excludes('logs/x.log')).toBe(true);
    expect(r.excludes('logs/keep.log')).toBe(false);
    expect(r.hasExceptions).toBe(true);
  });
});
