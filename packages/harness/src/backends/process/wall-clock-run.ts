/**
 * Waiting on the real backends (processes, containers). Their time is the machine's, so a wait is
 * a sleep in small steps; and their background work (booting a node, opening a proxy, a Docker
 * call) runs beside the scenario, so a failure there is kept and thrown at the scenario's next
 * wait, as is a stop from outside (a per-run time limit: RunAborted). The simulator waits in
 * virtual time instead (backends/sim). One piece for both real backends, so they cannot drift; it
 * lives beside the process backend, inside the determinism fence's exemption for real time.
 */
import { RunAborted } from '../../cluster/backend.js';

/** How often runUntil looks at its predicate, in wall-clock ms. */
export const RUN_UNTIL_STEP_MS = 5;

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export class WallClockRun {
  private failure: Error | undefined;

  /** Background work failed: the first failure stops the run at the next wait. */
  fail(error: unknown): void {
    this.failure ??= error instanceof Error ? error : new Error(String(error));
  }

  /** Stops the run from outside: the next wait throws RunAborted with `reason`. */
  abort(reason: string): void {
    this.failure ??= new RunAborted(reason);
  }

  throwIfFailed(): void {
    if (this.failure !== undefined) throw this.failure;
  }

  async runFor(ms: number): Promise<void> {
    this.throwIfFailed();
    await sleep(ms);
    this.throwIfFailed();
  }

  async runUntil(predicate: () => boolean, boundMs: number): Promise<boolean> {
    const deadline = performance.now() + boundMs;
    for (;;) {
      this.throwIfFailed();
      if (predicate()) return true;
      const left = deadline - performance.now();
      if (left <= 0) return false;
      await sleep(Math.min(RUN_UNTIL_STEP_MS, left));
    }
  }
}
