/**
 * DEBUG POPULATE on a simulated node: the keys and the exact value bytes Redis 7.0 makes (checked
 * against a real redis-server by test/diff-debug-populate.test.ts), existing keys left alone, the
 * argument errors and their order, and the bookkeeping: WATCH sees the new keys, but nothing counts
 * as a change (dirty counter and replication offset stay put).
 */
import { describe, expect, it } from 'vitest';
import { SimClient } from '../../testing/sim-client.js';
import { startSimServer } from '../../testing/sim-server.js';

const NOT_POSITIVE = '-ERR value is out of range, must be positive\r\n';
const NO_ROOM = '-ERR OOM in dictTryExpand\r\n';

function open() {
  const server = startSimServer({ seed: 31, options: ['--enable-debug-command', 'yes'] });
  const client = SimClient.open(server.world, server.world.addHost('client', '10.0.0.2'));
  return { ...server, client };
}

const bulk = (value: string): string => `$${value.length}\r\n${value}\r\n`;

describe('DEBUG POPULATE', () => {
  it('makes key:<n> holding value:<n> by default, in the selected database', () => {
    const { client, node } = open();
    client.call('SELECT', '2');
    expect(client.call('DEBUG', 'POPULATE', '3')).toBe('+OK\r\n');
    expect(client.call('GET', 'key:0')).toBe(bulk('value:0'));
    expect(client.call('GET', 'key:2')).toBe(bulk('value:2'));
    expect(client.call('EXISTS', 'key:3')).toBe(':0\r\n');
    expect(node.databases[2]?.size()).toBe(3);
    expect(node.databases[0]?.size()).toBe(0);
    expect(client.call('OBJECT', 'ENCODING', 'key:1')).toBe(bulk('embstr'));
  });

  it('pads value:<n> with zero bytes or cuts it to exactly <size> bytes', () => {
    const { client } = open();
    client.call('DEBUG', 'POPULATE', '3', 'p', '10');
    expect(client.call('GET', 'p:2')).toBe(bulk('value:2\0\0\0'));
    client.call('DEBUG', 'POPULATE', '12', 'q', '3');
    expect(client.call('GET', 'q:11')).toBe(bulk('val'));
    client.call('DEBUG', 'POPULATE', '2', 'r', '0');
    expect(client.call('GET', 'r:1')).toBe(bulk('value:1'));
    client.call('DEBUG', 'POPULATE', '1', 's', '45');
    expect(client.call('STRLEN', 's:0')).toBe(':45\r\n');
    expect(client.call('OBJECT', 'ENCODING', 's:0')).toBe(bulk('raw'));
  });

  it('reads the prefix as a C string and cuts keys to 127 bytes', () => {
    const { client } = open();
    client.call('DEBUG', 'POPULATE', '2', Buffer.from('ab\0cd', 'latin1'));
    expect(client.call('EXISTS', 'ab:0', 'ab:1')).toBe(':2\r\n');
    client.call('DEBUG', 'POPULATE', '2', '');
    expect(client.call('GET', ':1')).toBe(bulk('value:1'));
    const long = 'x'.repeat(200);
    client.call('DEBUG', 'POPULATE', '3', long);
    // All three keys cut to the same 127 bytes: the first is added, the others exist by then.
    expect(client.call('GET', long.slice(0, 127))).toBe(bulk('value:0'));
    expect(client.call('DBSIZE')).toBe(':5\r\n');
  });

  it('skips keys that exist, but replaces one whose deadline has passed', () => {
    const { client, world } = open();
    client.call('SET', 'key:1', 'mine');
    client.call('SET', 'key:2', 'old');
    client.call('PEXPIRE', 'key:2', '1');
    world.runFor(10);
    expect(client.call('DEBUG', 'POPULATE', '3')).toBe('+OK\r\n');
    expect(client.call('GET', 'key:1')).toBe(bulk('mine'));
    expect(client.call('GET', 'key:2')).toBe(bulk('value:2'));
    expect(client.call('TTL', 'key:2')).toBe(':-1\r\n');
  });

  it('counts nothing as a change: no dirty count and no propagation', () => {
    const { client, node } = open();
    const offset = node.propagation.offset;
    client.call('DEBUG', 'POPULATE', '100', 'k', '20');
    expect(node.dirty).toBe(0);
    expect(node.propagation.offset).toBe(offset);
    expect(node.databases[0]?.size()).toBe(100);
  });

  it('signals WATCH for the keys it adds', () => {
    const { client, world } = open();
    const other = SimClient.open(world, world.addHost('other', '10.0.0.3'));
    client.call('WATCH', 'key:1');
    client.call('MULTI');
    client.call('SET', 'x', '1');
    other.call('DEBUG', 'POPULATE', '2');
    expect(client.call('EXEC')).toBe('*-1\r\n');
  });

  it('rejects bad counts and sizes with Redis 7.0 errors, checking count before size', () => {
    const { client } = open();
    for (const count of ['-1', 'abc', '+3', '03', '1.5', ' 3', '']) {
      expect(client.call('DEBUG', 'POPULATE', count)).toBe(NOT_POSITIVE);
    }
    expect(client.call('DEBUG', 'POPULATE', '5', 'p', '-5')).toBe(NOT_POSITIVE);
    expect(client.call('DEBUG', 'POPULATE', '5', 'p', 'abc')).toBe(NOT_POSITIVE);
    expect(client.call('DBSIZE')).toBe(':0\r\n');
    expect(client.call('DEBUG', 'POPULATE', '0')).toBe('+OK\r\n');
    expect(client.call('DEBUG', 'POPULATE', '1', 'a', '2', 'c')).toBe(
      "-ERR unknown subcommand or wrong number of arguments for 'POPULATE'. Try DEBUG HELP.\r\n",
    );
    expect(client.call('DEBUG', 'populate')).toBe(
      "-ERR unknown subcommand or wrong number of arguments for 'populate'. Try DEBUG HELP.\r\n",
    );
  });

  it('refuses what the keyspace cannot hold instead of running out of memory', () => {
    const { client } = open();
    expect(client.call('DEBUG', 'POPULATE', '9223372036854775807')).toBe(NO_ROOM);
    expect(client.call('DEBUG', 'POPULATE', String(2 ** 24 + 1))).toBe(NO_ROOM);
    // The room check comes before the size is parsed, as dictTryExpand does in Redis.
    expect(client.call('DEBUG', 'POPULATE', String(2 ** 24 + 1), 'p', 'junk')).toBe(NO_ROOM);
    expect(client.call('DEBUG', 'POPULATE', '2', 'p', String(2 ** 31 + 1))).toBe(NO_ROOM);
    expect(client.call('DBSIZE')).toBe(':0\r\n');
  });

  it('is listed in DEBUG HELP', () => {
    const { client } = open();
    expect(client.call('DEBUG', 'HELP')).toContain('+POPULATE <count> [<prefix>] [<size>]\r\n');
  });
});
