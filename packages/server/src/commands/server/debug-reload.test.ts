/**
 * DEBUG RELOAD on the simulated Env. Goal: a dataset of every type and encoding, with TTLs and in
 * several databases, survives save -> flush -> load with the same DEBUG DIGEST and encodings, and
 * the options and error replies are Redis 7.0.15's (captured from a real server). Method: a sim
 * server, a dataset written through commands, DEBUG DIGEST before and after.
 */
import { describe, expect, it } from 'vitest';
import { SimClient } from '../../testing/sim-client.js';
import { startSimServer } from '../../testing/sim-server.js';

function setup(seed: number) {
  const server = startSimServer({
    seed,
    options: ['--save', '', '--enable-debug-command', 'yes'],
  });
  const client = SimClient.open(server.world, server.world.addHost('client', '10.0.0.2'));
  return { ...server, client };
}

describe('DEBUG RELOAD', () => {
  it('round-trips every type and encoding with the same digest, TTLs and encodings', () => {
    const { client, logs } = setup(1);
    const writes: string[][] = [
      ['SET', 'str', 'hello'],
      ['SET', 'int', '12345'],
      ['SET', 'long', 'x'.repeat(100)],
      ['RPUSH', 'list', 'a', 'b', '1'],
      ['SADD', 'iset', '1', '2', '3'],
      ['SADD', 'sset', 'a', 'b'],
      ['HSET', 'hash', 'f', 'v', 'g', 'w'],
      ['HSET', 'bighash', 'f', 'v'.repeat(100)],
      ['ZADD', 'zset', '1', 'a', '2.5', 'b'],
      ['ZADD', 'bigzset', '1', 'm'.repeat(100)],
      ['PEXPIRE', 'str', '100000'],
      ['SELECT', '2'],
      ['SET', 'other', 'db2'],
      ['SELECT', '0'],
    ];
    for (const write of writes) expect(client.call(...write)).toMatch(/^[+:]/);
    const keys = [
      'str',
      'int',
      'long',
      'list',
      'iset',
      'sset',
      'hash',
      'bighash',
      'zset',
      'bigzset',
    ];
    const encodings = keys.map((key) => client.call('OBJECT', 'ENCODING', key));
    const digest = client.call('DEBUG', 'DIGEST');
    expect(digest).not.toBe(`+${'0'.repeat(40)}\r\n`);
    expect(client.call('DEBUG', 'RELOAD')).toBe('+OK\r\n');
    expect(client.call('DEBUG', 'DIGEST')).toBe(digest);
    expect(keys.map((key) => client.call('OBJECT', 'ENCODING', key))).toEqual(encodings);
    expect(client.call('PTTL', 'str')).toMatch(/^:\d{5,6}\r\n$/);
    expect(logs.some((line) => line.endsWith('DB reloaded by DEBUG RELOAD'))).toBe(true);
  });

  it('answers pipelined commands after its own reply', () => {
    const { client } = setup(2);
    client.call('SET', 'k', 'v');
    client.pipeline([
      ['DEBUG', 'RELOAD'],
      ['GET', 'k'],
    ]);
    const replies = client.read(2, 10_000).map((reply) => reply.bytes.toString('latin1'));
    expect(replies).toEqual(['+OK\r\n', '$1\r\nv\r\n']);
  });

  it('NOSAVE without a dump flushes and answers the load error', () => {
    const { client } = setup(3);
    client.call('SET', 'k', 'v');
    expect(client.call('DEBUG', 'RELOAD', 'NOSAVE')).toBe(
      '-ERR Error trying to load the RDB dump\r\n',
    );
    expect(client.call('DBSIZE')).toBe(':0\r\n');
  });

  it('NOSAVE NOFLUSH MERGE adds the dump to the dataset, the dump winning on conflicts', () => {
    const { client } = setup(4);
    client.call('SET', 'saved', 'old');
    client.call('SET', 'both', 'from-dump');
    expect(client.call('SAVE')).toBe('+OK\r\n');
    client.call('SET', 'both', 'in-memory');
    client.call('SET', 'fresh', 'x');
    expect(client.call('DEBUG', 'RELOAD', 'NOSAVE', 'NOFLUSH', 'MERGE')).toBe('+OK\r\n');
    expect(client.call('GET', 'both')).toBe('$9\r\nfrom-dump\r\n');
    expect(client.call('GET', 'fresh')).toBe('$1\r\nx\r\n');
    expect(client.call('DBSIZE')).toBe(':3\r\n');
  });

  it('refuses unknown options with Redis words', () => {
    const { client } = setup(5);
    expect(client.call('DEBUG', 'RELOAD', 'foo')).toBe(
      '-ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.\r\n',
    );
  });
});
