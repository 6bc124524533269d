/**
 * What the container backend must undo, in the reverse order it was made: the containers, then
 * the Toxiproxy container, then the network (a network with containers attached cannot be removed).
 * A run can end in every way (held, violated, an error, Ctrl-C), so every step runs even when an
 * earlier one failed, and the failures are returned, not thrown, for the caller to report. A
 * resource whose creation finishes after cleanup began (a container still starting when Ctrl-C came)
 * is cleaned up the moment it is registered. Engine-free, so it is unit-tested here.
 */

export interface CleanupStep {
  /** What the step removes, for the failure report: `container master`, `network replisim-x`. */
  readonly what: string;
  readonly run: () => Promise<void>;
}

export class CleanupRegistry {
  private readonly steps: CleanupStep[] = [];
  private started = false;
  private readonly late: Promise<string | undefined>[] = [];

  /** Registers a step; after `runAll` began, runs it at once. */
  add(what: string, run: () => Promise<void>): void {
    if (this.started) {
      this.late.push(attempt({ what, run }));
      return;
    }
    this.steps.push({ what, run });
  }

  /** Steps still to run, newest first. */
  pending(): readonly string[] {
    return this.steps.map((step) => step.what).reverse();
  }

  /**
   * Runs every step, newest first, each after the previous one settled; returns one line per
   * failure. A second call runs nothing more and returns the failures of late steps only.
   */
  async runAll(): Promise<string[]> {
    this.started = true;
    const failures: string[] = [];
    for (let step = this.steps.pop(); step !== undefined; step = this.steps.pop()) {
      const failure = await attempt(step);
      if (failure !== undefined) failures.push(failure);
    }
    for (const failure of await Promise.all(this.late.splice(0))) {
      if (failure !== undefined) failures.push(failure);
    }
    return failures;
  }
}

async function attempt(step: CleanupStep): Promise<string | undefined> {
  try {
    await step.run();
    return undefined;
  } catch (error) {
    return `${step.what}: ${error instanceof Error ? error.message : String(error)}`;
  }
}
