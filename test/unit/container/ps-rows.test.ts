// ps --sort as podman 4.3.1's: ascending by its key (the state word, the whole command, the start
// time, the virtual size), equal keys in the listing's order (oldest first); created keeps that order.
import { sortPsRows } from '../../../lib/container/ps-rows.js';
import { psRow } from '../../../lib/container/view.js';
import type { ContainerRecord, ContainerState } from '../../../lib/state/container-record.js';
import { containerRecordFixture } from '../container-record-fixture.js';

const NOW = Date.parse('2024-01-01T01:00:00Z');

function rec(name: string, cmd: string[], state: Partial<ContainerState>, id = name.padEnd(64, '0')): ContainerRecord {
  const r = containerRecordFixture({ cmd });
  return { ...r, id, name, state: { ...r.state, ...state } };
}

const running = (startedAt: string) => ({ status: 'running' as const, pid: 10, startedAt });
const exited = (exitCode: number, finishedAt: string) => ({ status: 'exited' as const, exitCode, startedAt: '2024-01-01T00:00:01Z', finishedAt });

/** The names after sorting these records' rows (given oldest first) by the key. */
function sorted(recs: ContainerRecord[], key: string, extra: (r: ContainerRecord) => Record<string, unknown> = () => ({})): string[] {
  const byId = new Map(recs.map((r) => [r.id, r]));
  const rows = recs.map((r) => Object.assign(psRow(r, false, NOW), extra(r)));
  sortPsRows(rows, key, (row) => byId.get(String(row.FullID))!);
  return rows.map((r) => String(r.Names));
}

describe('sortPsRows', () => {
  it('orders status by the state word, keeping equal states in the given order (not by the STATUS text)', () => {
    const recs = [
      rec('up-late', ['sh'], running('2024-01-01T00:50:00Z')),
      rec('exit3', ['sh'], exited(3, '2024-01-01T00:10:00Z')),
      rec('new', ['sh'], {}),
      rec('exit0', ['sh'], exited(0, '2024-01-01T00:20:00Z')),
      rec('up-early', ['sh'], running('2024-01-01T00:05:00Z')),
    ];
    expect(sorted(recs, 'status')).toEqual(['new', 'exit3', 'exit0', 'up-late', 'up-early']);
  });

  it('orders command by the whole command, not the column cut at 20 characters', () => {
    const recs = [rec('z', ['echo', 'aaaaaaaaaaaaaaaaaaaaaaaz'], {}), rec('b', ['echo', 'aaaaaaaaaaaaaaaaaaaaaaab'], {}), rec('s', ['sh', '-c', 'exit 3'], {})];
    expect(sorted(recs, 'command')).toEqual(['b', 'z', 's']);
  });

  it('orders runningfor by the start time, never-started containers first', () => {
    const recs = [rec('early', ['sh'], running('2024-01-01T00:05:00Z')), rec('late', ['sh'], exited(0, '2024-01-01T00:30:00Z')), rec('never', ['sh'], {})];
    recs[1].state.startedAt = '2024-01-01T00:20:00Z';
    expect(sorted(recs, 'runningfor')).toEqual(['never', 'early', 'late']);
  });

  it('orders size by the virtual size with --size, and leaves the order without it', () => {
    const recs = [rec('big', ['sh'], {}), rec('small', ['sh'], {}), rec('mid', ['sh'], {})];
    const virtual: Record<string, number> = { big: 3_000_000, small: 1_000_000, mid: 2_000_000 };
    expect(sorted(recs, 'size', (r) => ({ SizeRootFs: virtual[r.name] }))).toEqual(['small', 'mid', 'big']);
    expect(sorted(recs, 'size')).toEqual(['big', 'small', 'mid']);
  });

  it('orders id by the full ID and names by the name', () => {
    const recs = [rec('b', ['sh'], {}, `${'c'.repeat(12)}${'2'.repeat(52)}`), rec('a', ['sh'], {}, `${'c'.repeat(12)}${'1'.repeat(52)}`)];
    expect(sorted(recs, 'id')).toEqual(['a', 'b']);
    expect(sorted(recs, 'names')).toEqual(['a', 'b']);
  });

  it('keeps the given (oldest first) order for created', () => {
    const recs = [rec('web', ['sh'], {}), rec('db', ['sh'], {}), rec('app', ['sh'], {})];
    expect(sorted(recs, 'created')).toEqual(['web', 'db', 'app']);
  });
});
