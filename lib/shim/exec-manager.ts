// Exec sessions run by the shim (`pman exec`). Not implemented yet: every request is refused with
// a clear error, so a client never hangs waiting for a session that will not come.
import type { Context } from '../context.js';
import type { RuntimeOptions } from '../oci/runtime.js';
import type { ContainerRecord } from '../state/container-record.js';
import type { Client } from './attach-server.js';
import type { HelloMsg, ResizeMsg, WelcomeMsg } from './protocol.js';

export class ExecManager {
  constructor(
    readonly ctx: Context,
    readonly rec: ContainerRecord,
    readonly rt: RuntimeOptions,
    readonly runDir: string,
    readonly log: (m: string) => void,
  ) {}

  open(_c: Client, _hello: HelloMsg): WelcomeMsg {
    throw new Error('exec sessions are not supported by this shim yet');
  }
  stdin(_c: Client, _data: Buffer): void {}
  stdinClose(_c: Client): void {}
  resize(_c: Client, _size: ResizeMsg): void {}
  signal(_c: Client, _sig: string): void {}
  clientGone(_c: Client): void {}
  reap(): void {}
  async containerExited(): Promise<void> {}
}
