import { formatBytes, IMAGE_SIZE, STATS_SIZE, TRANSFER_SIZE } from '../../../lib/format/bytes.js';

describe('formatBytes', () => {
  it('prints image sizes in SI units with 3 significant digits and a space, like podman images', () => {
    expect(formatBytes(0, IMAGE_SIZE)).toBe('0 B');
    expect(formatBytes(999, IMAGE_SIZE)).toBe('999 B');
    expect(formatBytes(1000, IMAGE_SIZE)).toBe('1 kB');
    expect(formatBytes(812_345, IMAGE_SIZE)).toBe('812 kB');
    expect(formatBytes(1987655, IMAGE_SIZE)).toBe('1.99 MB');
    expect(formatBytes(12_345_678, IMAGE_SIZE)).toBe('12.3 MB');
    expect(formatBytes(5_600_000_000, IMAGE_SIZE)).toBe('5.6 GB');
  });

  it('prints stats sizes as go-units does: 4 significant digits, SI units, no space', () => {
    expect(formatBytes(0, STATS_SIZE)).toBe('0B');
    expect(formatBytes(266, STATS_SIZE)).toBe('266B');
    expect(formatBytes(4096, STATS_SIZE)).toBe('4.096kB');
    expect(formatBytes(1_954_000, STATS_SIZE)).toBe('1.954MB');
    expect(formatBytes(25_280_000_000, STATS_SIZE)).toBe('25.28GB');
  });

  it('prints transfer sizes in powers of 1024 with one decimal, and whole bytes below 1 KiB', () => {
    expect(formatBytes(0, TRANSFER_SIZE)).toBe('0 B');
    expect(formatBytes(1023, TRANSFER_SIZE)).toBe('1023 B');
    expect(formatBytes(1024, TRANSFER_SIZE)).toBe('1.0 KiB');
    expect(formatBytes(1536 * 1024, TRANSFER_SIZE)).toBe('1.5 MiB');
    expect(formatBytes(3 * 1024 ** 3, TRANSFER_SIZE)).toBe('3.0 GiB');
  });

  it('stops at the largest unit instead of running off the end', () => {
    expect(formatBytes(2e21, STATS_SIZE)).toBe('2000EB');
  });
});
