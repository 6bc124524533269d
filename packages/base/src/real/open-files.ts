/**
 * The real descriptor limit (RLIMIT_NOFILE) for Redis's adjustOpenFilesLimit
 * (server/src/open-files.ts). Node has no getrlimit/setrlimit, so on Linux:
 * - `current` reads the soft limit from /proc/self/limits. Node already raised its soft limit to
 *   the hard one when it started, which is as far as an unprivileged process can go.
 * - `set` applies the kernel's own rules first, without a process: above fs.nr_open, or above the
 *   hard limit without CAP_SYS_RESOURCE, setrlimit fails with EPERM. Otherwise it runs util-linux's
 *   `prlimit --pid <self> --nofile=N:N`, which calls prlimit(2) on this process.
 * Elsewhere (no /proc) `current` fails, and the node assumes 1024 as Redis does.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { OpenFilesLimit } from '../env.js';

/** strerror(EPERM). */
const EPERM_TEXT = 'Operation not permitted';
/** CAP_SYS_RESOURCE's bit in /proc/self/status CapEff: it allows raising a hard limit. */
const CAP_SYS_RESOURCE = 24n;
/** How long the prlimit tool may take, in ms. */
const PRLIMIT_TIMEOUT_MS = 5000;

export function createRealOpenFilesLimit(): OpenFilesLimit {
  return {
    current: () => {
      const limits = readLimits();
      return typeof limits === 'string'
        ? { ok: false, error: limits }
        : { ok: true, value: limits.soft };
    },
    set: (limit) => setLimit(limit),
  };
}

function readLimits(): { soft: number; hard: number } | string {
  let text: string;
  try {
    text = readFileSync('/proc/self/limits', 'latin1');
  } catch (error) {
    return (error as Error).message;
  }
  const match = /^Max open files\s+(\S+)\s+(\S+)/m.exec(text);
  if (match === null) return 'no open files limit in /proc/self/limits';
  const parse = (word: string | undefined): number =>
    word === 'unlimited' ? Number.MAX_SAFE_INTEGER : Number(word);
  return { soft: parse(match[1]), hard: parse(match[2]) };
}

function readNumber(path: string): number | undefined {
  try {
    const value = Number(readFileSync(path, 'latin1').trim());
    return Number.isFinite(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function hasCapSysResource(): boolean {
  try {
    const match = /^CapEff:\s+([0-9a-f]+)$/m.exec(readFileSync('/proc/self/status', 'latin1'));
    if (match?.[1] === undefined) return false;
    return ((BigInt(`0x${match[1]}`) >> CAP_SYS_RESOURCE) & 1n) === 1n;
  } catch {
    return false;
  }
}

function setLimit(limit: number): string | undefined {
  const limits = readLimits();
  if (typeof limits === 'string') return limits;
  const nrOpen = readNumber('/proc/sys/fs/nr_open');
  if (nrOpen !== undefined && limit > nrOpen) return EPERM_TEXT;
  if (limit > limits.hard && !hasCapSysResource()) return EPERM_TEXT;
  const run = spawnSync('prlimit', ['--pid', String(process.pid), `--nofile=${limit}:${limit}`], {
    encoding: 'latin1',
    timeout: PRLIMIT_TIMEOUT_MS,
  });
  if (run.error !== undefined) return run.error.message;
  if (run.status === 0) return undefined;
  // prlimit: failed to set the NOFILE resource limit: Operation not permitted
  const stderr = run.stderr.trim();
  const colon = stderr.lastIndexOf(': ');
  return colon >= 0 ? stderr.slice(colon + 2) : stderr;
}
