/**
 * Redis 7.0 functions against a real redis-server 7.0.15: FUNCTION LOAD / DELETE / FLUSH / LIST /
 * STATS / DUMP / RESTORE / KILL and FCALL / FCALL_RO answer byte for byte as Redis does (RESP2
 * and RESP3, collection-diff.ts's runner, DEBUG DIGEST at the end); FUNCTION LOAD, DELETE, FLUSH
 * and RESTORE and a function's writes are propagated as Redis propagates them; and libraries
 * survive RDB files both ways (a replisim SAVE loads in redis-server, a Redis SAVE loads in
 * replisim) and FUNCTION DUMP payloads both ways.
 *
 * Redis lists libraries and a library's functions in its dict's order (randomly seeded per
 * process); replisim in load order. The scripts here list only libraries of one function, or
 * one library, so the comparison is byte for byte.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { Cleanups } from './support/cleanups.js';
import { cmd, runScript, type Script } from './support/collection-diff.js';
import { RawClient } from './support/raw-client.js';
import { startRedisServer } from './support/redis-server.js';
import { expectSamePropagation } from './support/replication-stream.js';
import { startReplisimNode } from './support/replisim-node.js';
import { describeScriptsPerProtocol, useServerPair } from './support/server-pair.js';

const LIB_HELLO = `#!lua name=hello
redis.register_function('hello', function(keys, args) return 'hi ' .. (args[1] or '') end)`;

const LIB_KV = `#!lua name=kv
redis.register_function{function_name='kvset', callback=function(keys, args)
  redis.call('SET', keys[1], args[1])
  return redis.call('GET', keys[1])
end, description='sets a key', flags={'allow-oom', 'no-cluster'}}`;

const LIB_RO = `#!lua name=ro
redis.register_function{function_name='roget', callback=function(keys) return redis.call('GET', keys[1]) end, flags={'no-writes'}}`;

const LIB_ERR = `#!lua name=errs
redis.register_function('fails', function() return redis.call('nosuch') end)`;

const load = (code: string, ...options: string[]) => cmd('FUNCTION', 'LOAD', ...options, code);

const SCRIPTS: readonly Script[] = [
  {
    name: 'FUNCTION LOAD errors',
    steps: [
      cmd('FUNCTION', 'FLUSH'),
      load('return 1'),
      load('#!lua'),
      load('#!lua name=x'),
      load('#!lua name=x foo=bar\nreturn 1'),
      load('#!lux name=x\nreturn 1'),
      load('#!lua name=x-y\nreturn 1'),
      load('#!lua name=x\nreturn 1'),
      load('#!lua name=x\nreturn +'),
      load('#!lua name=x\nerror("boom")'),
      load('#!lua name=x\nlocal f = nil; f()'),
      load('#!lua name=x\nredis.call("ping")'),
      load('#!lua name=x\nreturn string.upper("a")'),
      load('#!lua name=x\nredis.register_function("f")'),
      load('#!lua name=x\nredis.register_function(1, function() end)'),
      load('#!lua name=x\nredis.register_function("f", 1)'),
      load('#!lua name=x\nredis.register_function("f-g", function() end)'),
      load(
        '#!lua name=x\nredis.register_function{function_name="f", callback=function() end, flags={"bad"}}',
      ),
      load(
        '#!lua name=x\nredis.register_function{function_name="f", callback=function() end, foo=1}',
      ),
      load('#!lua name=x\nredis.register_function{callback=function() end}'),
      load('#!lua name=x\nredis.register_function{function_name="f"}'),
      load('#!lua name=x\nredis.register_function{function_name=1, callback=function() end}'),
      load(
        '#!lua name=x\nredis.register_function("f", function() end) redis.register_function("f", function() end)',
      ),
      cmd('FUNCTION', 'LOAD', 'BADOPT', 'x'),
      cmd('FUNCTION', 'LOAD'),
      cmd('FUNCTION', 'LIST'),
      cmd('FUNCTION', 'STATS'),
    ],
  },
  {
    name: 'FCALL and FCALL_RO, LIST, STATS, DELETE, REPLACE',
    steps: [
      cmd('FUNCTION', 'FLUSH'),
      load(LIB_HELLO),
      load(LIB_HELLO),
      load('#!lua name=other\nredis.register_function("hello", function() end)'),
      cmd('FCALL', 'hello', '0', 'bob'),
      cmd('FCALL', 'HELLO', '0'),
      cmd('FCALL', 'nosuch', '0'),
      cmd('FCALL', 'hello', '-1'),
      cmd('FCALL', 'hello', '5'),
      cmd('FCALL', 'hello', 'x'),
      cmd('FUNCTION', 'LIST'),
      cmd('FUNCTION', 'LIST', 'WITHCODE'),
      cmd('FUNCTION', 'LIST', 'LIBRARYNAME', 'HEL*'),
      cmd('FUNCTION', 'LIST', 'LIBRARYNAME', 'nomatch*'),
      cmd('FUNCTION', 'LIST', 'LIBRARYNAME'),
      cmd('FUNCTION', 'LIST', 'WITHCODE', 'WITHCODE'),
      cmd('FUNCTION', 'LIST', 'BAD'),
      cmd('FUNCTION', 'STATS'),
      load(`${LIB_HELLO}\nredis.register_function('hello2', function() return 2 end)`, 'REPLACE'),
      cmd('FCALL', 'hello2', '0'),
      cmd('FUNCTION', 'DELETE', 'hello'),
      cmd('FUNCTION', 'DELETE', 'hello'),
      cmd('FCALL', 'hello2', '0'),
      load(LIB_KV),
      cmd('FCALL', 'kvset', '1', 'k', 'v'),
      cmd('FCALL_RO', 'kvset', '1', 'k', 'v'),
      cmd('FUNCTION', 'LIST', 'LIBRARYNAME', 'kv'),
      load(LIB_RO),
      cmd('FCALL_RO', 'roget', '1', 'k'),
      cmd('FCALL', 'roget', '1', 'k'),
      load(LIB_ERR),
      cmd('FCALL', 'fails', '0'),
      load(
        '#!lua name=rt\nredis.register_function("rt", function() local t = nil; return t.x end)',
      ),
      cmd('FCALL', 'rt', '0'),
      load(
        '#!lua name=wr\nredis.register_function{function_name="wr", callback=function() return redis.call("SET", "x", "1") end, flags={"no-writes"}}',
      ),
      cmd('FCALL', 'wr', '0'),
      load(
        '#!lua name=reg\nredis.register_function("reg", function() redis.register_function("z", function() end) end)',
      ),
      cmd('FCALL', 'reg', '0'),
      load(
        '#!lua name=kargs\nredis.register_function("kargs", function(k, a) return {#k, #a, k[1], a[1]} end)',
      ),
      cmd('FCALL', 'kargs', '2', 'k1', 'k2', 'a1'),
      cmd('FUNCTION', 'KILL'),
      cmd('FUNCTION', 'FLUSH', 'BAD'),
      cmd('FUNCTION', 'FLUSH', 'SYNC', 'X'),
      cmd('FUNCTION', 'FLUSH', 'ASYNC'),
      cmd('FUNCTION', 'STATS'),
      cmd('FUNCTION', 'HELP'),
      cmd('DEBUG', 'DIGEST'),
    ],
  },
  {
    name: 'FUNCTION DUMP and RESTORE policies',
    steps: [
      cmd('FUNCTION', 'FLUSH'),
      cmd('FUNCTION', 'DUMP'),
      load(LIB_HELLO),
      cmd('FUNCTION', 'RESTORE', 'garbage'),
      cmd('FUNCTION', 'RESTORE', 'garbage', 'BAD'),
      cmd('FUNCTION', 'RESTORE', 'garbage', 'FLUSH', 'X'),
    ],
  },
];

const cleanups = new Cleanups();
afterAll(() => cleanups.run());

describe('functions against redis-server', () => {
  const servers = useServerPair({ both: ['--enable-debug-command', 'yes'] });
  describeScriptsPerProtocol(
    SCRIPTS,
    () => servers().ports,
    (script, protocol) => runScript(script, servers().ports, protocol, () => undefined),
  );

  it('FUNCTION DUMP payloads restore on the other server, with every policy', async () => {
    const { ports } = servers();
    const redis = await RawClient.connect(ports.redis);
    const ours = await RawClient.connect(ports.replisim);
    try {
      for (const client of [redis, ours]) {
        await client.call('FUNCTION', 'FLUSH');
        await client.call('FUNCTION', 'LOAD', LIB_HELLO);
      }
      const theirs = await redis.call('FUNCTION', 'DUMP');
      const mine = await ours.call('FUNCTION', 'DUMP');
      // Same libraries, same rdbcompression: the same payload bytes.
      expect(mine.bytes.toString('hex')).toBe(theirs.bytes.toString('hex'));
      const payload = theirs.value.kind === 'bulk' ? theirs.value.value : Buffer.alloc(0);
      for (const [client, other] of [
        [ours, redis],
        [redis, ours],
      ] as const) {
        const dumped = await other.call('FUNCTION', 'DUMP');
        const bytes = dumped.value.kind === 'bulk' ? dumped.value.value : Buffer.alloc(0);
        const steps: (string | Buffer)[][] = [
          ['FUNCTION', 'RESTORE', bytes],
          ['FUNCTION', 'RESTORE', bytes, 'APPEND'],
          ['FUNCTION', 'RESTORE', bytes, 'REPLACE'],
          ['FUNCTION', 'FLUSH'],
          ['FUNCTION', 'RESTORE', bytes, 'FLUSH'],
          ['FCALL', 'hello', '0', 'restored'],
        ];
        for (const argv of steps) {
          const a = await client.call(...argv);
          const b = await other.call(...argv);
          expect(a.bytes.toString('latin1'), argv.slice(0, 4).join(' ')).toBe(
            b.bytes.toString('latin1'),
          );
        }
      }
      expect(payload.length).toBeGreaterThan(10);
    } finally {
      redis.close();
      ours.close();
    }
  });

  it("propagates FUNCTION LOAD / DELETE / FLUSH / RESTORE and a function's writes as Redis does", async () => {
    const { ports } = servers();
    const redis = await RawClient.connect(ports.redis);
    await redis.call('FUNCTION', 'FLUSH');
    await redis.call('FUNCTION', 'LOAD', LIB_HELLO);
    const dumped = await redis.call('FUNCTION', 'DUMP');
    redis.close();
    const payload = dumped.value.kind === 'bulk' ? dumped.value.value : Buffer.alloc(0);
    const streams = await expectSamePropagation(servers(), [
      ['FUNCTION', 'FLUSH'],
      ['FUNCTION', 'LOAD', LIB_KV],
      ['FCALL', 'kvset', '1', 'a', '1'],
      ['FUNCTION', 'LOAD', 'REPLACE', LIB_KV],
      ['FUNCTION', 'LOAD', 'not a library'],
      ['FUNCTION', 'DELETE', 'kv'],
      ['FUNCTION', 'DELETE', 'kv'],
      ['FUNCTION', 'RESTORE', payload],
      ['FCALL', 'hello', '0'],
      ['FUNCTION', 'FLUSH', 'ASYNC'],
      ['SET', 'done', '1'],
    ]);
    expect(streams.redis.some((argv) => argv[0]?.toUpperCase() === 'FUNCTION')).toBe(true);
  });
});

describe('function libraries in RDB files, both ways', () => {
  const libraries = [LIB_HELLO, LIB_KV, LIB_RO];

  async function check(client: RawClient): Promise<void> {
    expect((await client.call('FCALL', 'hello', '0', 'x')).bytes.toString()).toBe('$4\r\nhi x\r\n');
    expect((await client.call('FCALL', 'kvset', '1', 'k2', 'w')).bytes.toString()).toBe(
      '$1\r\nw\r\n',
    );
    expect((await client.call('FCALL_RO', 'roget', '1', 'k')).bytes.toString()).toBe('$1\r\nv\r\n');
    const stats = (await client.call('FUNCTION', 'STATS')).bytes.toString();
    expect(stats).toContain('libraries_count\r\n:3\r\n');
    const listed = (await client.call('FUNCTION', 'LIST', 'LIBRARYNAME', 'kv', 'WITHCODE')).bytes;
    expect(listed.toString('latin1')).toContain(LIB_KV.replace(/\n/g, '\n'));
  }

  it('a replisim SAVE with functions loads in redis-server', async () => {
    const dir = cleanups.tempDir('replisim-functions-');
    const node = await startReplisimNode(['--dir', dir]);
    cleanups.add(() => node.stop());
    const ours = await RawClient.connect(node.port);
    for (const code of libraries) await ours.call('FUNCTION', 'LOAD', code);
    await ours.call('SET', 'k', 'v');
    expect((await ours.call('SAVE')).bytes.toString()).toBe('+OK\r\n');
    ours.close();
    node.stop();
    const redis = await startRedisServer(['--dir', dir]);
    cleanups.add(() => redis.stop());
    const client = await RawClient.connect(redis.port);
    await check(client);
    client.close();
  });

  it('a Redis SAVE with functions loads in replisim', async () => {
    const dir = cleanups.tempDir('replisim-functions-');
    const redis = await startRedisServer(['--dir', dir]);
    cleanups.add(() => redis.stop());
    const theirs = await RawClient.connect(redis.port);
    for (const code of libraries) await theirs.call('FUNCTION', 'LOAD', code);
    await theirs.call('SET', 'k', 'v');
    expect((await theirs.call('SAVE')).bytes.toString()).toBe('+OK\r\n');
    theirs.close();
    await redis.stop();
    const node = await startReplisimNode(['--dir', dir]);
    cleanups.add(() => node.stop());
    const client = await RawClient.connect(node.port);
    await check(client);
    client.close();
  });
});
