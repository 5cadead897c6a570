import { uptimeText } from '../../../lib/system/info.js';

describe('uptimeText', () => {
  it('prints podman 4.3.1\'s form: whole hours, the minutes rounded, whole seconds, no days in the first hour', () => {
    // 56m 42.56s: podman 4.3.1 printed "0h 57m 42.00s" (it rounds the minutes of the hour).
    expect(uptimeText(56 * 60 + 42.56)).toBe('0h 57m 42.00s');
    expect(uptimeText(50 * 60 + 29.9)).toBe('0h 50m 29.00s');
    expect(uptimeText(59 * 60 + 50)).toBe('0h 60m 50.00s');
    // An exact half goes to the even side, as Go's %.0f: 2.5 minutes is 2, 3.5 is 4.
    expect(uptimeText(150)).toBe('0h 2m 30.00s');
    expect(uptimeText(210)).toBe('0h 4m 30.00s');
  });

  it('adds the whole hours in days from the first hour, an exact half rounded to even as Go\'s %.2f', () => {
    expect(uptimeText(3600)).toBe('1h 0m 0.00s (Approximately 0.04 days)');
    expect(uptimeText(3 * 3600 + 13 * 60 + 38.5)).toBe('3h 14m 38.00s (Approximately 0.12 days)');
    expect(uptimeText(9 * 3600 + 59)).toBe('9h 1m 59.00s (Approximately 0.38 days)');
    expect(uptimeText(142 * 3600 + 13 * 60 + 55.64)).toBe('142h 14m 55.00s (Approximately 5.92 days)');
  });
});
