// The record types are derived from the schemas (lib/state/record-type.ts). These checks run at
// compile time (tsc fails on an unexpected error or a missing one); the test only makes them a suite.
import type { ContainerConfig, ContainerRecord, ContainerStatus } from '../../../lib/state/container-record.js';
import { initialState } from '../../../lib/state/container-record.js';
import type { ImageConfigSpec } from '../../../lib/image/image-record.js';
import type { VolumeRecord } from '../../../lib/volume/volume-record.js';

describe('record types derived from their schemas', () => {
  it('are strict: a misspelt field is a compile error, though the schema lets other keys through', () => {
    const rec = { state: initialState() } as ContainerRecord;
    // @ts-expect-error no such field
    expect(rec.state.exitcode).toBeUndefined();
    // @ts-expect-error no such field
    const c: Partial<ContainerConfig> = { autoremove: true };
    expect(c).toBeDefined();
  });

  it('keep enums, constants, optional fields, nullable fields and typed maps', () => {
    const status: ContainerStatus = 'running';
    // @ts-expect-error not a status
    const wrong: ContainerStatus = 'stopped';
    const vol: Pick<VolumeRecord, 'version' | 'driver' | 'labels'> = { version: 1, driver: 'local', labels: { a: 'b' } };
    // @ts-expect-error label values are strings
    const badLabels: VolumeRecord['labels'] = { a: 1 };
    const cfg: ImageConfigSpec = { Entrypoint: null, Labels: null, ExposedPorts: { '80/tcp': {} } };
    expect([status, wrong, vol.version, badLabels, cfg.Entrypoint]).toEqual(['running', 'stopped', 1, { a: 1 }, null]);
  });
});
