// Reading parsed argv: one value or several for a repeated flag, absent positionals, --time.
import { last, list, positionals, timeoutSeconds } from '../../../lib/commands/argv.js';

describe('argv helpers', () => {
  it('list gives every value of a flag used once, several times, or not at all', () => {
    expect(list('a')).toEqual(['a']);
    expect(list(['a', 'b'])).toEqual(['a', 'b']);
    expect(list(undefined)).toEqual([]);
    expect(list(3)).toEqual(['3']);
  });

  it('last gives the last value of a repeated flag, as podman takes it', () => {
    expect(last(['SIGTERM', 'SIGKILL'])).toBe('SIGKILL');
    expect(last('x')).toBe('x');
    expect(last(undefined)).toBeUndefined();
  });

  it('positionals reads a variadic positional that may be absent', () => {
    expect(positionals({ containers: ['a', 'b'] }, 'containers')).toEqual(['a', 'b']);
    expect(positionals({}, 'containers')).toEqual([]);
  });

  it('timeoutSeconds takes whole seconds and refuses anything else', () => {
    expect(timeoutSeconds(undefined)).toBeUndefined();
    expect(timeoutSeconds('0')).toBe(0);
    expect(timeoutSeconds(['5', '7'])).toBe(7);
    expect(() => timeoutSeconds('1.5')).toThrow('invalid --time "1.5": use a whole number of seconds');
    expect(() => timeoutSeconds('-1')).toThrow('invalid --time "-1"');
  });
});
