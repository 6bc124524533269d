/**
 * The set commands in the simulator: exact reply bytes (intset sets answer in ascending order, in
 * RESP2 arrays and RESP3 sets), the encoding each write leaves, what SPOP, SMOVE and the STORE
 * commands send to the propagation stream (SPOP as SREM per popped member, wrapped in MULTI/EXEC
 * when there are several, or as DEL when it takes the whole set), and that SPOP/SRANDMEMBER draw
 * only from the node's seeded Random. Method: a simulated node and client; the stream is read by
 * subscribing to node.propagation. The comparison with real Redis is test/diff-sets.test.ts.
 */
import { encodeCommand, RespDecoder, type RespValue } from '@replisim/protocol';
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
    return value?.type === 'set' ? value.encoding : undefined;
  };
  const members = (key: string): string[] => {
    const value = db.peek(key);
    return value?.type === 'set' ? [...value.value].sort() : [];
  };
  return { server, client, propagated, encodingOf, members };
}

const wire = (...argv: string[]): string => encodeCommand(argv).toString('latin1');
const bulks = (...texts: string[]): string => texts.map((t) => `$${t.length}\r\n${t}\r\n`).join('');

/** The commands in a stream chunk, as word lists. */
function commandsOf(stream: string): string[][] {
  const decoder = new RespDecoder();
  decoder.feed(Buffer.from(stream, 'latin1'));
  const commands: string[][] = [];
  for (;;) {
    const result = decoder.next();
    if (result.kind !== 'value') break;
    const value: RespValue = result.value;
    if (value.kind !== 'array') throw new Error('a command is an array');
    commands.push(value.items.map((item) => (item.kind === 'bulk' ? item.value.toString() : '?')));
  }
  return commands;
}

describe('set replies', () => {
  it('answers intset sets in ascending order, as arrays in RESP2 and sets in RESP3', () => {
    const { client } = setup();
    expect(client.call('SADD', 's', '10', '-3', '7', '10')).toBe(':3\r\n');
    expect(client.call('SMEMBERS', 's')).toBe(`*3\r\n${bulks('-3', '7', '10')}`);
    expect(client.call('SUNION', 's', 'nokey')).toBe(`*3\r\n${bulks('-3', '7', '10')}`);
    client.call('HELLO', '3');
    expect(client.call('SMEMBERS', 's')).toBe(`~3\r\n${bulks('-3', '7', '10')}`);
    expect(client.call('SRANDMEMBER', 's', '5')).toBe(`*3\r\n${bulks('-3', '7', '10')}`);
    expect(client.call('SMISMEMBER', 's', '7', '8')).toBe('*2\r\n:1\r\n:0\r\n');
    expect(client.call('SPOP', 'nokey')).toBe('_\r\n');
    expect(client.call('SPOP', 'nokey', '2')).toBe('~0\r\n');
  });

  it('checks every key type before intersecting', () => {
    const { client } = setup();
    client.call('SET', 'str', 'v');
    expect(client.call('SINTER', 'nokey', 'str')).toMatch(/^-WRONGTYPE/);
    expect(client.call('SINTERCARD', '2', 'nokey', 'str')).toMatch(/^-WRONGTYPE/);
  });
});

describe('set encodings', () => {
  it('stays intset only for canonical int64 members within the limit, and never converts back', () => {
    const { client, encodingOf } = setup(['--set-max-intset-entries', '3']);
    client.call('SADD', 'a', '1', '2', '3');
    expect(encodingOf('a')).toBe('intset');
    client.call('SADD', 'a', '4');
    expect(encodingOf('a')).toBe('hashtable');
    client.call('SREM', 'a', '1', '2', '3');
    expect(encodingOf('a')).toBe('hashtable');
    for (const member of ['-0', '+1', '01', '9223372036854775808', 'x']) {
      client.call('SADD', `k${member}`, member);
      expect(encodingOf(`k${member}`), member).toBe('hashtable');
    }
    client.call('SADD', 'min', '-9223372036854775808');
    expect(encodingOf('min')).toBe('intset');
    client.call('SADD', 'x', 'x', '4');
    client.call('SINTERSTORE', 'd', 'x', 'a');
    expect(encodingOf('d')).toBe('intset');
  });
});

describe('set propagation', () => {
  it('sends a single SPOP as SREM of the popped member', () => {
    const { client, propagated, members } = setup();
    client.call('SADD', 's', 'a', 'b', 'c');
    propagated();
    const popped = client.call('SPOP', 's').split('\r\n')[1] ?? '';
    expect(members('s')).not.toContain(popped);
    expect(propagated()).toBe(wire('SREM', 's', popped));
  });

  it('sends SPOP with a count as one SREM per member inside MULTI/EXEC', () => {
    const { client, propagated, members } = setup();
    client.call('SADD', 's', 'a', 'b', 'c', 'd', 'e');
    propagated();
    client.call('SPOP', 's', '3');
    const commands = commandsOf(propagated());
    expect(commands[0]).toEqual(['MULTI']);
    expect(commands.at(-1)).toEqual(['EXEC']);
    const srems = commands.slice(1, -1);
    expect(srems).toHaveLength(3);
    const removed = srems.map(([name, key, member]) => {
      expect([name, key]).toEqual(['SREM', 's']);
      return member ?? '';
    });
    expect([...removed, ...members('s')].sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('sends SPOP of the whole set as DEL, and nothing when nothing was popped', () => {
    const { client, propagated, server } = setup();
    client.call('SADD', 's', '1', '2');
    propagated();
    expect(client.call('SPOP', 's', '2')).toBe(`*2\r\n${bulks('1', '2')}`);
    expect(server.node.databases[0]?.peek('s')).toBeUndefined();
    expect(propagated()).toBe(wire('DEL', 's'));
    client.call('SPOP', 's');
    client.call('SPOP', 's', '3');
    client.call('SADD', 't', 'x');
    propagated();
    client.call('SPOP', 't', '0');
    client.call('SREM', 't', 'nope');
    client.call('SMOVE', 't', 'u', 'nope');
    expect(propagated()).toBe('');
  });

  it('sends SMOVE and the STORE commands as received', () => {
    const { client, propagated } = setup();
    client.call('SADD', 'a', '1', '2');
    propagated();
    client.call('SMOVE', 'a', 'b', '1');
    expect(propagated()).toBe(wire('SMOVE', 'a', 'b', '1'));
    client.call('SUNIONSTORE', 'd', 'a', 'b');
    expect(propagated()).toBe(wire('SUNIONSTORE', 'd', 'a', 'b'));
    client.call('SINTERSTORE', 'd', 'a', 'b');
    expect(propagated()).toBe(wire('SINTERSTORE', 'd', 'a', 'b'));
  });
});

describe('set randomness', () => {
  it('draws from the seeded Random: the same seed gives the same picks', () => {
    const run = (seed: number): string[] => {
      const { client } = setup([], seed);
      client.call('SADD', 's', ...Array.from({ length: 50 }, (_, i) => `m${i}`));
      return [
        client.call('SRANDMEMBER', 's'),
        client.call('SRANDMEMBER', 's', '4'),
        client.call('SRANDMEMBER', 's', '-6'),
        client.call('SPOP', 's'),
        client.call('SPOP', 's', '3'),
      ];
    };
    expect(run(11)).toEqual(run(11));
  });

  it('refuses a repeated-pick count beyond its limit instead of building a huge reply', () => {
    const { client } = setup();
    client.call('SADD', 's', 'a');
    expect(client.call('SRANDMEMBER', 's', '-9223372036854775807')).toBe(
      '-ERR value is out of range\r\n',
    );
    expect(client.call('SRANDMEMBER', 's', '-2')).toBe(`*2\r\n${bulks('a', 'a')}`);
  });
});
