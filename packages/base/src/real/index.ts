/**
 * The real Env: adapters over node:net, node:fs and real time. The only code in replisim (besides
 * the binaries' bin/ entry points) allowed to touch them; see the fence test (test/fence.test.ts).
 */

export { createRealOpenFilesLimit } from './open-files.js';
export { RealConnection, toNetError } from './real-connection.js';
export { createRealDisk, type RealDiskOptions, toDiskError } from './real-disk.js';
export { createRealEnv, type RealEnvOptions } from './real-env.js';
export { createRealNetwork } from './real-network.js';
export { createRealRandom, createRealSeed } from './real-random.js';
export { createRealClock, createRealTimers } from './real-time.js';
