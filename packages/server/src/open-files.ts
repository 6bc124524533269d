/**
 * Redis's adjustOpenFilesLimit (server.c), run when a node starts: a node needs a descriptor per
 * client plus CONFIG_MIN_RESERVED_FDS for itself (listeners, files, the runtime), so it tries to
 * raise the limit to maxclients + 32, lowering its aim by 16 after each refusal, and if it cannot
 * reach that, lowers maxclients to fit, with Redis's three warning lines:
 *
 *   You requested maxclients of 10000 requiring at least 10032 max file descriptors.
 *   Server can't set maximum open files to 10032 because of OS error: Operation not permitted.
 *   Current maximum open files is 1024. maxclients has been reduced to 992 to compensate for low ulimit. If you need higher maxclients increase 'ulimit -n'.
 *
 * Clients past the lowered maxclients then get -ERR max number of clients reached (node.ts), so
 * descriptors never run out under the clients. A limit of 32 or less cannot serve a client at all:
 * the start fails, as redis-server exits. The limit itself comes from the embedder (NodeOptions
 * openFiles): the binary passes the real one (base/src/real/open-files.ts), a simulation a fixed
 * one; without one the node does not check.
 */
import type { OpenFilesLimit } from '@replisim/base';

/** Descriptors Redis keeps for itself beyond one per client (server.h). */
export const CONFIG_MIN_RESERVED_FDS = 32;
/** How much lower each next setrlimit attempt aims (adjustOpenFilesLimit's decr_step). */
const DECREMENT_STEP = 16;
/** What Redis assumes when the limit cannot be read. */
const ASSUMED_LIMIT = 1024;

export type AdjustResult =
  | { readonly ok: true; readonly maxclients: number }
  | { readonly ok: false; readonly message: string };

type Log = (level: 'notice' | 'warning', message: string) => void;

/** The maxclients the node can honour under `limits`, after trying to raise them; logs as Redis. */
export function adjustOpenFilesLimit(
  maxclients: number,
  limits: OpenFilesLimit,
  log: Log,
): AdjustResult {
  const maxfiles = maxclients + CONFIG_MIN_RESERVED_FDS;
  const current = limits.current();
  if (!current.ok) {
    log(
      'warning',
      `Unable to obtain the current NOFILE limit (${current.error}), assuming 1024 and setting the max clients configuration accordingly.`,
    );
    return { ok: true, maxclients: ASSUMED_LIMIT - CONFIG_MIN_RESERVED_FDS };
  }
  const oldlimit = current.value;
  if (oldlimit >= maxfiles) return { ok: true, maxclients };
  let bestlimit = maxfiles;
  let setError = '';
  while (bestlimit > oldlimit) {
    const error = limits.set(bestlimit);
    if (error === undefined) break;
    setError = error;
    if (bestlimit < DECREMENT_STEP) {
      bestlimit = oldlimit;
      break;
    }
    bestlimit -= DECREMENT_STEP;
  }
  if (bestlimit < oldlimit) bestlimit = oldlimit;
  if (bestlimit >= maxfiles) {
    log(
      'notice',
      `Increased maximum number of open files to ${maxfiles} (it was originally set to ${oldlimit}).`,
    );
    return { ok: true, maxclients };
  }
  if (bestlimit <= CONFIG_MIN_RESERVED_FDS) {
    const message = `Your current 'ulimit -n' of ${oldlimit} is not enough for the server to start. Please increase your open file limit to at least ${maxfiles}. Exiting.`;
    log('warning', message);
    return { ok: false, message };
  }
  const reduced = bestlimit - CONFIG_MIN_RESERVED_FDS;
  log(
    'warning',
    `You requested maxclients of ${maxclients} requiring at least ${maxfiles} max file descriptors.`,
  );
  log(
    'warning',
    `Server can't set maximum open files to ${maxfiles} because of OS error: ${setError}.`,
  );
  log(
    'warning',
    `Current maximum open files is ${bestlimit}. maxclients has been reduced to ${reduced} to compensate for low ulimit. If you need higher maxclients increase 'ulimit -n'.`,
  );
  return { ok: true, maxclients: reduced };
}
