/**
 * A replica that fails a command of its master's stream says so, as Redis 7.0 does
 * (peer-errors.ts). Goal: each error the stream causes is logged at warning level with Redis's
 * exact "== CRITICAL ==" line (the error as Redis shows it, the command's name) and the
 * "Latest backlog is:" line, counted in unexpected_error_replies, and the stream goes on. Method:
 * a replisim node replicates from the scripted FakeMaster on the simulated network; the payload
 * holds a string key `s`; the master then streams commands that fail here (INCR of a non-number,
 * LPUSH onto a string, an unknown command, a wrong argument count, a failing command inside
 * MULTI/EXEC) between good ones. The expected lines follow what redis-server 7.0.15 logged for the
 * same errors (shared WRONGTYPE with its '-', addReplyError texts without "ERR ").
 */
import { encodeCommand } from '@replisim/protocol';
import { FakeMaster } from '@replisim/replica/testing';
import { describe, expect, it } from 'vitest';
import { writeDataset } from '../../../../test/support/rdb-datasets.js';
import { SimClient } from '../testing/sim-client.js';
import { startSimServer } from '../testing/sim-server.js';
import { errorAsShown, sdscatrepr } from './peer-errors.js';

const MASTER_ADDRESS = '10.0.0.9';
const MASTER_PORT = 6379;
const REPLID = 'c'.repeat(40);
const CRITICAL = '== CRITICAL == This replica is sending an error to its master:';

const cmd = (...argv: string[]): Buffer => encodeCommand(argv);

function payload(): Buffer {
  return writeDataset([{ db: 0, keys: [{ key: 's', value: { type: 'string', value: 'text' } }] }], {
    compression: false,
    checksum: true,
    header: { redisVersion: '7.0.15', ctimeSeconds: 0, usedMemory: 0 },
  });
}

function syncedReplica() {
  const server = startSimServer({ seed: 41, options: ['--save', ''] });
  const { world } = server;
  const master = new FakeMaster(world.addHost('master', MASTER_ADDRESS), MASTER_PORT);
  const rdb = payload();
  master.onPsync = (_argv, connection) => {
    connection.write(
      Buffer.concat([Buffer.from(`+FULLRESYNC ${REPLID} 0\r\n$${rdb.length}\r\n`), rdb]),
    );
  };
  const client = SimClient.open(world, world.addHost('client', '10.0.0.3'));
  expect(client.call('REPLICAOF', MASTER_ADDRESS, String(MASTER_PORT))).toBe('+OK\r\n');
  expect(world.runUntilTrue(() => server.node.replicaLink?.connected === true, 3000)).toBe(true);
  return { ...server, master, client };
}

describe('errors a replica sends to its master', () => {
  it('are logged with the command, the latest backlog, and counted; the stream goes on', () => {
    const { world, node, logs, master, client } = syncedReplica();
    const first = Buffer.concat([cmd('SELECT', '0'), cmd('SET', 'n', '1')]);
    master.last.write(Buffer.concat([first, cmd('INCR', 's')]));
    world.runUntilTrue(() => logs.some((line) => line.includes(CRITICAL)), 1000);
    const critical = logs.filter((line) => line.includes('# == CRITICAL'));
    expect(critical.map((line) => line.slice(line.indexOf('== CRITICAL')))).toEqual([
      "== CRITICAL == This replica is sending an error to its master: 'value is not an integer or out of range' after processing the command 'incr'",
    ]);
    // The backlog holds what was applied before the failing command (Redis feeds it afterwards).
    expect(logs.find((line) => line.includes('Latest backlog is:'))).toMatch(
      /# Latest backlog is: '"\*2\\r\\n\$6\\r\\nSELECT\\r\\n\$1\\r\\n0\\r\\n\*3\\r\\n\$3\\r\\nSET\\r\\n\$1\\r\\nn\\r\\n\$1\\r\\n1\\r\\n"'$/,
    );

    master.last.write(
      Buffer.concat([
        cmd('LPUSH', 's', 'x'),
        cmd('NOSUCHCMD', 'a'),
        cmd('GET'),
        cmd('MULTI'),
        cmd('SET', 'm', '1'),
        cmd('INCR', 's'),
        cmd('EXEC'),
        cmd('SET', 'after', 'yes'),
      ]),
    );
    world.runUntilTrue(() => node.databases[0]?.peek('after') !== undefined, 1000);
    const lines = logs
      .filter((line) => line.includes('# == CRITICAL'))
      .map((line) => line.slice(line.indexOf("master: '") + "master: '".length));
    expect(lines.slice(1)).toEqual([
      "-WRONGTYPE Operation against a key holding the wrong kind of value' after processing the command 'lpush'",
      "unknown command 'NOSUCHCMD', with args beginning with: 'a' ' after processing the command '<unknown>'",
      "wrong number of arguments for 'get' command' after processing the command 'get'",
      "value is not an integer or out of range' after processing the command 'exec'",
    ]);
    expect(client.call('GET', 'm')).toBe('$1\r\n1\r\n');
    expect(client.call('GET', 'after')).toBe('$3\r\nyes\r\n');
    expect(client.call('INFO', 'stats')).toContain('\r\nunexpected_error_replies:5\r\n');
  });
});

describe('how the log shows an error and the backlog', () => {
  it('keeps the - of shared errors and of non-ERR codes, drops the implied ERR of others', () => {
    expect(errorAsShown('ERR syntax error')).toBe('-ERR syntax error');
    expect(errorAsShown('ERR')).toBe('-ERR');
    expect(errorAsShown('ERR value is not an integer or out of range')).toBe(
      'value is not an integer or out of range',
    );
    expect(errorAsShown('WRONGTYPE Operation')).toBe('-WRONGTYPE Operation');
    expect(errorAsShown(`ERR ${'x'.repeat(5000)}`)).toHaveLength(4096);
  });

  it('quotes bytes as sdscatrepr does', () => {
    expect(sdscatrepr(Buffer.from('a"b\\c\r\n\t\x07\x08\x00\xff', 'latin1'))).toBe(
      '"a\\"b\\\\c\\r\\n\\t\\a\\b\\x00\\xff"',
    );
  });
});
