/**
 * Scripting in the simulator: a script's run is part of the node's deterministic run. Two fresh
 * nodes with the same seed give the same replies to scripts that use math.random, sort with ties,
 * and build tables (fengari's Math.random-based pivot is replaced, rand48 is per node); a
 * script's writes replicate as one MULTI ... EXEC through the node's propagation log; and function
 * libraries survive DEBUG RELOAD (SAVE, then load) in simulated time.
 */
import { describe, expect, it } from 'vitest';
import { SimClient } from '../testing/sim-client.js';
import { startSimServer } from '../testing/sim-server.js';

const SCRIPTS: readonly (readonly string[])[] = [
  ['EVAL', 'return {math.random(1000), math.random(1000), math.random()}', '0'],
  [
    'EVAL',
    'local t = {} for i = 1, 500 do t[i] = {k = i % 5, v = i} end table.sort(t, function(a, b) return a.k < b.k end) local out = {} for i = 1, 500 do out[i] = t[i].v end return out',
    '0',
  ],
  [
    'EVAL',
    "redis.call('SET', KEYS[1], cjson.encode({a = {1, 2, 3}})) return redis.call('GET', KEYS[1])",
    '1',
    'j',
  ],
  ['EVAL', 'return cmsgpack.pack({1, 2, {x = 1}})', '0'],
  ['EVAL', "return redis.call('TIME')", '0'],
];

function transcript(seed: number): string[] {
  const server = startSimServer({ seed });
  const client = SimClient.open(server.world, server.world.addHost('client', '10.0.0.2'));
  const replies = SCRIPTS.map((argv) => client.call(...argv));
  client.close();
  server.node.stop();
  return replies;
}

describe('scripting in the simulator', () => {
  it('replays exactly from the seed', () => {
    const first = transcript(7);
    expect(transcript(7)).toEqual(first);
    expect(first[0]).toMatch(/^\*3\r\n:\d+\r\n:\d+\r\n:0\r\n$/);
  });

  it("propagates a script's writes as one MULTI ... EXEC", () => {
    const server = startSimServer({ seed: 3 });
    const chunks: Buffer[] = [];
    server.node.propagation.subscribe((chunk) => chunks.push(chunk.bytes));
    const client = SimClient.open(server.world, server.world.addHost('client', '10.0.0.2'));
    expect(client.call('EVAL', "redis.call('SET', 'a', '1') redis.call('INCR', 'a')", '0')).toBe(
      '$-1\r\n',
    );
    const stream = Buffer.concat(chunks).toString('latin1');
    expect(stream).toBe(
      '*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*1\r\n$5\r\nMULTI\r\n*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$4\r\nINCR\r\n$1\r\na\r\n*1\r\n$4\r\nEXEC\r\n',
    );
    server.node.stop();
  });

  it('keeps function libraries across DEBUG RELOAD', () => {
    const server = startSimServer({ seed: 5, options: ['--enable-debug-command', 'yes'] });
    const client = SimClient.open(server.world, server.world.addHost('client', '10.0.0.2'));
    const library = "#!lua name=lib\nredis.register_function('f', function() return 'ok' end)";
    expect(client.call('FUNCTION', 'LOAD', library)).toBe('$3\r\nlib\r\n');
    expect(client.call('DEBUG', 'RELOAD')).toBe('+OK\r\n');
    expect(client.call('FCALL', 'f', '0')).toBe('$2\r\nok\r\n');
    expect(client.call('FUNCTION', 'FLUSH')).toBe('+OK\r\n');
    expect(client.call('DEBUG', 'RELOAD')).toBe('+OK\r\n');
    expect(client.call('FCALL', 'f', '0')).toBe('-ERR Function not found\r\n');
    server.node.stop();
  });
});
