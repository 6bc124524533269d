/**
 * Streams through RDB files, both ways with redis-server 7.0.15 (RDB_TYPE_STREAM_LISTPACKS_2).
 *
 * Method: a real redis-server builds streams with commands (several listpack nodes, tombstones,
 * trimmed heads, long values LZF compresses, the largest IDs, an empty stream that only holds a
 * group, groups with PELs, consumers with and without pending entries, invalid entries-read) and
 * SAVEs. (1) A replisim node started on that file holds the same data: DEBUG DIGEST is equal, and
 * XINFO STREAM (node counts included) and XINFO STREAM FULL (delivery and seen times come from the
 * file) are byte-identical for every key. (2) Each key's DUMP from replisim equals Redis's byte for
 * byte (same serialisation as in the file). (3) replisim SAVEs; redis-check-rdb passes the file,
 * and a second redis-server started on it holds the same data by the same checks.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { printable } from './support/collection-diff.js';
import { runChild } from './support/processes.js';
import { RawClient } from './support/raw-client.js';
import { type RedisServer, startRedisServer } from './support/redis-server.js';
import { type ReplisimNode, startReplisimNode } from './support/replisim-node.js';

const MAX_MS = '18446744073709551615';

/** The writes that build the streams on Redis. */
function buildScript(): string[][] {
  const script: string[][] = [['CONFIG', 'SET', 'stream-node-max-entries', '5']];
  for (let i = 1; i <= 23; i++) {
    const fields = i % 4 === 0 ? ['other', `v${i}`] : ['f', `v${i}`, 'n', String(i * 1000)];
    script.push(['XADD', 'nodes', `${i}-${i % 3}`, ...fields]);
  }
  script.push(
    ['XDEL', 'nodes', '2-2', '7-1', '8-2', '23-2'],
    ['XTRIM', 'nodes', 'MAXLEN', '~', '15'],
    ['XGROUP', 'CREATE', 'nodes', 'g1', '0'],
    ['XGROUP', 'CREATE', 'nodes', 'g2', '$', 'ENTRIESREAD', '7'],
    ['XGROUP', 'CREATE', 'nodes', 'g3', '9-0'],
    ['XREADGROUP', 'GROUP', 'g1', 'alice', 'COUNT', '3', 'STREAMS', 'nodes', '>'],
    ['XREADGROUP', 'GROUP', 'g1', 'bob', 'COUNT', '2', 'STREAMS', 'nodes', '>'],
    ['XREADGROUP', 'GROUP', 'g1', 'carol', 'NOACK', 'COUNT', '2', 'STREAMS', 'nodes', '>'],
    ['XGROUP', 'CREATECONSUMER', 'nodes', 'g2', 'idle'],
    ['XCLAIM', 'nodes', 'g3', 'dave', '0', '11-2', '12-0', 'FORCE', 'RETRYCOUNT', '4', 'JUSTID'],
    ['XACK', 'nodes', 'g1', '10-1'],
    ['CONFIG', 'SET', 'stream-node-max-entries', '100'],
    ['XADD', 'long', '1-0', 'text', 'abc'.repeat(400), 'bin', '\x00\xff\r\n'],
    ['XADD', 'long', '2-0', 'text', 'xyz'.repeat(300)],
    ['XADD', 'max', `${MAX_MS}-5`, 'f', '9223372036854775807'],
    ['XADD', 'max', `${MAX_MS}-*`, 'f', '-9223372036854775808'],
    ['XADD', 'wide', '1-0', 'f', 'v'],
    ['XADD', 'wide', '9007199254740993-18446744073709551615', 'f', 'v'],
    ['XGROUP', 'CREATE', 'empty', 'g', '$', 'MKSTREAM'],
    ['XADD', 'gone', '1-0', 'f', 'v'],
    ['XDEL', 'gone', '1-0'],
    ['XSETID', 'gone', '5-0', 'ENTRIESADDED', '9', 'MAXDELETEDID', '3-0'],
  );
  return script;
}

const KEYS = ['nodes', 'long', 'max', 'wide', 'empty', 'gone'];

async function call(port: number, argv: readonly string[]): Promise<Buffer> {
  const client = await RawClient.connect(port);
  try {
    return (await client.call(...argv)).bytes;
  } finally {
    client.close();
  }
}

/** Every check that two servers hold the same streams. */
async function expectSameStreams(expectedPort: number, actualPort: number): Promise<void> {
  const checks: string[][] = [['DEBUG', 'DIGEST'], ['DBSIZE']];
  for (const key of KEYS) {
    checks.push(
      ['XINFO', 'STREAM', key],
      ['XINFO', 'STREAM', key, 'FULL', 'COUNT', '0'],
      ['XINFO', 'GROUPS', key],
      ['XRANGE', key, '-', '+'],
      ['DEBUG', 'DIGEST-VALUE', key],
      ['DUMP', key],
      ['TYPE', key],
      ['OBJECT', 'ENCODING', key],
    );
  }
  for (const argv of checks) {
    const [expected, actual] = await Promise.all([
      call(expectedPort, argv),
      call(actualPort, argv),
    ]);
    expect(printable(actual), argv.join(' ')).toBe(printable(expected));
  }
}

describe('streams in RDB files, both ways with redis-server 7.0.15', () => {
  const dirs: string[] = [];
  const redisServers: RedisServer[] = [];
  const nodes: ReplisimNode[] = [];

  afterAll(async () => {
    for (const node of nodes) node.stop();
    for (const server of redisServers) await server.stop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('Redis dump -> replisim -> SAVE -> redis-check-rdb and redis-server', async () => {
    const redis = await startRedisServer(['--enable-debug-command', 'yes']);
    redisServers.push(redis);
    for (const argv of buildScript()) {
      const reply = await call(redis.port, argv);
      expect(reply[0], `${argv.join(' ')}: ${printable(reply)}`).not.toBe(0x2d);
    }
    expect(printable(await call(redis.port, ['SAVE']))).toBe(printable(Buffer.from('+OK\r\n')));

    // replisim loads a copy of Redis's file from its own directory, and SAVEs over it there.
    const ours = mkdtempSync(join(tmpdir(), 'replisim-streams-'));
    dirs.push(ours);
    copyFileSync(join(redis.dir, 'dump.rdb'), join(ours, 'dump.rdb'));
    const node = await startReplisimNode([
      '--dir',
      ours,
      '--dbfilename',
      'dump.rdb',
      '--enable-debug-command',
      'yes',
    ]);
    nodes.push(node);
    await expectSameStreams(redis.port, node.port);

    expect(printable(await call(node.port, ['SAVE']))).toBe(printable(Buffer.from('+OK\r\n')));
    const check = await runChild('redis-check-rdb', [join(ours, 'dump.rdb')]);
    expect(check.stdout, check.stdout + check.stderr).toContain('RDB looks OK!');
    expect(check.stdout).toContain(`[info] ${KEYS.length} keys read`);

    const loader = await startRedisServer(['--dir', ours, '--enable-debug-command', 'yes']);
    redisServers.push(loader);
    await expectSameStreams(redis.port, loader.port);
  });
});
