/**
 * Assertions that stay on in production (TigerBeetle style). A failed assertion is a programmer
 * error, never an operating error: the harness records it as a `crash` and stops the run.
 */

export class AssertionError extends Error {
  override readonly name = 'AssertionError';
}

/** Throws AssertionError when `condition` is false. Split compound conditions into several calls. */
export function assert(condition: boolean, message?: string): asserts condition {
  if (!condition) throw new AssertionError(message ?? 'assertion failed');
}

/** Marks a branch the type checker proves impossible; reaching it at run time is a bug. */
export function unreachable(value: never, message?: string): never {
  throw new AssertionError(message ?? `unreachable: ${String(value)}`);
}

/**
 * Documents that both outcomes are legal (TigerBeetle's `maybe`). It checks nothing, but it tells the
 * reader that the author thought about the case, and it keeps the condition type-checked.
 */
export function maybe(condition: boolean): void {
  void condition;
}
