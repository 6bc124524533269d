/**
 * The deterministic simulated world (DESIGN.md Principle 1): a virtual-time scheduler, hosts with
 * their own Env, a byte-stream network with faults, and disks with crash semantics.
 *
 * - scheduler.ts      the event queue (event-heap.ts) and trace hash (trace-hash.ts); the only clock
 * - world.ts          SimWorld: seed, hosts, time control, network faults
 * - host.ts           SimHost: one machine, its Env per incarnation, crash and restart
 * - life.ts           an incarnation: what a crash cancels
 * - sim-time.ts       Clock and Timers over the scheduler
 * - sim-network.ts    listeners, connection set-up, the fabric; links.ts (faults), ports.ts
 * - sim-connection.ts one end of a TCP stream; pipe.ts carries one direction of it
 * - sim-disk.ts       a disk's files with current and durable state; sim-file.ts, sim-disk-env.ts
 */
export * from './host.js';
export { Life } from './life.js';
export type { FaultHandle, LatencyRange, LinkFaultKind } from './links.js';
export { SimOpenFilesLimit } from './open-files.js';
export * from './scheduler.js';
export { SimConnection } from './sim-connection.js';
export {
  type DiskObserver,
  type DiskOperation,
  diskError,
  SIM_DISK_DEFAULTS,
  SimDisk,
  type SimDiskFaults,
  type SimDiskOptions,
  type WriteFileSyncOptions,
} from './sim-disk.js';
export { createSimDiskEnv, SimDiskEnv } from './sim-disk-env.js';
export { FileNode } from './sim-file.js';
export { SIM_NETWORK_DEFAULTS, SimNetwork, type SimNetworkOptions } from './sim-network.js';
export { createSimClock, createSimTimers } from './sim-time.js';
export { TraceHash } from './trace-hash.js';
export * from './world.js';
