// Turns interleaved timings into table rows with each contender's ratio to podman.
import { fmt } from '../lib/report.mjs';

/** rows: [label, median, min, …extra, ratio to podman's median]. */
export function timingRows(engines, results, label, extra = () => []) {
  const podman = results.podman?.median;
  return engines.map((e) => {
    const r = results[e.name];
    return [label(e), fmt.ms(r.median), fmt.ms(r.min), ...extra(e, r), e.name === 'podman' ? '1.00×' : fmt.ratio(r.median / podman)];
  });
}

export function ratioTo(results, name) {
  return results[name] && results.podman ? results[name].median / results.podman.median : NaN;
}
