/**
 * Drives a simulated world until a condition holds. Nodes keep a cron timer, so the world is never
 * idle; a scenario instead runs event by event until what it waits for happened, with a bound on
 * simulated time so a scenario that waits for something impossible ends and says so.
 */
import type { SimWorld } from '@replisim/base';

/** Runs `world` until `predicate()` holds or `durationMsMax` simulated ms passed; returns whether it held. */
export function runUntil(
  world: SimWorld,
  predicate: () => boolean,
  durationMsMax: number,
): boolean {
  const deadline = world.now() + durationMsMax;
  while (!predicate()) {
    const next = world.scheduler.nextTimeMs();
    if (next === undefined || next > deadline) {
      world.runUntil(deadline);
      return predicate();
    }
    world.step();
  }
  return true;
}
