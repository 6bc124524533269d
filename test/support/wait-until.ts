/**
 * Polling for a condition another process brings about (a replica's link coming up, an offset
 * reached, an INFO field changing): real servers give no event to wait on, so the test asks again
 * every few milliseconds until the predicate holds or the time is up. The error names what was
 * awaited, which is what a failing run needs to say.
 */

const POLL_INTERVAL_MS = 20;

/** Resolves once `predicate` is true; rejects with "timed out waiting for <what>" after `timeoutMs`. */
export async function waitUntil(
  what: string,
  predicate: () => boolean | Promise<boolean>,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
}
