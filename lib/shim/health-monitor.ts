// Health checks run by the container's own shim (no systemd timer, no daemon): the probe on its
// timer as an exec session in the container, killed at its timeout, its result recorded in the
// health file (lib/state/health.ts) and, on turning unhealthy, the --health-on-failure action.
// Loaded (import()) only by shims whose container has a check: others pay nothing for it.
import { containerEvents } from '../events/events-file.js';
import type { HealthcheckConfig, HealthOnFailure } from '../state/container-record.js';
import { isPaused } from '../state/container-status.js';
import { loadContainer, updateContainer } from '../state/containers.js';
import { applyResult, capOutput, initialHealth, MAX_OUTPUT_BYTES, probeArgs, writeHealth, type Health, type HealthResult } from '../state/health.js';
import { runProbe } from './health-probe.js';
import { makeClock } from './log-writer.js';
import { rfc3339Nano } from '../format/go-time.js';
import type { HealthMonitor as Monitor, ShimParts } from './shim-parts.js';

const NS_PER_MS = 1_000_000;

/** One probe's outcome as `pman healthcheck run` hears it. */
export interface ProbeOutcome {
  result: HealthResult;
  health: Health;
}

export class HealthMonitor implements Monitor {
  private timer: NodeJS.Timeout | undefined;
  private current: Promise<ProbeOutcome> | undefined;
  private health: Health = initialHealth();
  private stopped = false;
  private acted = false;
  private readonly cfg: HealthcheckConfig;

  constructor(private readonly s: ShimParts) {
    this.cfg = s.rec.config.healthcheck!;
  }

  /** The container runs: a fresh schedule from status starting (also after a restart). */
  start(): void {
    writeHealth(this.s.ctx, this.s.rec.id, this.health);
    this.schedule();
  }

  /** The container exited: no further probes. */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** `pman healthcheck run`: one probe now (or the one under way), recorded like the others. */
  runNow(): Promise<ProbeOutcome> {
    return this.probe();
  }

  private schedule(): void {
    if (this.stopped) return;
    const ns = this.inStartPeriod() ? this.cfg.startInterval || this.cfg.interval : this.cfg.interval;
    // interval 0 (--health-interval disable): only `pman healthcheck run` probes.
    if (!ns) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.probe().then(
        () => this.schedule(),
        (err) => {
          this.s.log(`health check failed to run: ${(err as Error).message}`);
          this.schedule();
        },
      );
    }, Math.max(1, Math.round(ns / NS_PER_MS)));
  }

  private inStartPeriod(): boolean {
    const period = this.cfg.startPeriod ?? 0;
    return this.health.Status === 'starting' && period > 0 && (Date.now() - Date.parse(this.s.rec.state.startedAt)) * NS_PER_MS < period;
  }

  private probe(): Promise<ProbeOutcome> {
    this.current ??= this.runProbe().finally(() => (this.current = undefined));
    return this.current;
  }

  private async runProbe(): Promise<ProbeOutcome> {
    // Start and End with nanoseconds (RFC3339Nano), as podman records them.
    const clock = makeClock();
    const start = rfc3339Nano(clock());
    let exitCode: number;
    let output: string;
    // A frozen container cannot run a probe (runc exec would hang): it is skipped, as docker does.
    const paused = isPaused(loadContainer(this.s.ctx, this.s.rec.id));
    if (paused) {
      return { result: { Start: start, End: start, ExitCode: -1, Output: 'container is paused' }, health: this.health };
    }
    const timeoutMs = Math.round((this.cfg.timeout ?? 30e9) / NS_PER_MS);
    try {
      const r = await runProbe(this.s.exec, probeArgs(this.cfg.test), timeoutMs, MAX_OUTPUT_BYTES);
      exitCode = r.timedOut ? -1 : r.exitCode;
      output = r.timedOut ? `Health check exceeded timeout (${timeoutMs / 1000}s)` : capOutput(r.output);
    } catch (err) {
      // A command that cannot be run is a failed probe (docker records it the same way).
      exitCode = -1;
      output = (err as Error).message;
    }
    const result: HealthResult = { Start: start, End: rfc3339Nano(clock()), ExitCode: exitCode, Output: output };
    const before = this.health.Status;
    // The container may have stopped meanwhile: its last result is still recorded.
    this.health = applyResult(this.health, result, this.cfg, this.s.rec.state.startedAt);
    writeHealth(this.s.ctx, this.s.rec.id, this.health);
    containerEvents(this.s.ctx, this.s.rec, ['health_status'], { HealthStatus: this.health.Status });
    if (this.health.Status === 'unhealthy' && before !== 'unhealthy' && !this.stopped) await this.onUnhealthy();
    return { result, health: this.health };
  }

  /** --health-on-failure, once per run of the container. */
  private async onUnhealthy(): Promise<void> {
    const action: HealthOnFailure = this.s.rec.config.healthOnFailure ?? 'none';
    if (action === 'none' || this.acted) return;
    this.acted = true;
    this.s.log(`container is unhealthy: --health-on-failure ${action}`);
    if (action === 'kill') {
      this.s.proc.signal('SIGKILL');
      return;
    }
    if (action === 'stop') {
      // Final for a restart policy, as `pman stop` is.
      await updateContainer(this.s.ctx, this.s.rec.id, (r) => void (r.state.stoppedByUser = true)).catch((err) => this.s.log(`cannot record the stop: ${(err as Error).message}`));
    } else this.s.restartAfterExit = true;
    this.stopContainer();
  }

  /** The stop signal, then SIGKILL after the stop timeout, as `pman stop` does. */
  private stopContainer(): void {
    this.s.proc.signal(this.s.rec.config.stopSignal);
    const t = this.s.rec.config.stopTimeout;
    if (t > 0) setTimeout(() => this.s.proc.signal('SIGKILL'), t * 1000).unref();
    else this.s.proc.signal('SIGKILL');
  }
}
