/**
 * @replisim/base: the Env that separates replisim's logic from the world it runs in.
 *
 * - env.ts      the interfaces: Clock, Timers, Network, Disk, Random, Env
 * - assert.ts   assertions that stay on
 * - random/     the seeded PRNG (xoshiro128**) and seed parsing
 * - real/       adapters over node:net, node:fs and real time (the only IO in the codebase)
 * - sim/        the deterministic simulated world: one virtual-time event queue, network, disk, PRNG
 *
 * Importing this module has no side effects: real/ only loads node:net and node:fs.
 */
export * from './assert.js';
export type * from './env.js';
export * from './random/index.js';
export * from './real/index.js';
export * from './sim/index.js';
