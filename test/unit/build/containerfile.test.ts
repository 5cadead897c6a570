import { instructionText, parseContainerfile } from '../../../lib/build/containerfile.js';

describe('reading a Containerfile', () => {
  it('splits it into stages with names, keeps global ARGs, flags and line numbers', () => {
    const cf = parseContainerfile(
      ['ARG BASE=busybox', 'FROM $BASE AS Builder', 'RUN echo a \\', '  b', 'FROM scratch', 'COPY --from=builder --chown=1:2 /a /b'].join('\n'),
      'Containerfile',
    );
    expect(cf.globalArgs.map((a) => a.args)).toEqual(['BASE=busybox']);
    expect(cf.stages.map((s) => [s.name, s.from, s.fromLine])).toEqual([
      ['builder', '$BASE', 2],
      [undefined, 'scratch', 5],
    ]);
    const copy = cf.stages[1].instructions[0];
    expect(copy.line).toBe(6);
    expect([...copy.flags]).toEqual([
      ['from', 'builder'],
      ['chown', '1:2'],
    ]);
    expect(instructionText(copy)).toBe('COPY --from=builder --chown=1:2 /a /b');
    expect(cf.stages[0].instructions[0].args.replace(/\s+/g, ' ')).toBe('echo a b');
  });

  it('follows the escape directive', () => {
    const cf = parseContainerfile('# escape=`\nFROM busybox\nRUN echo a `\n  b\n', 'F');
    expect(cf.escape).toBe('`');
    expect(cf.stages[0].instructions[0].args.replace(/\s+/g, ' ')).toBe('echo a b');
  });

  it('names the file and line of an unknown instruction', () => {
    expect(() => parseContainerfile('FROM busybox\n\nFOO bar\n', 'ctx/Containerfile')).toThrow('cannot build from "ctx/Containerfile": line 3: unknown instruction "FOO"');
  });

  it('refuses an instruction without arguments, anything but ARG before FROM, and no FROM at all', () => {
    expect(() => parseContainerfile('FROM busybox\nRUN\n', 'F')).toThrow('line 2: RUN needs arguments');
    expect(() => parseContainerfile('RUN true\nFROM busybox\n', 'F')).toThrow('line 1: RUN before the first FROM');
    expect(() => parseContainerfile('# nothing\n', 'F')).toThrow('it has no FROM instruction');
    expect(() => parseContainerfile('FROM a AS x\nFROM b AS x\n', 'F')).toThrow('stage name "x" is used twice');
  });
});
