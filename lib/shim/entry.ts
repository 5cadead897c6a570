// Process entry of a container's shim: `node dist/bundle/shim-entry.cjs` (this file bundled, a
// CommonJS entry that spares Node's ES module loader) or `node dist/lib/shim/entry.js`; see
// lib/shim/launch.ts. boot.ts then runs the shim's own bundle when it is fresh.
import { boot } from '../boot.js';
import { trace } from '../util/trace.js';

trace('shim: process start');
void boot('shim', []);
