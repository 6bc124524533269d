/**
 * Scripts and functions on replicas, against redis-server 7.0.15: a replisim replica and a Redis
 * replica of the same Redis master must answer alike. This covers the flags a script declares
 * standing in for EVAL's and FCALL's at dispatch (a script without `no-writes` is refused as a
 * write by a read-only replica, before it runs), the refusal of writes inside compatibility-mode
 * scripts, functions arriving with the full sync's RDB and later as FUNCTION LOAD in the stream,
 * and MASTERDOWN for scripts once the master is gone and replica-serve-stale-data is no.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { Cleanups } from './support/cleanups.js';
import { RawClient } from './support/raw-client.js';
import { startRedisServer } from './support/redis-server.js';
import { startReplisimNode } from './support/replisim-node.js';
import { waitUntil } from './support/wait-until.js';

const cleanups = new Cleanups();
afterAll(() => cleanups.run());

const BEFORE_SYNC = `#!lua name=early
redis.register_function('w', function() return 1 end)
redis.register_function{function_name='r', callback=function() return 2 end, flags={'no-writes', 'allow-stale'}}`;
const AFTER_SYNC = `#!lua name=late
redis.register_function{function_name='late', callback=function() return 'late' end, flags={'no-writes'}}`;

async function linkUp(client: RawClient): Promise<boolean> {
  const info = (await client.call('INFO', 'replication')).bytes.toString('latin1');
  return info.includes('master_link_status:up');
}

describe('scripts on a replica', () => {
  it('answer as on a Redis replica, linked and stale', async () => {
    const master = await startRedisServer(['--repl-diskless-sync', 'no']);
    cleanups.add(() => master.stop());
    const m = await RawClient.connect(master.port);
    await m.call('FUNCTION', 'LOAD', BEFORE_SYNC);
    await m.call('SET', 'k', 'v');
    const theirs = await startRedisServer(['--replicaof', '127.0.0.1', String(master.port)]);
    cleanups.add(() => theirs.stop());
    // A replica saves the master's payload as its dump: give it a directory of its own.
    const dir = cleanups.tempDir('replisim-script-replica-');
    const ours = await startReplisimNode([
      '--dir',
      dir,
      '--replicaof',
      '127.0.0.1',
      String(master.port),
    ]);
    cleanups.add(() => ours.stop());
    const replicas = [await RawClient.connect(theirs.port), await RawClient.connect(ours.port)];
    for (const replica of replicas) await waitUntil('replica link up', () => linkUp(replica));
    await m.call('FUNCTION', 'LOAD', AFTER_SYNC);
    await m.call('SET', 'done', '1');
    for (const replica of replicas) {
      await waitUntil('the stream applied', async () => {
        return (await replica.call('GET', 'done')).bytes.toString() === '$1\r\n1\r\n';
      });
    }

    const compare = async (steps: readonly (readonly string[])[]) => {
      for (const argv of steps) {
        const [a, b] = await Promise.all(replicas.map((replica) => replica.call(...argv)));
        expect(b?.bytes.toString('latin1'), argv.join(' ')).toBe(a?.bytes.toString('latin1'));
      }
    };
    await compare([
      ['EVAL', '#!lua\nreturn 1', '0'],
      ['EVAL', '#!lua flags=no-writes\nreturn redis.call("GET", "k")', '0'],
      ['EVAL', 'return redis.call("GET", "k")', '0'],
      ['EVAL', 'return redis.call("SET", "k", "x")', '0'],
      ['EVAL_RO', '#!lua\nreturn 1', '0'],
      ['FCALL', 'w', '0'],
      ['FCALL', 'r', '0'],
      ['FCALL_RO', 'r', '0'],
      ['FCALL', 'late', '0'],
      ['FUNCTION', 'DELETE', 'late'],
      ['SCRIPT', 'LOAD', 'return 1'],
    ]);

    m.close();
    await master.stop();
    for (const replica of replicas) {
      await replica.call('CONFIG', 'SET', 'replica-serve-stale-data', 'no');
      await waitUntil('replica link down', async () => !(await linkUp(replica)));
    }
    await compare([
      ['EVAL', 'return 1', '0'],
      ['EVALSHA', 'e0e1f9fabfc9d4800c877a703b823ac0578ff8db', '0'],
      ['EVAL', '#!lua flags=no-writes\nreturn 1', '0'],
      ['EVAL', '#!lua flags=no-writes,allow-stale\nreturn 1', '0'],
      ['FCALL', 'r', '0'],
      ['FCALL', 'late', '0'],
    ]);
    for (const replica of replicas) replica.close();
  }, 30_000);
});
