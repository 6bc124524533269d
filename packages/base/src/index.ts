/**
 * @replisim/base: the Env that separates replisim's logic from the world it runs in.
 *
 * - env.ts      the interfaces: Clock, Timers, Network, Disk, Random, Env
 * - assert.ts   assertions that stay on
 * - random/     the seeded PRNG (xoshiro128**) and seed parsing
 * - real/       adapters over node:net, node:fs and real time (the only IO in the codebase), at
 *               the separate entry point `@replisim/base/real`, so core code never loads node:net
 * - sim/        the deterministic simulated world: one virtual-time event queue, network, disk, PRNG;
 *               also at `@replisim/base/sim`, and re-exported here because it does no IO
 *
 * Importing this module has no side effects and loads neither node:net nor node:fs.
 */
export * from './assert.js';
export type * from './env.js';
export * from './random/index.js';
export * from './sim/index.js';
