// The one byte formatter. podman shows sizes in three styles, each kept byte for byte: images and
// history ("1.99 MB", 3 significant digits), stats (go-units' "%.4g": "1.954MB"), and our pull/push
// progress ("1.5 MiB", powers of 1024, one decimal).

export interface ByteStyle {
  /** 1000 for kB, MB … (what podman prints for images and stats); 1024 for KiB, MiB …. */
  base: 1000 | 1024;
  /** Significant digits of the scaled value, or, with `fixed`, digits after the point. */
  digits: number;
  /** Digits after the point instead of significant digits (plain bytes stay a whole number). */
  fixed?: boolean;
  /** Between number and unit: podman's images print "1.99 MB", its stats "1.954MB". */
  space: boolean;
}

/** `images`, `history -H`: "812 kB", "1.99 MB". */
export const IMAGE_SIZE: ByteStyle = { base: 1000, digits: 3, space: true };
/** `stats` (go-units HumanSizeWithPrecision(n, 4)): "266B", "25.28GB". */
export const STATS_SIZE: ByteStyle = { base: 1000, digits: 4, space: false };
/** Pull and push progress and summaries: "900 B", "1.5 MiB". */
export const TRANSFER_SIZE: ByteStyle = { base: 1024, digits: 1, fixed: true, space: true };

const DECIMAL_UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB'];
const BINARY_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];

export function formatBytes(bytes: number, style: ByteStyle): string {
  const units = style.base === 1000 ? DECIMAL_UNITS : BINARY_UNITS;
  let v = bytes;
  let i = 0;
  while (v >= style.base && i < units.length - 1) {
    v /= style.base;
    i++;
  }
  // Number(…) drops what toPrecision pads ("1.00" → "1"), as Go's %g does.
  const text = style.fixed ? (i === 0 ? String(v) : v.toFixed(style.digits)) : String(Number(v.toPrecision(style.digits)));
  return `${text}${style.space ? ' ' : ''}${units[i]}`;
}
