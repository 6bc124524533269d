/**
 * The DEBUG subcommands Redis's own test suite uses, on a simulated node: the packed threshold's
 * effect on a list's layout (DEBUG OBJECT) and on DUMP (PLAIN nodes are container 1), PROTOCOL's
 * RESP2 downgrades and RESP3 types, ERROR not counted as an error reply, LOG's line, REPLICATE
 * reaching the propagation stream, SET-SKIP-CHECKSUM-VALIDATION letting a corrupt RESTORE through,
 * PAUSE-CRON stopping active expiry, and STRINGMATCH-TEST's status.
 */
import { describe, expect, it } from 'vitest';
import { SimClient } from '../../testing/sim-client.js';
import { startSimServer } from '../../testing/sim-server.js';

function open() {
  const server = startSimServer({ seed: 31, options: ['--enable-debug-command', 'yes'] });
  const client = SimClient.open(server.world, server.world.addHost('client', '10.0.0.2'));
  return { ...server, client };
}

/** DEBUG OBJECT's ql_nodes and ql_uncompressed_size. */
function layoutOf(reply: string): string {
  return /ql_nodes:\d+ .* ql_uncompressed_size:\d+/.exec(reply)?.[0] ?? reply;
}

describe('DEBUG (test-suite subcommands)', () => {
  it('QUICKLIST-PACKED-THRESHOLD puts big elements in PLAIN nodes, and 0 restores 1 GB', () => {
    const { client, node } = open();
    client.call('RPUSH', 'l', 'a', 'bbbbbbbbbbbb', 'c');
    expect(layoutOf(client.call('DEBUG', 'OBJECT', 'l'))).toMatch(/^ql_nodes:1 /);
    const packedDump = client.call('DUMP', 'l');
    expect(client.call('DEBUG', 'QUICKLIST-PACKED-THRESHOLD', '10')).toBe('+OK\r\n');
    expect(node.quicklistPackedThreshold).toBe(10);
    // Redis: two 10-byte listpacks around a 12-byte PLAIN node.
    expect(layoutOf(client.call('DEBUG', 'OBJECT', 'l'))).toBe(
      'ql_nodes:3 ql_avg_node:1.00 ql_listpack_max:-2 ql_compressed:0 ql_uncompressed_size:32',
    );
    const plainDump = client.call('DUMP', 'l');
    expect(plainDump).not.toBe(packedDump);
    // RDB_TYPE_LIST_QUICKLIST_2, 3 nodes, the second a PLAIN (1) node holding the raw element.
    expect(plainDump).toContain('\x12\x03\x02');
    expect(plainDump).toContain('\x01\x0cbbbbbbbbbbbb');
    expect(client.call('DEBUG', 'QUICKLIST-PACKED-THRESHOLD', '4gb')).toBe(
      '-ERR argument must be a memory value bigger than 1 and smaller than 4gb\r\n',
    );
    expect(node.quicklistPackedThreshold).toBe(10);
    expect(client.call('DEBUG', 'QUICKLIST-PACKED-THRESHOLD', '0')).toBe('+OK\r\n');
    expect(node.quicklistPackedThreshold).toBe(2 ** 30);
    expect(client.call('DUMP', 'l')).toBe(packedDump);
  });

  it('PROTOCOL downgrades for RESP2 and sends RESP3 types after HELLO 3', () => {
    const { client } = open();
    expect(client.call('DEBUG', 'PROTOCOL', 'map')).toBe(
      '*6\r\n:0\r\n:0\r\n:1\r\n:1\r\n:2\r\n:0\r\n',
    );
    expect(client.call('DEBUG', 'PROTOCOL', 'push')).toBe(
      '-ERR RESP2 is not supported by this command\r\n',
    );
    expect(client.call('DEBUG', 'PROTOCOL', 'attrib')).toBe(
      '$39\r\nSome real reply following the attribute\r\n',
    );
    client.call('HELLO', '3');
    expect(client.call('DEBUG', 'PROTOCOL', 'double')).toBe(',3.141\r\n');
    expect(client.call('DEBUG', 'PROTOCOL', 'Map')).toBe(
      '%3\r\n:0\r\n#f\r\n:1\r\n#t\r\n:2\r\n#f\r\n',
    );
    expect(client.call('DEBUG', 'PROTOCOL', 'verbatim')).toBe(
      '=29\r\ntxt:This is a verbatim\nstring\r\n',
    );
  });

  it('ERROR replies its text without counting an error; LOG writes a warning line', () => {
    const { client, logs } = open();
    expect(client.call('DEBUG', 'ERROR', 'WRONG\nthing')).toBe('-WRONG thing\r\n');
    expect(client.call('INFO', 'errorstats')).toBe('$14\r\n# Errorstats\r\n\r\n');
    expect(client.call('DEBUG', 'LOG', 'marker 42')).toBe('+OK\r\n');
    expect(logs.some((line) => line.endsWith('# DEBUG LOG: marker 42'))).toBe(true);
  });

  it('REPLICATE puts its arguments in the propagation stream', () => {
    const { client, node } = open();
    const chunks: string[] = [];
    node.propagation.subscribe((chunk) => chunks.push(chunk.bytes.toString('latin1')));
    expect(client.call('DEBUG', 'REPLICATE', 'SET', 'k', 'diverged')).toBe('+OK\r\n');
    expect(chunks.join('')).toContain('*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$8\r\ndiverged\r\n');
  });

  it('SET-SKIP-CHECKSUM-VALIDATION lets a payload with a wrong CRC64 restore', () => {
    const { client } = open();
    client.call('SET', 's', 'value');
    const dump = client.call('DUMP', 's');
    const payload = dump.slice(dump.indexOf('\r\n') + 2, -2);
    const corrupt = `${payload.slice(0, -1)}${String.fromCharCode(payload.charCodeAt(payload.length - 1) ^ 0xff)}`;
    expect(client.call('RESTORE', 't', '0', corrupt)).toBe(
      '-ERR DUMP payload version or checksum are wrong\r\n',
    );
    expect(client.call('DEBUG', 'SET-SKIP-CHECKSUM-VALIDATION', '1')).toBe('+OK\r\n');
    expect(client.call('RESTORE', 't', '0', corrupt)).toBe('+OK\r\n');
    expect(client.call('GET', 't')).toBe('$5\r\nvalue\r\n');
  });

  it('PAUSE-CRON stops active expiry until it is switched back', () => {
    const { client, world } = open();
    client.call('DEBUG', 'PAUSE-CRON', '1');
    client.call('SET', 'k', 'v', 'PX', '50');
    world.runFor(2000);
    expect(client.call('DEBUG', 'DIGEST-VALUE', 'k')).not.toBe(
      '*1\r\n+0000000000000000000000000000000000000000\r\n',
    );
    client.call('DEBUG', 'PAUSE-CRON', '0');
    world.runFor(2000);
    expect(client.call('DEBUG', 'DIGEST-VALUE', 'k')).toBe(
      '*1\r\n+0000000000000000000000000000000000000000\r\n',
    );
  });

  it('STRINGMATCH-TEST fuzzes the matcher and replies the status Redis does', () => {
    const { client } = open();
    expect(client.call('DEBUG', 'STRINGMATCH-TEST')).toBe(
      '+Apparently Redis did not crash: test passed\r\n',
    );
  });
});
