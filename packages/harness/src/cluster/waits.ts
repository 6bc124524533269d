/**
 * A wait that ran out. The run turns it into an `undecided` verdict naming what was awaited and
 * for how long, and still writes its history, events and summary: a stuck cluster is a finding
 * about the run, not a crash of the harness.
 */
export class WaitTimedOut {
  readonly what: string;
  readonly boundMs: number;
  readonly atMs: number;

  constructor(what: string, boundMs: number, atMs: number) {
    this.what = what;
    this.boundMs = boundMs;
    this.atMs = atMs;
  }

  get message(): string {
    return `${this.what} did not happen within ${this.boundMs / 1000} s (waited until ${(this.atMs / 1000).toFixed(3)} s)`;
  }
}

/** How long a wait lasts unless told otherwise, in (virtual) ms. */
export const WAIT_MS_DEFAULT = 60_000;
