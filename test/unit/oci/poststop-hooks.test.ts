// Whether a --rm container's shim must let runc delete (and its poststop hooks) run before it
// tells the exit: read from the bundle's config.json.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { hasPoststopHooks } from '../../../lib/oci/poststop-hooks.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pman-poststop-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const bundle = (spec: unknown) => fs.writeFileSync(path.join(dir, 'config.json'), typeof spec === 'string' ? spec : JSON.stringify(spec, null, 2));

describe('hasPoststopHooks', () => {
  it('holds for a config.json whose hooks have a poststop one', () => {
    bundle({ process: { args: ['true'] }, hooks: { prestart: [{ path: '/bin/a' }], poststop: [{ path: '/bin/b' }] } });
    expect(hasPoststopHooks(dir)).toBe(true);
  });

  it('does not hold for other stages, an empty list, the word elsewhere, a missing or unreadable bundle', () => {
    bundle({ process: { args: ['true'] }, hooks: { prestart: [{ path: '/bin/a' }] } });
    expect(hasPoststopHooks(dir)).toBe(false);
    bundle({ hooks: { poststop: [] } });
    expect(hasPoststopHooks(dir)).toBe(false);
    bundle({ process: { args: ['echo', '"poststop"'], env: ['X="poststop"'] }, annotations: { poststop: 'yes' } });
    expect(hasPoststopHooks(dir)).toBe(false);
    bundle('{"hooks": {"poststop": [');
    expect(hasPoststopHooks(dir)).toBe(false);
    fs.rmSync(path.join(dir, 'config.json'));
    expect(hasPoststopHooks(dir)).toBe(false);
  });
});
