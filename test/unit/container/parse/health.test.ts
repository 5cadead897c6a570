import { HEALTH_DEFAULTS, parseHealthCmd, resolveHealth, SECOND_NS } from '../../../../lib/container/parse/health.js';

describe('--health-cmd', () => {
  it('runs a plain string through the shell (CMD-SHELL)', () => {
    expect(parseHealthCmd('curl -f http://localhost/ || exit 1')).toEqual(['CMD-SHELL', 'curl -f http://localhost/ || exit 1']);
  });

  it('reads the JSON forms: CMD and CMD-SHELL kept, a bare array meaning CMD', () => {
    expect(parseHealthCmd('["CMD", "test", "-e", "/ok"]')).toEqual(['CMD', 'test', '-e', '/ok']);
    expect(parseHealthCmd('["CMD-SHELL", "test -e /ok"]')).toEqual(['CMD-SHELL', 'test -e /ok']);
    expect(parseHealthCmd('["test", "-e", "/ok"]')).toEqual(['CMD', 'test', '-e', '/ok']);
  });

  it('takes none (any case, or ["NONE"]) as no check', () => {
    expect(parseHealthCmd('none')).toEqual(['NONE']);
    expect(parseHealthCmd('["NONE"]')).toEqual(['NONE']);
  });

  it('refuses malformed JSON and a CMD without a program, naming the value', () => {
    expect(() => parseHealthCmd('["CMD", ')).toThrow('invalid --health-cmd "["CMD", ": not a valid JSON array');
    expect(() => parseHealthCmd('["CMD"]')).toThrow('CMD needs a program');
    expect(() => parseHealthCmd('[1, 2]')).toThrow('non-empty array of strings');
  });
});

describe('the resolved health check', () => {
  const image = { Test: ['CMD-SHELL', 'test -e /ready'], Interval: 10 * SECOND_NS, Retries: 5, StartPeriod: 0 };

  it("fills Docker's defaults around a --health-cmd", () => {
    expect(resolveHealth({ cmd: 'true' }, undefined)).toEqual({ healthcheck: { test: ['CMD-SHELL', 'true'], ...HEALTH_DEFAULTS } });
    expect(HEALTH_DEFAULTS).toEqual({ interval: 30e9, timeout: 30e9, startPeriod: 0, startInterval: 5e9, retries: 3 });
  });

  it("keeps the image's check, with its zero fields as the defaults, under the flags given", () => {
    const r = resolveHealth({ timeout: '2s', onFailure: 'kill' }, image);
    expect(r).toEqual({
      healthcheck: { test: ['CMD-SHELL', 'test -e /ready'], interval: 10e9, timeout: 2e9, startPeriod: 0, startInterval: 5e9, retries: 5 },
      healthOnFailure: 'kill',
    });
  });

  it('lets --health-cmd replace the image test and --no-healthcheck or none remove it', () => {
    expect(resolveHealth({ cmd: '["CMD", "true"]' }, image).healthcheck?.test).toEqual(['CMD', 'true']);
    expect(resolveHealth({ noHealthcheck: true }, image)).toEqual({});
    expect(resolveHealth({ cmd: 'none' }, image)).toEqual({});
    expect(resolveHealth(undefined, { Test: ['NONE'] })).toEqual({});
  });

  it('ignores timing flags when there is no command at all, as docker does', () => {
    expect(resolveHealth({ interval: '5s' }, undefined)).toEqual({});
  });

  it('takes --health-interval disable as no timer', () => {
    expect(resolveHealth({ cmd: 'true', interval: 'disable' }, undefined).healthcheck?.interval).toBe(0);
  });

  it('refuses bad values with the flag, the value and what to give', () => {
    expect(() => resolveHealth({ cmd: 'true', interval: '10' }, undefined)).toThrow('invalid --health-interval "10": use a duration such as 30s or 1m, or disable');
    expect(() => resolveHealth({ cmd: 'true', timeout: '500ms' }, undefined)).toThrow('invalid --health-timeout "500ms": it must be at least 1s');
    expect(() => resolveHealth({ cmd: 'true', retries: '0' }, undefined)).toThrow('invalid --health-retries "0": use a whole number of at least 1');
    expect(() => resolveHealth({ cmd: 'true', onFailure: 'reboot' }, undefined)).toThrow('invalid --health-on-failure "reboot": use none, kill, restart or stop');
    expect(() => resolveHealth({ cmd: 'true', noHealthcheck: true }, undefined)).toThrow('--no-healthcheck conflicts with --health-cmd');
  });
});
