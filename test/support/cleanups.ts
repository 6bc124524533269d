/**
 * What a test started and must stop: servers, connections, temp directories. Each is registered
 * right after it is made, so a test that fails halfway still stops exactly what it started; `run`
 * (from afterEach or afterAll) undoes them newest first, as a stack unwinds.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type CleanupStep = () => Promise<void> | void;

export class Cleanups {
  private readonly steps: CleanupStep[] = [];

  /** Registers `step` to run at the next `run`. */
  add(step: CleanupStep): void {
    this.steps.push(step);
  }

  /** A fresh directory under the OS temp dir, removed at the next `run`. */
  tempDir(prefix: string): string {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    this.add(() => rmSync(dir, { recursive: true, force: true }));
    return dir;
  }

  /** Runs every registered step, newest first, and forgets them. */
  async run(): Promise<void> {
    for (const step of this.steps.splice(0).reverse()) await step();
  }
}
