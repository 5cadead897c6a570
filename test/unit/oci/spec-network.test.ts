// keepPodMemberLines: a pod infra's /etc/hosts, rewritten when the infra is wired, keeps the lines
// of the members added to the old file, at the infra's new address.
import { keepPodMemberLines } from '../../../lib/oci/spec-network.js';

const LOCAL = '127.0.0.1\tlocalhost\n';

describe('keepPodMemberLines', () => {
  it('carries the members after the infra line over to the new address', () => {
    const old = `${LOCAL}127.0.1.1\tpod abc-infra\n127.0.1.1\tweb\n127.0.1.1\tdb\n`;
    const fresh = `${LOCAL}10.90.0.1\thost.containers.internal\n10.90.0.7\tpod abc-infra\n`;
    expect(keepPodMemberLines(old, fresh, 'abc-infra')).toBe(`${fresh}10.90.0.7\tweb\n10.90.0.7\tdb\n`);
  });

  it('keeps members added while the infra had no address yet (no infra line in the old file)', () => {
    const old = `${LOCAL}10.90.0.1\thost.containers.internal\n127.0.1.1\tweb\n`;
    const fresh = `${LOCAL}10.90.0.1\thost.containers.internal\n10.90.0.7\tpod abc-infra\n`;
    expect(keepPodMemberLines(old, fresh, 'abc-infra')).toBe(`${fresh}10.90.0.7\tweb\n`);
  });

  it('changes nothing when the old file has no members, or the new one lacks the infra', () => {
    const fresh = `${LOCAL}10.90.0.7\tpod abc-infra\n`;
    expect(keepPodMemberLines(`${LOCAL}127.0.1.1\tpod abc-infra\n`, fresh, 'abc-infra')).toBe(fresh);
    expect(keepPodMemberLines('', fresh, 'abc-infra')).toBe(fresh);
    expect(keepPodMemberLines(`${LOCAL}127.0.1.1\tpod abc-infra\n127.0.1.1\tweb\n`, LOCAL, 'abc-infra')).toBe(LOCAL);
    expect(keepPodMemberLines(`${LOCAL}10.90.0.1\thost.containers.internal\n`, `${LOCAL}10.90.0.1\thost.containers.internal\n10.90.0.7\tpod abc-infra\n`, 'abc-infra')).toBe(`${LOCAL}10.90.0.1\thost.containers.internal\n10.90.0.7\tpod abc-infra\n`);
  });
});
