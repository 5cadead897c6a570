import { applyChanges, shellWords } from '../../../lib/image/changes.js';

describe('--change instructions', () => {
  it('accepts "INSTRUCTION value" and "INSTRUCTION=value"', () => {
    expect(applyChanges({}, ['CMD echo hi'])).toEqual({ Cmd: ['/bin/sh', '-c', 'echo hi'] });
    expect(applyChanges({}, ['CMD=echo hi'])).toEqual({ Cmd: ['/bin/sh', '-c', 'echo hi'] });
    expect(applyChanges({}, ['user=nobody'])).toEqual({ User: 'nobody' });
  });

  it('takes CMD and ENTRYPOINT as JSON arrays or shell form, and empty to clear', () => {
    expect(applyChanges({}, ['ENTRYPOINT ["/bin/app", "--flag"]', 'CMD=["a"]'])).toEqual({ Entrypoint: ['/bin/app', '--flag'], Cmd: ['a'] });
    expect(applyChanges({ Entrypoint: ['x'] }, ['ENTRYPOINT='])).toEqual({ Entrypoint: [] });
    expect(applyChanges({}, ['CMD [not json'])).toEqual({ Cmd: ['/bin/sh', '-c', '[not json'] });
  });

  it('sets ENV from KEY=VALUE pairs with quotes, and from the legacy KEY value form', () => {
    expect(applyChanges({}, ['ENV A=1 B="x y"'])).toEqual({ Env: ['A=1', 'B=x y'] });
    expect(applyChanges({}, ['ENV GREETING hello world'])).toEqual({ Env: ['GREETING=hello world'] });
    expect(applyChanges({ Env: ['A=0', 'PATH=/bin'] }, ['ENV=A=2'])).toEqual({ Env: ['PATH=/bin', 'A=2'] });
  });

  it('adds labels, exposed ports and volumes', () => {
    expect(applyChanges({ Labels: { a: '1' } }, ['LABEL b=2 "c d"=3'])).toEqual({ Labels: { a: '1', b: '2', 'c d': '3' } });
    expect(applyChanges({}, ['EXPOSE 80 53/udp 8000-8010'])).toEqual({ ExposedPorts: { '80/tcp': {}, '53/udp': {}, '8000-8010/tcp': {} } });
    expect(applyChanges({}, ['VOLUME ["/a","/b"]', 'VOLUME /c'])).toEqual({ Volumes: { '/a': {}, '/b': {}, '/c': {} } });
  });

  it('resolves a relative WORKDIR against the previous one', () => {
    expect(applyChanges({}, ['WORKDIR /a', 'WORKDIR b', 'WORKDIR c/'])).toEqual({ WorkingDir: '/a/b/c' });
  });

  it('stores STOPSIGNAL as its number, as podman does', () => {
    expect(applyChanges({}, ['STOPSIGNAL SIGTERM']).StopSignal).toBe('15');
    expect(applyChanges({}, ['STOPSIGNAL=kill']).StopSignal).toBe('9');
    expect(applyChanges({}, ['STOPSIGNAL 2']).StopSignal).toBe('2');
  });

  it('rejects unknown instructions, missing values and bad values, quoting the change', () => {
    expect(() => applyChanges({}, ['FOO bar'])).toThrow('invalid --change "FOO bar": unknown instruction "FOO" (supported: CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, STOPSIGNAL, USER, VOLUME, WORKDIR)');
    expect(() => applyChanges({}, ['CMD'])).toThrow('invalid --change "CMD": must be INSTRUCTION VALUE or INSTRUCTION=VALUE');
    expect(() => applyChanges({}, ['USER='])).toThrow('invalid --change "USER=": USER needs a value');
    expect(() => applyChanges({}, ['EXPOSE 99999'])).toThrow(/"99999" is not a port/);
    expect(() => applyChanges({}, ['VOLUME data'])).toThrow(/volume "data" is not an absolute path/);
    expect(() => applyChanges({}, ['STOPSIGNAL SIGNOPE'])).toThrow(/unknown signal "SIGNOPE"/);
    expect(() => applyChanges({}, ['LABEL novalue'])).toThrow(/LABEL needs KEY=VALUE, got "novalue"/);
    expect(() => applyChanges({}, ['ENV A="open'])).toThrow(/unterminated " quote/);
  });

  it('splits words like a shell, keeping quoted spaces and escapes', () => {
    expect(shellWords(`a "b c" 'd e' f\\ g "h\\"i"`)).toEqual(['a', 'b c', 'd e', 'f g', 'h"i']);
    expect(shellWords('  ')).toEqual([]);
    expect(shellWords('x=""')).toEqual(['x=']);
  });
});
