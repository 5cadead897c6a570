import { apiMoment, apiSelection, dockerEventLine } from '../../../lib/api/events.js';

const NOW = 1_800_000_000_123_456_789n;

describe("the API's /events in Docker's words", () => {
  it('writes a died event as Docker\'s die, with the exit code and the exact nanoseconds', () => {
    const line = dockerEventLine({
      Type: 'container',
      Status: 'died',
      ID: 'c'.repeat(64),
      Name: 'web',
      Image: 'localhost/busybox:latest',
      ExitCode: 3,
      Attributes: { app: 'x', image: 'localhost/busybox:latest', name: 'web' },
      Time: '2027-01-15T08:00:00.123456789Z',
    });
    expect(line.endsWith('\n')).toBe(true);
    expect(line).toContain('"timeNano":1800000000123456789}');
    expect(JSON.parse(line)).toEqual({
      status: 'die',
      id: 'c'.repeat(64),
      from: 'localhost/busybox:latest',
      Type: 'container',
      Action: 'die',
      Actor: { ID: 'c'.repeat(64), Attributes: { app: 'x', image: 'localhost/busybox:latest', name: 'web', containerExitCode: '3', exitCode: '3' } },
      scope: 'local',
      time: 1800000000,
      timeNano: Number(1800000000123456789n),
    });
  });

  it('names removals, exec and health as Docker does and passes the rest through', () => {
    const action = (Type: 'container' | 'image' | 'volume' | 'network', Status: string, extra = {}) =>
      (JSON.parse(dockerEventLine({ Type, Status, ID: 'x', Time: '2027-01-15T08:00:00Z', ...extra })) as { Action: string }).Action;
    expect(action('container', 'remove')).toBe('destroy');
    expect(action('image', 'remove')).toBe('delete');
    expect(action('volume', 'remove')).toBe('destroy');
    expect(action('network', 'remove')).toBe('destroy');
    expect(action('container', 'exec')).toBe('exec_start');
    expect(action('container', 'exec_died')).toBe('exec_die');
    expect(action('container', 'health_status', { HealthStatus: 'healthy' })).toBe('health_status: healthy');
    expect(action('container', 'start')).toBe('start');
    expect(action('image', 'untag')).toBe('untag');
  });

  it('reads since and until as Unix seconds to the nanosecond or RFC 3339, and refuses anything else', () => {
    expect(apiMoment('1800000000.000000042', 'since')).toBe(1_800_000_000_000_000_042n);
    expect(apiMoment('1800000000.5', 'since')).toBe(1_800_000_000_500_000_000n);
    expect(apiMoment('1800000000', 'since')).toBe(1_800_000_000_000_000_000n);
    expect(apiMoment('2027-01-15T08:00:00.123456789Z', 'until')).toBe(1_800_000_000_123_456_789n);
    expect(apiMoment(null, 'since')).toBeUndefined();
    expect(() => apiMoment('10m', 'since')).toThrow('invalid since "10m": use Unix seconds or an RFC 3339 time');
  });

  it('selects from now on without since and until, from the start with until alone, and maps Docker\'s event names', () => {
    expect(apiSelection(new URLSearchParams(), NOW)).toEqual({ since: NOW, filters: [] });
    expect(apiSelection(new URLSearchParams({ until: '1800000000' }), NOW)).toEqual({ since: undefined, until: 1_800_000_000_000_000_000n, filters: [] });
    const filters = JSON.stringify({ event: { die: true, destroy: true, start: true }, container: ['web'] });
    expect(apiSelection(new URLSearchParams({ since: '1', filters }), NOW)).toEqual({
      since: 1_000_000_000n,
      filters: ['event=died', 'event=remove', 'event=start', 'container=web'],
    });
  });
});
