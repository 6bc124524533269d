/**
 * The replisim-server binary as an operator uses it: start-up with `--port 0`, a config file with
 * command-line overrides, the errors that stop it (a bad option, a bad config file, a port in use)
 * and the signals that shut it down.
 *
 * Method: spawn packages/server/bin/replisim-server.js (which runs the compiled dist/, so the suite
 * needs `npx tsc -b` first) with a temp dir as its working directory; talk to it over a raw RESP
 * connection; read its exit code, stdout (the log) and stderr. Where redis-server behaves the same
 * way, the same arguments are given to a real redis-server and the outputs are compared: the
 * FATAL CONFIG FILE ERROR blocks byte for byte, log lines without their pid and time prefix, and
 * the configuration the two end up with through CONFIG GET.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatConfigError, loadConfig, REDIS_VERSION } from '@replisim/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pickFreePort } from './support/free-port.js';
import { logMessages } from './support/log-messages.js';
import { type RunResult, runChild } from './support/processes.js';
import { RawClient } from './support/raw-client.js';
import { startRedisServer } from './support/redis-server.js';
import { runReplisimServer, spawnReplisimServer } from './support/replisim-binary.js';

let dir = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'replisim-binary-'));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Runs redis-server with `args` until it exits (for the cases that make it exit at once). */
function runRedisServer(args: readonly string[]): Promise<RunResult> {
  return runChild('redis-server', args, { cwd: dir, timeoutMs: 10_000 });
}

/**
 * Configuration-error cases run through the binary; the others are checked in process with the
 * loadConfig and formatConfigError the binary prints them with (bin/replisim-server.ts). A Node
 * start costs half a CPU second of module loading, so ten binaries at once took over 20 s on a
 * loaded 2-core machine; redis-server still runs every case.
 */
const BINARY_CASES = 2;

/** What the binary would do with `fileText` and `args`: exit 1 with the FATAL block on stderr. */
async function inProcess(fileText: string, args: readonly string[]): Promise<RunResult> {
  const loaded = loadConfig(fileText, args);
  if (loaded.ok) return { code: 0, signal: null, stdout: '', stderr: '' };
  return {
    code: 1,
    signal: null,
    stdout: '',
    stderr: `${formatConfigError(loaded.error, REDIS_VERSION)}\n`,
  };
}

describe('start-up and shutdown', () => {
  it('prints its version with --version and usage with --help', async () => {
    const version = await runReplisimServer(['--version'], { cwd: dir });
    expect(version.code).toBe(0);
    expect(version.stdout).toMatch(/^replisim-server v=7\.0\.15 /);
    const help = await runReplisimServer(['--help'], { cwd: dir });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: replisim-server [/path/to/redis.conf] [options]');
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`starts on --port 0, logs the port, serves, and exits 0 on ${signal}`, async () => {
      // No save rules: with Redis's defaults the signal would save first (persistence-binary.test.ts).
      const server = await spawnReplisimServer(
        ['--port', '0', '--bind', '127.0.0.1', '--save', ''],
        { cwd: dir },
      );
      try {
        expect(server.port).toBeGreaterThan(0);
        const client = await RawClient.connect(server.port);
        expect((await client.call('PING')).bytes.toString()).toBe('+PONG\r\n');
        expect((await client.call('SET', 'k', 'v')).bytes.toString()).toBe('+OK\r\n');
        const port = String(server.port);
        expect((await client.call('CONFIG', 'GET', 'port')).bytes.toString()).toBe(
          `*2\r\n$4\r\nport\r\n$${port.length}\r\n${port}\r\n`,
        );
        client.close();
      } finally {
        const status = await server.stop(signal);
        expect(status).toEqual({ code: 0, signal: null });
      }
      const log = logMessages(server.process.stdout());
      expect(log).toContain(`Running mode=standalone, port=${server.port}.`);
      expect(log.slice(-3)).toEqual([
        `Received ${signal} scheduling shutdown...`,
        'User requested shutdown...',
        'Redis is now ready to exit, bye bye...',
      ]);
      expect(server.process.stderr()).toBe('');
    });
  }
});

describe('configuration', () => {
  const CONFIG_FILE = [
    '# replisim and redis-server read the same file',
    'hz 20',
    'timeout 30',
    '  save 900 1',
    'save 300 10',
    'maxclients 50',
    'requirepass "pass word"',
    'client-output-buffer-limit normal 1mb 512kb 10',
    '',
  ].join('\n');
  // loglevel verbose, not warning: the port line is a notice, and --port 0 needs it to be found.
  const OVERRIDES = [
    '--bind',
    '127.0.0.1',
    '--timeout',
    '60',
    '--save',
    '60 5',
    '--loglevel',
    'verbose',
  ];
  const NAMES = [
    'hz',
    'timeout',
    'save',
    'maxclients',
    'requirepass',
    'loglevel',
    'client-output-buffer-limit',
    'bind',
  ];

  async function configOf(port: number): Promise<string[]> {
    const client = await RawClient.connect(port);
    try {
      expect((await client.call('AUTH', 'pass word')).bytes.toString()).toBe('+OK\r\n');
      const values: string[] = [];
      for (const name of NAMES) {
        values.push((await client.call('CONFIG', 'GET', name)).bytes.toString('latin1'));
      }
      return values;
    } finally {
      client.close();
    }
  }

  it('reads a config file, lets --options override it, and ends up where redis-server does', async () => {
    const path = join(dir, 'replisim.conf');
    writeFileSync(path, CONFIG_FILE);
    const replisim = await spawnReplisimServer([path, '--port', '0', ...OVERRIDES], { cwd: dir });
    const redis = await startRedisServer(OVERRIDES, { configFile: path }).catch(
      async (error: unknown) => {
        await replisim.stop();
        throw error;
      },
    );
    try {
      const ours = await configOf(replisim.port);
      expect(ours).toEqual(await configOf(redis.port));
      // The file's values, then the command line's: timeout replaced, save rules appended.
      expect(ours[1]).toBe('*2\r\n$7\r\ntimeout\r\n$2\r\n60\r\n');
      expect(ours[2]).toBe('*2\r\n$4\r\nsave\r\n$17\r\n900 1 300 10 60 5\r\n');
      const client = await RawClient.connect(replisim.port);
      await client.call('AUTH', 'pass word');
      const info = (await client.call('INFO', 'server')).value;
      client.close();
      expect(info.kind === 'bulk' ? info.value.toString() : '').toContain(
        `config_file:${path}\r\n`,
      );
    } finally {
      await redis.stop();
      expect(await replisim.stop()).toEqual({ code: 0, signal: null });
    }
    expect(logMessages(replisim.process.stdout())).toContain('Ready to accept connections tcp');
  });

  it('rejects a bad option with exit code 1 and the FATAL CONFIG FILE ERROR block of redis-server', async () => {
    const cases = [
      ['--port', '0', '--hz', 'abc'],
      ['--port', '0', '--nosuch', '1'],
      ['--port', '0', '--timeout'],
      ['--port', '0', '--save', '10'],
      ['--port', '0', '--save', 'a', 'b'],
      ['--port', '0', '--save', '1', '-1'],
      ['--port', '0', '--hz', '1', '2'],
      ['--port', '0', '--client-output-buffer-limit', 'foo'],
      ['--port', '0', '--maxclients', '0'],
      ['--port', '0', '--loglevel', 'loud'],
    ];
    // Each case exits at once, so all of them run side by side.
    const results = await Promise.all(
      cases.map((args, index) =>
        Promise.all([
          index < BINARY_CASES ? runReplisimServer(args, { cwd: dir }) : inProcess('', args),
          runRedisServer(args),
        ]),
      ),
    );
    for (const [index, [ours, theirs]] of results.entries()) {
      const label = cases[index]?.join(' ');
      expect(ours.code, label).toBe(1);
      expect(theirs.code, label).toBe(1);
      expect(ours.stderr, label).toContain('*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***');
      expect(ours.stderr, label).toBe(theirs.stderr);
      expect(ours.stdout, label).toBe('');
    }
  });

  it('rejects a bad config file line as redis-server does', async () => {
    const cases = [
      'hz 20\nfoo bar\n',
      'hz "20\n',
      'port 0\nsave 900\n',
      'hz\n',
      'save 900 1\nsave ""\nsave 1 x\n',
      'requirepass "a b" c\n',
      'databases 0\n',
    ];
    const results = await Promise.all(
      cases.map((text, index) => {
        const path = join(dir, `bad-${index}.conf`);
        writeFileSync(path, text);
        return Promise.all([
          index < BINARY_CASES ? runReplisimServer([path], { cwd: dir }) : inProcess(text, []),
          runRedisServer([path]),
        ]);
      }),
    );
    for (const [index, [ours, theirs]] of results.entries()) {
      expect(ours.code, cases[index]).toBe(1);
      expect(ours.stderr, cases[index]).toBe(theirs.stderr);
    }
  });

  it('exits 1 when the config file cannot be read', async () => {
    const missing = join(dir, 'missing.conf');
    const result = await runReplisimServer([missing], { cwd: dir });
    expect(result.code).toBe(1);
    // redis-server logs "<pid>:C <time> # Fatal error, can't open config file '<path>': No such
    // file or directory"; replisim prints the same start without the log prefix (see the report).
    expect(`${result.stdout}${result.stderr}`).toContain(
      `Fatal error, can't open config file '${missing}'`,
    );
  });
});

describe('a port already in use', () => {
  let holder: Server | undefined;
  let port = 0;

  beforeAll(async () => {
    port = await pickFreePort();
    const server = createServer();
    holder = server;
    await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port }, resolve));
  });

  afterAll(async () => {
    await new Promise((resolve) => holder?.close(resolve));
  });

  it('makes the binary exit 1 with the same messages as redis-server', async () => {
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', ''];
    const [ours, theirs] = await Promise.all([
      runReplisimServer(args, { cwd: dir }),
      runRedisServer(args),
    ]);
    expect(ours.code).toBe(1);
    expect(theirs.code).toBe(1);
    const expected = [
      `Warning: Could not create server TCP listening socket 127.0.0.1:${port}: bind: Address already in use`,
      `Failed listening on port ${port} (TCP), aborting.`,
    ];
    expect(logMessages(theirs.stdout).slice(-2)).toEqual(expected);
    expect(logMessages(ours.stdout).slice(-2)).toEqual(expected);
  });
});
