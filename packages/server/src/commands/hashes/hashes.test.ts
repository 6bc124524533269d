/**
 * The hash commands in the simulator: exact reply bytes in RESP2 and RESP3, the encoding each
 * write leaves (the value's `encoding`, which OBJECT ENCODING reports), what each write sends to
 * the propagation stream (HINCRBYFLOAT as HSET with the final text; failed or no-op writes send
 * nothing), and that HRANDFIELD draws only from the node's seeded Random (same seed, same picks).
 * Method: a simulated node and client; the stream is read by subscribing to node.propagation.
 * The comparison with real Redis is test/diff-hashes.test.ts.
 */
import { encodeCommand } from '@replisim/protocol';
import { describe, expect, it } from 'vitest';
import { propagatedBytes } from '../../testing/propagation-log.js';
import { SimClient } from '../../testing/sim-client.js';
import { startSimServer } from '../../testing/sim-server.js';

function setup(options: readonly string[] = [], seed = 1) {
  const server = startSimServer({ seed, options });
  const clientHost = server.world.addHost('client', '10.0.0.2');
  const client = SimClient.open(server.world, clientHost);
  const propagated = propagatedBytes(server.node);
  const db = server.node.databases[0];
  if (db === undefined) throw new Error('no db 0');
  const encodingOf = (key: string): string | undefined => {
    const value = db.peek(key);
    return value?.type === 'hash' ? value.encoding : undefined;
  };
  return { server, client, propagated, encodingOf };
}

const wire = (...argv: string[]): string => encodeCommand(argv).toString('latin1');
const bulk = (text: string): string => `$${text.length}\r\n${text}\r\n`;

describe('hash replies', () => {
  it('keeps insertion order, updates in place, and answers maps in RESP3', () => {
    const { client } = setup();
    expect(client.call('HSET', 'h', 'a', '1', 'b', '2')).toBe(':2\r\n');
    expect(client.call('HSET', 'h', 'a', 'x', 'c', '3')).toBe(':1\r\n');
    const pairs = ['a', 'x', 'b', '2', 'c', '3'].map(bulk).join('');
    expect(client.call('HGETALL', 'h')).toBe(`*6\r\n${pairs}`);
    expect(client.call('HELLO', '3').startsWith('%7')).toBe(true);
    expect(client.call('HGETALL', 'h')).toBe(`%3\r\n${pairs}`);
    expect(client.call('HGETALL', 'nokey')).toBe('%0\r\n');
    expect(client.call('HGET', 'h', 'zz')).toBe('_\r\n');
    expect(client.call('HRANDFIELD', 'h', '-1', 'WITHVALUES').startsWith('*1\r\n*2\r\n')).toBe(
      true,
    );
  });

  it('deletes the key when the last field goes', () => {
    const { client, server } = setup();
    client.call('HSET', 'h', 'a', '1');
    expect(client.call('HDEL', 'h', 'a', 'b')).toBe(':1\r\n');
    expect(server.node.databases[0]?.peek('h')).toBeUndefined();
  });

  it('answers HINCRBYFLOAT with long double digits', () => {
    const { client } = setup();
    expect(client.call('HINCRBYFLOAT', 'h', 'f', '0.1')).toBe(bulk('0.1'));
    expect(client.call('HINCRBYFLOAT', 'h', 'f', '0.2')).toBe(bulk('0.3'));
    expect(client.call('HINCRBYFLOAT', 'h', 'f', '1e-30')).toBe(bulk('0.3'));
    expect(client.call('HINCRBYFLOAT', 'h', 'f', '-0.3')).toBe(bulk('0'));
    expect(client.call('HINCRBYFLOAT', 'h', 'f', 'nan')).toBe(
      '-ERR value is not a valid float\r\n',
    );
    expect(client.call('HINCRBYFLOAT', 'h', 'f', 'inf')).toBe('-ERR value is NaN or Infinity\r\n');
  });
});

describe('hash encodings', () => {
  it('converts by entries and by length, and never back', () => {
    const { client, encodingOf } = setup([
      '--hash-max-listpack-entries',
      '2',
      '--hash-max-listpack-value',
      '4',
    ]);
    client.call('HSET', 'h', 'a', '1', 'b', '2');
    expect(encodingOf('h')).toBe('listpack');
    client.call('HSET', 'h', 'c', '3');
    expect(encodingOf('h')).toBe('hashtable');
    client.call('HDEL', 'h', 'a', 'b');
    expect(encodingOf('h')).toBe('hashtable');
    client.call('HSET', 'v', 'a', '1234');
    expect(encodingOf('v')).toBe('listpack');
    client.call('HSETNX', 'v', 'a', '12345');
    expect(encodingOf('v')).toBe('listpack');
    client.call('HINCRBY', 'v', 'a', '1');
    expect(encodingOf('v')).toBe('listpack');
    client.call('HINCRBYFLOAT', 'v', 'a', '0.5');
    expect(encodingOf('v')).toBe('hashtable');
  });
});

describe('hash propagation', () => {
  it('sends HSET as received and HINCRBYFLOAT as HSET with the new value', () => {
    const { client, propagated } = setup();
    client.call('HSET', 'h', 'f', '1.5');
    expect(propagated()).toBe(wire('SELECT', '0') + wire('HSET', 'h', 'f', '1.5'));
    client.call('HINCRBYFLOAT', 'h', 'f', '0.25');
    expect(propagated()).toBe(wire('HSET', 'h', 'f', '1.75'));
    client.call('HINCRBY', 'h', 'n', '3');
    expect(propagated()).toBe(wire('HINCRBY', 'h', 'n', '3'));
  });

  it('sends nothing for failed writes and no-ops', () => {
    const { client, propagated } = setup();
    client.call('HSET', 'h', 'f', 'abc');
    propagated();
    expect(client.call('HINCRBY', 'h', 'f', '1')).toBe('-ERR hash value is not an integer\r\n');
    expect(client.call('HINCRBYFLOAT', 'h', 'f', '1')).toBe('-ERR hash value is not a float\r\n');
    expect(client.call('HSETNX', 'h', 'f', 'x')).toBe(':0\r\n');
    expect(client.call('HDEL', 'h', 'nope')).toBe(':0\r\n');
    expect(client.call('HDEL', 'nokey', 'f')).toBe(':0\r\n');
    expect(propagated()).toBe('');
  });
});

describe('HRANDFIELD randomness', () => {
  it('draws from the seeded Random: the same seed gives the same picks', () => {
    const run = (seed: number): string[] => {
      const { client } = setup([], seed);
      client.call('HSET', 'h', ...Array.from({ length: 40 }, (_, i) => [`f${i}`, `${i}`]).flat());
      return [
        client.call('HRANDFIELD', 'h'),
        client.call('HRANDFIELD', 'h', '5'),
        client.call('HRANDFIELD', 'h', '-5', 'WITHVALUES'),
      ];
    };
    expect(run(7)).toEqual(run(7));
  });

  it('refuses a repeated-pick count beyond its limit instead of building a huge reply', () => {
    const { client } = setup();
    client.call('HSET', 'h', 'a', '1');
    expect(client.call('HRANDFIELD', 'h', '-9223372036854775807')).toBe(
      '-ERR value is out of range\r\n',
    );
    expect(client.call('HRANDFIELD', 'h', '-3')).toBe(`*3\r\n${bulk('a').repeat(3)}`);
  });
});
