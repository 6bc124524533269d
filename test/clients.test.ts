/**
 * Real Redis clients against replisim: what users will point at it must work unmodified.
 *
 * Method: one in-process replisim node on the real Env (127.0.0.1, an OS-picked port), then
 * - ioredis 6 over RESP3 (its default: HELLO 3, CLIENT SETINFO, an INFO ready check) and over
 *   RESP2 (`protocol: 2`), and with a password against a requirepass node (HELLO 3 AUTH): set, get,
 *   del, binary values, pipelines, MULTI-free batches in several databases, errors as rejections;
 * - redis-cli: single commands (RESP2 and `-3`), commands piped on stdin as a user would type them,
 *   and `--pipe` mass insertion of 10,000 SETs, whose summary line must report no errors;
 * - a short redis-benchmark run (-t set,get) that must complete without errors.
 * Every process and connection the file starts is stopped in afterAll / finally blocks.
 */
import { Redis, type RedisOptions } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runChild } from './support/processes.js';
import { type ReplisimNode, startReplisimNode } from './support/replisim-node.js';

let server: ReplisimNode | undefined;
let secured: ReplisimNode | undefined;

function port(): number {
  if (server === undefined) throw new Error('server not started');
  return server.port;
}

beforeAll(async () => {
  [server, secured] = await Promise.all([
    startReplisimNode(['--save', '']),
    startReplisimNode(['--save', '', '--requirepass', 'secret']),
  ]);
});

afterAll(() => {
  server?.stop();
  secured?.stop();
});

/**
 * ioredis's options minus replyMapping: its constructor re-declares that key without `| undefined`,
 * which RedisOptions cannot satisfy under exactOptionalPropertyTypes (these tests do not use it).
 */
type ClientOptions = Omit<RedisOptions, 'replyMapping'>;

/** An ioredis client that fails fast instead of retrying forever, closed by `use`'s caller. */
function ioredis(options: ClientOptions = {}): Redis {
  const merged: ClientOptions = {
    host: '127.0.0.1',
    port: port(),
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    ...options,
  };
  return new Redis(merged);
}

async function use<T>(client: Redis, body: (client: Redis) => Promise<T>): Promise<T> {
  await client.connect();
  try {
    return await body(client);
  } finally {
    client.disconnect();
  }
}

function redisCli(args: readonly string[], input?: string) {
  return runChild('redis-cli', ['-h', '127.0.0.1', '-p', String(port()), ...args], {
    ...(input === undefined ? {} : { input }),
    timeoutMs: 20_000,
  });
}

describe('ioredis 6', () => {
  for (const protocol of [3, 2] as const) {
    it(`speaks RESP${protocol}: set, get, del, binary values, errors`, async () => {
      await use(ioredis({ protocol, db: 1 }), async (client) => {
        await client.flushall();
        const info = await client.client('INFO');
        expect(info).toContain(` resp=${protocol}`);
        expect(info).toContain(' db=1 ');
        expect(await client.set('greeting', 'hello')).toBe('OK');
        expect(await client.get('greeting')).toBe('hello');
        expect(await client.set('greeting', 'again', 'NX')).toBeNull();
        expect(await client.set('greeting', 'world', 'GET')).toBe('hello');
        const binary = Buffer.from([0, 1, 2, 0xfe, 0xff, 0x0d, 0x0a]);
        await client.set(Buffer.from('bin\xff', 'latin1'), binary);
        expect(await client.getBuffer(Buffer.from('bin\xff', 'latin1'))).toEqual(binary);
        expect(await client.exists('greeting', 'nope', 'greeting')).toBe(2);
        expect(await client.del('greeting', 'nope')).toBe(1);
        expect(await client.get('greeting')).toBeNull();
        await expect(client.set('k', 'v', 'EX', 0)).rejects.toThrow(
          "ERR invalid expire time in 'set' command",
        );
        await expect(client.call('NOSUCH', 'x')).rejects.toThrow(/unknown command 'NOSUCH'/);
        expect(await client.flushdb()).toBe('OK');
      });
    });

    it(`pipelines and switches databases over RESP${protocol}`, async () => {
      await use(ioredis({ protocol }), async (client) => {
        await client.flushall();
        const pipeline = client.pipeline();
        for (let i = 0; i < 500; i++) pipeline.set(`key:${i}`, `value:${i}`);
        pipeline.select(2);
        pipeline.set('key:0', 'in db 2');
        pipeline.select(0);
        for (let i = 0; i < 500; i++) pipeline.get(`key:${i}`);
        pipeline.set('k', 'v', 'PX', 'bad');
        pipeline.dbsize();
        const results = await pipeline.exec();
        if (results === null) throw new Error('pipeline was discarded');
        expect(results).toHaveLength(1005);
        expect(
          results.slice(0, 500).every(([error, reply]) => error === null && reply === 'OK'),
        ).toBe(true);
        expect(results.slice(503, 1003).map(([, reply]) => reply)).toEqual(
          Array.from({ length: 500 }, (_, i) => `value:${i}`),
        );
        expect(results[1003]?.[0]?.message).toBe('ERR value is not an integer or out of range');
        expect(results[1004]).toEqual([null, 500]);
        await client.select(2);
        expect(await client.get('key:0')).toBe('in db 2');
        expect(await client.flushall()).toBe('OK');
      });
    });
  }

  it('handles many concurrent commands on one connection (auto-pipelining)', async () => {
    await use(ioredis({ enableAutoPipelining: true }), async (client) => {
      await client.flushall();
      const writes = Array.from({ length: 2000 }, (_, i) => client.set(`auto:${i}`, String(i)));
      expect(new Set(await Promise.all(writes))).toEqual(new Set(['OK']));
      const reads = await Promise.all(
        Array.from({ length: 2000 }, (_, i) => client.get(`auto:${i}`)),
      );
      expect(reads).toEqual(Array.from({ length: 2000 }, (_, i) => String(i)));
      expect(await client.dbsize()).toBe(2000);
      await client.flushall();
    });
  });

  it('authenticates with HELLO 3 AUTH and with AUTH over RESP2', async () => {
    if (secured === undefined) throw new Error('server not started');
    for (const protocol of [3, 2] as const) {
      const client = ioredis({ port: secured.port, password: 'secret', protocol });
      await use(client, async () => {
        expect(await client.set('k', String(protocol))).toBe('OK');
        expect(await client.get('k')).toBe(String(protocol));
      });
    }
    // ioredis reports a failed handshake as an 'error' event, then rejects connect().
    const wrong = ioredis({ port: secured.port, password: 'wrong' });
    const errors: Error[] = [];
    wrong.on('error', (error: Error) => errors.push(error));
    await expect(wrong.connect()).rejects.toThrow();
    wrong.disconnect();
    expect(errors.map((error) => error.message)).toContain(
      'WRONGPASS invalid username-password pair or user is disabled.',
    );
  });
});

describe('redis-cli', () => {
  it('runs single commands', async () => {
    expect((await redisCli(['SET', 'cli:k', 'hello world'])).stdout).toBe('OK\n');
    expect((await redisCli(['GET', 'cli:k'])).stdout).toBe('hello world\n');
    expect((await redisCli(['GET', 'cli:nope'])).stdout).toBe('\n');
    expect((await redisCli(['EXISTS', 'cli:k', 'cli:k'])).stdout).toBe('2\n');
    expect((await redisCli(['CONFIG', 'GET', 'hz'])).stdout).toBe('hz\n10\n');
    const error = await redisCli(['NOSUCH', 'a']);
    // In raw mode (stdout is not a terminal) redis-cli prints an error and then an empty line.
    expect(error.stdout).toBe("ERR unknown command 'NOSUCH', with args beginning with: 'a' \n\n");
    const tty = await redisCli(['--no-raw', 'GET', 'cli:nope']);
    expect(tty.stdout).toBe('(nil)\n');
    expect((await redisCli(['DEL', 'cli:k'])).stdout).toBe('1\n');
  });

  it('speaks RESP3 with -3', async () => {
    const hello = await redisCli(['-3', '--no-raw', 'HELLO', '3']);
    expect(hello.code).toBe(0);
    expect(hello.stdout).toMatch(
      /^1# "server" => "redis"\n2# "version" => "7\.0\.15"\n3# "proto" => \(integer\) 3\n/,
    );
    expect((await redisCli(['-3', '--no-raw', 'GET', 'cli:nope'])).stdout).toBe('(nil)\n');
    expect((await redisCli(['-3', '--no-raw', 'CONFIG', 'GET', 'timeout'])).stdout).toBe(
      '1# "timeout" => "0"\n',
    );
  });

  it('reads commands from stdin, one per line, as typed', async () => {
    await redisCli(['FLUSHALL']);
    const input = [
      'SET a 1',
      'SET "b c" "two words"',
      'GET "b c"',
      'DBSIZE',
      'NOSUCH',
      'DEL a "b c"',
      '',
    ].join('\n');
    const result = await redisCli([], input);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      [
        'OK',
        'OK',
        'two words',
        '2',
        "ERR unknown command 'NOSUCH', with args beginning with: ",
        '',
        '2',
        '',
      ].join('\n'),
    );
  });

  it('mass-inserts 10,000 SETs with --pipe', async () => {
    const commands: string[] = [];
    for (let i = 0; i < 10_000; i++) {
      const key = `mass:${i}`;
      const value = `value-${i}`;
      commands.push(
        `*3\r\n$3\r\nSET\r\n$${key.length}\r\n${key}\r\n$${value.length}\r\n${value}\r\n`,
      );
    }
    await redisCli(['-n', '5', 'FLUSHDB']);
    const result = await redisCli(['-n', '5', '--pipe'], commands.join(''));
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('errors: 0, replies: 10000');
    expect((await redisCli(['-n', '5', 'DBSIZE'])).stdout).toBe('10000\n');
    expect((await redisCli(['-n', '5', 'GET', 'mass:9999'])).stdout).toBe('value-9999\n');
    await redisCli(['-n', '5', 'FLUSHDB']);
  });
});

describe('redis-benchmark', () => {
  it('completes a short SET/GET run without errors', async () => {
    const result = await runChild(
      'redis-benchmark',
      ['-h', '127.0.0.1', '-p', String(port()), '-q', '-n', '2000', '-c', '10', '-t', 'set,get'],
      { timeoutMs: 30_000 },
    );
    expect(result.code).toBe(0);
    // -q prints a progress line, then "<TEST>: <n> requests per second, p50=<ms> msec" per test.
    expect(result.stdout).toMatch(/SET: [0-9.]+ requests per second/);
    expect(result.stdout).toMatch(/GET: [0-9.]+ requests per second/);
    expect(`${result.stdout}${result.stderr}`).not.toMatch(/error|WARN/i);
  });
});
