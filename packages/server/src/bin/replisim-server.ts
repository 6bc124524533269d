/**
 * The replisim-server entry point: `replisim-server [/path/to/redis.conf] [--name value ...]`, as
 * redis-server. It reads the config file, wires the real Env, starts a ServerNode (which listens,
 * then loads `dir/dbfilename`) and installs the signal handlers. This is one of the few files
 * allowed to touch process, node:fs and real time. `replisim-server check-rdb <file>` runs the
 * dump checker instead (check-rdb.ts), as redis-check-rdb.
 *
 * Signals, as Redis's sigShutdownHandler: SIGTERM and SIGINT schedule a shutdown that the next cron
 * tick runs with shutdown-on-sigterm / shutdown-on-sigint's flags (by default: save if save rules
 * exist); if that save fails the server keeps running. A second SIGINT while one is pending exits
 * at once with status 1, without saving.
 *
 * Exit codes: 0 after a clean shutdown; 1 on a bad option, an unreadable config file, a port in
 * use, a dump that cannot be loaded (corrupt, truncated, bad CRC: the file is left as it is), or a
 * second SIGINT.
 */
import {
  appendFileSync,
  readdirSync,
  readFileSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { createRealEnv, createRealOpenFilesLimit } from '@replisim/base/real';
import { formatConfigError, type IncludeResult, loadConfig } from '../config/load-config.js';
import { formatLogLine } from '../log.js';
import { REDIS_VERSION, ServerNode } from '../node.js';
import { signalShutdown } from '../shutdown.js';
import { globMatch } from '../util/glob.js';
import { runCheckRdb } from './check-rdb.js';

const USAGE = `Usage: replisim-server [/path/to/redis.conf] [options]
       replisim-server - (read config from stdin)
       replisim-server -v or --version
       replisim-server -h or --help
       replisim-server check-rdb <file.rdb> (check a dump, as redis-check-rdb; exit 0 if sound)

Examples:
       replisim-server (run the server with default config)
       replisim-server /etc/redis/6379.conf
       replisim-server --port 7777
       replisim-server --port 0 (pick a free port and log it)
       replisim-server /etc/myredis.conf --loglevel verbose --save "900 1"
`;

export interface MainOptions {
  /** Printed after the server is listening, e.g. how to connect (used by `npm start`). */
  readonly banner?: (port: number) => string;
}

/** Runs the server until a signal stops it. Returns nothing; exits the process on fatal errors. */
export function main(args: readonly string[], options: MainOptions = {}): void {
  const first = args[0];
  if (first === '-v' || first === '--version') {
    process.stdout.write(
      `replisim-server v=${REDIS_VERSION} (replisim 0.1.0, Redis ${REDIS_VERSION} compatible)\n`,
    );
    return;
  }
  if (first === '-h' || first === '--help') {
    process.stdout.write(USAGE);
    return;
  }
  if (first === 'check-rdb') {
    process.exitCode = runCheckRdb(args.slice(1), (text) => process.stdout.write(text));
    return;
  }
  let fileText = '';
  let configPath = '';
  let rest = args;
  if (first !== undefined && !first.startsWith('--')) {
    configPath = first === '-' ? '-' : resolve(first);
    try {
      // Byte strings throughout: the server keeps every value as latin1 (one char per byte), so a
      // UTF-8 password in the file matches the UTF-8 bytes a client sends.
      fileText = readFileSync(first === '-' ? 0 : configPath, 'latin1');
    } catch (error) {
      const reason = describeFsError(error);
      const message = `Fatal error, can't open config file '${first}': ${reason}`;
      process.stderr.write(`${formatLogLine(process.pid, 'C', Date.now(), 'warning', message)}\n`);
      process.exit(1);
    }
    rest = args.slice(1);
  }
  rest = rest.map((arg) => Buffer.from(arg, 'utf8').toString('latin1'));
  const loaded = loadConfig(fileText, rest, { isDirectory, readInclude, canAppend });
  if (!loaded.ok) {
    const message = loaded.error.plain
      ? formatLogLine(process.pid, 'C', Date.now(), 'warning', loaded.error.reason)
      : formatConfigError(loaded.error, REDIS_VERSION);
    process.stderr.write(`${message}\n`);
    process.exit(1);
  }
  const config = loaded.config;
  config.configFile = configPath === '-' ? '' : configPath;
  // Redis chdir()s into `dir` at start, so CONFIG GET dir shows the absolute path.
  config.dir = resolve(config.dir);
  if (config.daemonize) {
    process.stderr.write(
      'daemonize yes is not supported: run replisim-server under a supervisor or with &\n',
    );
    process.exit(1);
  }
  const sink =
    config.logfile === ''
      ? (line: string) => process.stdout.write(`${line}\n`)
      : (line: string) => appendFileSync(config.logfile, `${line}\n`);
  const early = (message: string) =>
    sink(formatLogLine(process.pid, 'C', Date.now(), 'warning', message));
  early('oO0OoO0OoO0Oo replisim is starting oO0OoO0OoO0Oo');
  early(
    `replisim 0.1.0 (Redis ${REDIS_VERSION} compatible), bits=64, pid=${process.pid}, just started`,
  );
  early(
    configPath === ''
      ? 'Warning: no config file specified, using the default config. In order to specify a config file use replisim-server /path/to/redis.conf'
      : 'Configuration loaded',
  );
  // createPidFile: a pid file that cannot be written is logged, not fatal.
  let pidfileWritten = false;
  if (config.pidfile !== '') {
    try {
      writeFileSync(config.pidfile, `${process.pid}\n`);
      pidfileWritten = true;
    } catch (error) {
      early(`Failed to write PID file: ${describeFsError(error)}`);
    }
  }
  warnAboutSomaxconn(config.tcpBacklog, early);
  const node = new ServerNode({
    env: createRealEnv(),
    config,
    logSink: sink,
    pid: process.pid,
    executable: process.argv[1] ?? '',
    onListening: (port) => {
      node.log('notice', `Running mode=standalone, port=${port}.`);
      node.log('warning', 'Server initialized');
    },
    exit: (code) => {
      // prepareForShutdown removes the pid file on a clean shutdown.
      if (code === 0 && pidfileWritten) {
        node.log('notice', 'Removing the pid file.');
        try {
          unlinkSync(config.pidfile);
        } catch {
          // Already gone: nothing to remove.
        }
      }
      process.exit(code);
    },
    openFiles: createRealOpenFilesLimit(),
  });
  node.start((result) => {
    if (!result.ok) {
      // A dump that could not be loaded was logged line by line by the loader.
      if (result.logged !== true) node.log('warning', result.message);
      process.exit(1);
    }
    node.log('notice', 'Ready to accept connections tcp');
    if (options.banner !== undefined) process.stdout.write(`${options.banner(result.port)}\n`);
  });
  installSignalHandlers(node);
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * `include <path>`, as loadServerConfig: a path with * ? or [ in its last part names every file of
 * that folder matching it, in name order (none is fine); any other path must be readable.
 */
function readInclude(path: string): IncludeResult {
  const cannotOpen = (file: string, error: unknown): IncludeResult => ({
    ok: false,
    message: `Fatal error, can't open config file '${file}': ${describeFsError(error)}`,
  });
  if (!/[*?[]/.test(path)) {
    try {
      return { ok: true, texts: [readFileSync(path, 'latin1')] };
    } catch (error) {
      return cannotOpen(path, error);
    }
  }
  let names: string[];
  try {
    names = readdirSync(dirname(path)).sort();
  } catch {
    return { ok: true, texts: [] };
  }
  const texts: string[] = [];
  for (const name of names) {
    if (!globMatch(basename(path), name, false)) continue;
    const file = join(dirname(path), name);
    try {
      texts.push(readFileSync(file, 'latin1'));
    } catch (error) {
      return cannotOpen(file, error);
    }
  }
  return { ok: true, texts };
}

/** The log file check of loadServerConfigFromString: fopen(logfile, "a") must succeed. */
function canAppend(path: string): string | undefined {
  try {
    appendFileSync(path, '');
    return undefined;
  } catch (error) {
    return describeFsError(error);
  }
}

/** checkTcpBacklogSettings: Redis warns when the kernel caps the listen backlog lower. */
function warnAboutSomaxconn(backlog: number, log: (message: string) => void): void {
  let somaxconn: number;
  try {
    somaxconn = Number(readFileSync('/proc/sys/net/core/somaxconn', 'latin1').trim());
  } catch {
    return;
  }
  if (Number.isFinite(somaxconn) && somaxconn < backlog) {
    log(
      `WARNING: The TCP backlog setting of ${backlog} cannot be enforced because /proc/sys/net/core/somaxconn is set to the lower value of ${somaxconn}.`,
    );
  }
}

/** The C library's wording for the errors a config file open can hit. */
function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'No such file or directory';
  if (code === 'EACCES') return 'Permission denied';
  if (code === 'EISDIR') return 'Is a directory';
  return (error as Error).message;
}

/** SIGTERM and SIGINT go to the node (shutdown.ts), which runs the shutdown on its next cron. */
function installSignalHandlers(node: ServerNode): void {
  process.on('SIGINT', () => signalShutdown(node, 'SIGINT'));
  process.on('SIGTERM', () => signalShutdown(node, 'SIGTERM'));
}
