/**
 * The slow log (Redis's slowlog.c): the commands that ran for at least `slowlog-log-slower-than`
 * microseconds, newest first, at most `slowlog-max-len` of them. call() times every command it runs
 * with the Env's monotonic clock (so a simulated command takes the virtual time the simulation
 * charges it, usually 0) and offers it here. Each entry keeps at most SLOWLOG_ARGC_MAX arguments and
 * SLOWLOG_ARG_BYTES_MAX bytes of each, and the arguments Redis redacts (passwords) as `(redacted)`.
 */
import type { Client } from '../client.js';
import type { ServerConfig } from '../config/server-config.js';

/** Redis's SLOWLOG_ENTRY_MAX_ARGC: the last kept slot says how many more arguments there were. */
export const SLOWLOG_ARGC_MAX = 32;
/** Redis's SLOWLOG_ENTRY_MAX_STRING: longer arguments are cut and say how many bytes were cut. */
export const SLOWLOG_ARG_BYTES_MAX = 128;

export interface SlowlogEntry {
  readonly id: number;
  /** Unix seconds when the command was logged. */
  readonly timeSeconds: number;
  readonly durationUs: number;
  readonly argv: readonly Buffer[];
  /** ip:port of the client. */
  readonly peer: string;
  readonly clientName: string;
}

const REDACTED = Buffer.from('(redacted)');

/** The parameters whose CONFIG SET values Redis redacts (SENSITIVE_CONFIG). */
const SENSITIVE_PARAMS: ReadonlySet<string> = new Set(['masterauth', 'masteruser', 'requirepass']);

/**
 * argv as Redis keeps it for the slow log and MONITOR: AUTH's arguments, HELLO's AUTH pair, ACL
 * SETUSER's name and rules and the
 * values of sensitive CONFIG SET parameters replaced by `(redacted)` (redactClientCommandArgument).
 */
export function redactArgv(fullName: string, argv: readonly Buffer[]): readonly Buffer[] {
  if (fullName === 'auth') return argv.map((arg, i) => (i === 0 ? arg : REDACTED));
  if (fullName === 'hello') {
    const out = [...argv];
    for (let i = 2; i < out.length; i++) {
      const option = (out[i]?.toString('latin1') ?? '').toLowerCase();
      if (option === 'auth' && i + 2 < out.length) {
        out[i + 1] = REDACTED;
        out[i + 2] = REDACTED;
        i += 2;
      } else if (option === 'setname') {
        i += 1;
      }
    }
    return out;
  }
  // ACL SETUSER: the user name and every rule (passwords among them), from the start.
  if (fullName === 'acl|setuser') return argv.map((arg, i) => (i < 2 ? arg : REDACTED));
  if (fullName === 'config|set') {
    return argv.map((arg, i) => {
      if (i < 3 || i % 2 === 0) return arg;
      const name = argv[i - 1]?.toString('latin1').toLowerCase() ?? '';
      return SENSITIVE_PARAMS.has(name) ? REDACTED : arg;
    });
  }
  return argv;
}

/** The arguments an entry keeps (slowlogCreateEntry). */
function keptArgs(argv: readonly Buffer[]): Buffer[] {
  const kept = Math.min(argv.length, SLOWLOG_ARGC_MAX);
  const out: Buffer[] = [];
  for (let j = 0; j < kept; j++) {
    const arg = argv[j] ?? Buffer.alloc(0);
    if (kept !== argv.length && j === kept - 1) {
      out.push(Buffer.from(`... (${argv.length - kept + 1} more arguments)`));
    } else if (arg.length > SLOWLOG_ARG_BYTES_MAX) {
      const more = Buffer.from(`... (${arg.length - SLOWLOG_ARG_BYTES_MAX} more bytes)`);
      out.push(Buffer.concat([arg.subarray(0, SLOWLOG_ARG_BYTES_MAX), more]));
    } else {
      out.push(Buffer.from(arg));
    }
  }
  return out;
}

export class SlowLog {
  /** Newest first, as Redis's list (listAddNodeHead). */
  entries: SlowlogEntry[] = [];
  private nextId = 0;

  /** slowlogPushEntryIfNeeded: logs the command if it ran long enough, then trims to the limit. */
  offer(
    config: ServerConfig,
    argv: readonly Buffer[],
    durationUs: number,
    client: Client,
    wallMs: number,
  ): void {
    if (config.slowlogLogSlowerThan < 0 || durationUs < config.slowlogLogSlowerThan) return;
    this.entries.unshift({
      id: this.nextId++,
      timeSeconds: Math.floor(wallMs / 1000),
      durationUs,
      argv: keptArgs(argv),
      peer: client.address(),
      clientName: client.name,
    });
    if (this.entries.length > config.slowlogMaxLen) this.entries.length = config.slowlogMaxLen;
  }

  reset(): void {
    this.entries = [];
  }
}
