// One TestEnv per compat test file, with its hooks: each test starts without containers or
// volumes, also after one that failed half-way.
import { TestEnv } from '../harness.js';

export function useEnv(): () => TestEnv {
  let env: TestEnv;
  beforeAll(async () => {
    env = await TestEnv.create();
  });
  afterAll(async () => {
    await env.cleanup();
  });
  afterEach(async () => {
    await env.pman(['rm', '-af', '-t', '0']);
    await env.pman(['volume', 'prune', '-f']);
  });
  return () => env;
}
