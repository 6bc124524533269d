/**
 * `createRealEnv()`: the Env `replisim-server` runs on (node:net, node:fs, real time).
 */
import type { Env } from '../env.js';
import { createRealDisk } from './real-disk.js';
import { createRealNetwork } from './real-network.js';
import { createRealRandom } from './real-random.js';
import { createRealClock, createRealTimers } from './real-time.js';

export interface RealEnvOptions {
  /** Where the disk resolves relative paths; default the process's working directory. */
  readonly cwd?: string;
  /** Seeds the Random (to reproduce generated ids); default a seed from the operating system. */
  readonly seed?: bigint;
}

export function createRealEnv(options: RealEnvOptions = {}): Env {
  return {
    clock: createRealClock(),
    timers: createRealTimers(),
    network: createRealNetwork(),
    disk: createRealDisk(options.cwd === undefined ? {} : { cwd: options.cwd }),
    random: createRealRandom(options.seed),
    cpuUsage: () => {
      const usage = process.cpuUsage();
      return { userSeconds: usage.user / 1e6, systemSeconds: usage.system / 1e6 };
    },
  };
}
