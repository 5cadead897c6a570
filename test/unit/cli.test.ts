import { route } from '../../lib/cli.js';
import { parseSignal } from '../../lib/container/parse/signals.js';

describe('command routing', () => {
  it('finds the command after global flags and their values', () => {
    expect(route(['--root', '/r', '--log-level', 'debug', 'ps', '-a'])).toEqual({ name: 'ps', globals: ['--root', '/r', '--log-level', 'debug'], rest: ['-a'] });
  });

  it('maps podman management groups onto plain commands', () => {
    expect(route(['container', 'ls', '-a']).name).toBe('ps');
    expect(route(['image', 'rm', 'x']).name).toBe('rmi');
    expect(route(['container', 'rm', 'x'])).toEqual({ name: 'rm', globals: [], rest: ['x'] });
    expect(route(['image', 'inspect', 'x']).rest).toEqual(['--type', 'image', 'x']);
  });

  it('routes podman\'s container, image and system subcommands (#20)', () => {
    expect(route(['container', 'exists', 'x'])).toEqual({ name: 'container-exists', globals: [], rest: ['x'] });
    expect(route(['container', 'prune', '-f']).name).toBe('container-prune');
    expect(route(['container', 'inspect', 'x']).rest).toEqual(['--type', 'container', 'x']);
    expect(route(['container', 'rename', 'a', 'b'])).toEqual({ name: 'rename', globals: [], rest: ['a', 'b'] });
    expect(route(['image', 'build', '.']).name).toBe('build');
    expect(route(['system', 'df', '-v'])).toEqual({ name: 'system-df', globals: [], rest: ['-v'] });
    expect(route(['system', 'info']).name).toBe('info');
    // Words the system command handles itself stay with it.
    expect(route(['system', 'migrate'])).toEqual({ name: 'system', globals: [], rest: ['migrate'] });
    expect(route(['container', 'bogus']).name).toBe('container bogus');
    expect(route(['container'])).toEqual({ name: 'help', globals: [], rest: ['container'] });
    expect(route(['image', '--help'])).toEqual({ name: 'help', globals: [], rest: ['image', '--help'] });
  });

  it('reports no command when only flags are given', () => {
    expect(route(['--help']).name).toBeUndefined();
  });
});

describe('signal parsing', () => {
  it('accepts names with and without SIG and numbers', () => {
    expect(parseSignal('TERM')).toBe('SIGTERM');
    expect(parseSignal('sigkill')).toBe('SIGKILL');
    expect(parseSignal('9')).toBe('SIGKILL');
  });

  it('accepts real-time signals by name and number, and 0', async () => {
    const { signalNumber } = await import('../../lib/container/parse/signals.js');
    expect(parseSignal('SIGRTMIN+3')).toBe('SIGRTMIN+3');
    expect(parseSignal('rtmin+3')).toBe('SIGRTMIN+3');
    expect(parseSignal('37')).toBe('SIGRTMIN+3');
    expect(parseSignal('SIGRTMAX-2')).toBe('SIGRTMIN+28');
    expect(parseSignal('SIGRTMIN')).toBe('SIGRTMIN+0');
    expect(signalNumber(parseSignal('SIGRTMIN+3'))).toBe(37);
    expect(signalNumber(parseSignal('RTMAX'))).toBe(64);
    expect(parseSignal('0')).toBe('0');
    expect(signalNumber(parseSignal('0'))).toBe(0);
    expect(() => parseSignal('SIGRTMIN+31')).toThrow(/invalid --signal "SIGRTMIN\+31"/);
    expect(() => parseSignal('SIGRTMAX+1')).toThrow(/invalid --signal/);
  });

  it('rejects unknown signals naming the value', () => {
    expect(() => parseSignal('SIGNOPE')).toThrow(/invalid --signal "SIGNOPE"/);
  });
});

describe('early shim launch', () => {
  it('recognises the command lines that start a container, after global flags', async () => {
    const { startsContainer } = await import('../../lib/command-word.js');
    expect(startsContainer(['--root', '/r', 'run', '--rm', 'busybox'])).toBe(true);
    expect(startsContainer(['container', 'start', 'x'])).toBe(true);
    expect(startsContainer(['restart', 'x'])).toBe(true);
    expect(startsContainer(['--runtime', 'run', 'ps'])).toBe(false);
    expect(startsContainer(['run', '--help'])).toBe(false);
    expect(startsContainer(['exec', 'x', 'run'])).toBe(false);
  });
});
