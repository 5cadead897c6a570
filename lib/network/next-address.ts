// Which address a pool hands out next, on every bridge network: the first free one after the last
// one it gave, from the start again past the end (as podman's IPAM picks). Not the first free one:
// an address just given back would be given again at once, while the host's neighbour cache (and
// the other containers') still sends its packets to the old interface's MAC address for up to a
// minute (docs/networking.md, "Taking"). Root's default network (leases.ts) and user networks
// (ipam.ts) keep their last address each their own way and both pick with this.

/**
 * The first n in [first, last] after `after`, wrapping around, for which isFree(n) holds;
 * undefined when none is. An `after` outside the range (none recorded, a range since changed)
 * starts at `first`.
 */
export function nextFreeAfter(first: bigint, last: bigint, after: bigint | undefined, isFree: (n: bigint) => boolean): bigint | undefined {
  const size = last - first + 1n;
  const start = after === undefined || after < first || after > last ? 0n : after - first + 1n;
  for (let i = 0n; i < size; i++) {
    const n = first + ((start + i) % size);
    if (isFree(n)) return n;
  }
  return undefined;
}
