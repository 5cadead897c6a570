// The parts of a running shim, as its start-up sequence puts them together and its exit sequence
// takes them apart (lib/shim/start-sequence.ts, lib/shim/exit-sequence.ts): one object per shim
// process, never module state.
import type { Context } from '../context.js';
import type { ContainerRecord } from '../state/container-record.js';
import type { AttachServer } from './attach-server.js';
import type { LauncherLink } from './channel.js';
import type { ContainerIO } from './container-io.js';
import type { ContainerProcess } from './container-process.js';
import type { ExecManager } from './exec-manager.js';
import type { Health, HealthResult } from '../state/health.js';
import type { LauncherHold } from './launcher-hold.js';
import type { LogWriter } from './log-writer.js';
import type { OutputPump } from './output-pump.js';
import type { ShimOptions } from './protocol.js';
import type { Log } from './shim-log.js';

export interface ShimParts {
  ctx: Context;
  opts: ShimOptions;
  runDir: string;
  log: Log;
  /** The channel to the launching CLI (the report, or the launcher's attach session). */
  launcher: LauncherLink;
  /** The container's record as this shim last wrote it. */
  rec: ContainerRecord;
  proc: ContainerProcess;
  io: ContainerIO;
  exec: ExecManager;
  logWriter: LogWriter;
  server: AttachServer;
  pump: OutputPump;
  hold: LauncherHold;
  /** Mounting and runc create / run (what comes out of the pipes before it succeeded is runc's). */
  launched: Promise<void>;
  /** Ends the shim process with this status (process.exit, given by the entry, lib/shim/main.ts). */
  exit: (code: number) => never;
  /** Set once the exit sequence (or the failure path) has begun: it runs once. */
  finishing: boolean;
  /** The health check's timer and probes, for a container that has one (lib/shim/health-monitor.ts). */
  health?: HealthMonitor;
  /** Settles once the monitor is loaded and started (a `healthcheck run` right after the start waits for it). */
  healthReady?: Promise<void>;
  /** --health-on-failure restart: the container comes back after this exit whatever its policy. */
  restartAfterExit?: boolean;
  /** --timeout ran out and the container was killed (its exit code is then 255: run-extras.ts). */
  timedOut?: boolean;
}

/** What the shim asks of a container's health monitor (lib/shim/health-monitor.ts, loaded only for a container with a check). */
export interface HealthMonitor {
  start(): void;
  stop(): void;
  /** One probe now (`pman healthcheck run`), recorded like a scheduled one. */
  runNow(): Promise<{ result: HealthResult; health: Health }>;
}

