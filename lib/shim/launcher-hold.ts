// Foreground `run`: the launching CLI's end of the launch channel becomes the container's first,
// primary attach client. The container's output (and the handling of its exit) is held until that
// client sends Start (it sends it with its Hello), or goes away first, when the container carries
// on as if detached: so not one byte of output is missed.
import type { AttachServer } from './attach-server.js';
import type { LauncherLink } from './channel.js';

export class LauncherHold {
  /** False while output is held for the launcher. */
  released = true;
  /** Resolves once the launcher is attached or gone. */
  settled: Promise<void> = Promise.resolve();
  private settle: () => void = () => undefined;

  /** `onRelease`: let held output flow, and a held exit be handled. */
  constructor(private readonly onRelease: () => void) {}

  /** Takes the launcher's connection as a client; output is held from now on. */
  adopt(server: AttachServer, launcher: LauncherLink): void {
    this.released = false;
    this.settled = new Promise((resolve) => (this.settle = resolve));
    const { socket, initial } = launcher.takeForAttach();
    const client = server.adopt(socket, initial);
    socket.once('close', () => {
      if (!client.primary) this.release();
    });
  }

  /** The launcher's client is attached (its Start) or gone. */
  release(): void {
    if (this.released) return;
    this.released = true;
    this.settle();
    this.onRelease();
  }
}
