import type { Instruction } from '../../../lib/build/containerfile.js';
import { applyMetadata, commandOf, configForFormat, DEFAULT_SHELL } from '../../../lib/build/metadata.js';

const ins = (keyword: string, args: string, flags: [string, string][] = []): Instruction => ({ keyword, args, flags: new Map(flags), line: 1 });
const m = { vars: new Map([['V', '1.2']]), escape: '\\', shell: DEFAULT_SHELL };

describe('configuration instructions', () => {
  it('sets ENV with expansion, replacing an earlier value of the same name', () => {
    const c = applyMetadata({ Env: ['PATH=/bin', 'V=old'] }, ins('ENV', 'V=$V W="a b"'), m);
    expect(c.Env).toEqual(['PATH=/bin', 'V=1.2', 'W=a b']);
  });

  it('runs shell-form CMD and ENTRYPOINT with the stage SHELL, and ENTRYPOINT drops the inherited CMD', () => {
    expect(commandOf('echo hi', ['/bin/bash', '-c'])).toEqual(['/bin/bash', '-c', 'echo hi']);
    expect(commandOf('["a", "b"]', DEFAULT_SHELL)).toEqual(['a', 'b']);
    expect(applyMetadata({ Cmd: ['sh'] }, ins('ENTRYPOINT', '["/app"]'), m)).toEqual({ Entrypoint: ['/app'] });
  });

  it('resolves a relative WORKDIR against the current one', () => {
    expect(applyMetadata({ WorkingDir: '/srv' }, ins('WORKDIR', 'app-$V'), m).WorkingDir).toBe('/srv/app-1.2');
    expect(applyMetadata({}, ins('WORKDIR', '/abs'), m).WorkingDir).toBe('/abs');
  });

  it('adds EXPOSE ports with /tcp by default, VOLUME paths and LABELs', () => {
    const c = applyMetadata(applyMetadata({}, ins('EXPOSE', '80 53/udp'), m), ins('VOLUME', '["/data"]'), m);
    expect(c).toEqual({ ExposedPorts: { '80/tcp': {}, '53/udp': {} }, Volumes: { '/data': {} } });
    expect(() => applyMetadata({}, ins('EXPOSE', 'http'), m)).toThrow('invalid EXPOSE port "http"');
    expect(applyMetadata({}, ins('LABEL', 'version=$V "a b"=c'), m).Labels).toEqual({ version: '1.2', 'a b': 'c' });
  });

  it('records HEALTHCHECK with durations in nanoseconds, and keeps it only in the docker format', () => {
    const c = applyMetadata({}, ins('HEALTHCHECK', 'CMD wget -q localhost', [['interval', '5s'], ['retries', '3']]), m);
    expect(c.Healthcheck).toEqual({ Test: ['CMD-SHELL', 'wget -q localhost'], Interval: 5e9, Retries: 3 });
    expect(configForFormat(c, 'oci')).toEqual({});
    expect(configForFormat(c, 'docker')).toBe(c);
  });

  it('needs SHELL as a JSON array and records ONBUILD triggers', () => {
    expect(() => applyMetadata({}, ins('SHELL', '/bin/bash -c'), m)).toThrow('SHELL needs a JSON array');
    expect(applyMetadata({}, ins('ONBUILD', 'RUN echo x'), m).OnBuild).toEqual(['RUN echo x']);
    expect(() => applyMetadata({}, ins('ONBUILD', 'FROM x'), m)).toThrow('ONBUILD cannot trigger FROM');
  });
});
