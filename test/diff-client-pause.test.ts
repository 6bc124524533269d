/**
 * CLIENT PAUSE and CLIENT UNPAUSE against redis-server 7.0.15, in RESP2 and RESP3, each server
 * with its own two connections (a controller and a worker), transcripts compared byte for byte:
 *
 * - the argument errors, in Redis's order (the mode is checked before the timeout);
 * - under WRITE, reads and read-only transactions run, a write waits (CLIENT LIST shows it `b`
 *   with cmd=set, INFO counts it in blocked_clients) together with what the worker pipelined
 *   after it, and a write queued inside MULTI waits at queue time (`xb`); EVAL waits unless its
 *   script declares no-writes;
 * - while paused, an expired key reads as missing but is not deleted (DBSIZE keeps it), and is
 *   deleted by the first lookup after CLIENT UNPAUSE;
 * - under ALL every command waits, CLIENT UNPAUSE included, until the time is up;
 * - a replica paused with WRITE holds its master's stream: its data stays old, its master client
 *   shows `Mb`, slave_read_repl_offset runs ahead of slave_repl_offset, and everything is applied
 *   on CLIENT UNPAUSE (a real redis-server master, one real and one replisim replica).
 */
import { describe, expect, it } from 'vitest';
import { RawClient, type RawReply } from './support/raw-client.js';
import { startRedisServer } from './support/redis-server.js';
import { useServerPair } from './support/server-pair.js';
import { waitUntil } from './support/wait-until.js';

const text = (reply: RawReply | undefined): string => reply?.bytes.toString('latin1') ?? '';

/** The `flags=` and `cmd=` fields of the CLIENT LIST line whose id= is `id`. */
function flagsAndCommand(listing: string, id: string): string {
  const line = listing.split('\n').find((entry) => entry.includes(`id=${id} `)) ?? '';
  return ['flags', 'cmd'].map((field) => new RegExp(`${field}=(\\S*)`).exec(line)?.[0]).join(' ');
}

async function blockedClients(client: RawClient): Promise<number> {
  const info = text(await client.call('INFO', 'clients'));
  return Number(/blocked_clients:(\d+)/.exec(info)?.[1] ?? -1);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('CLIENT PAUSE against redis-server', () => {
  // Active expiry is switched off, so only lazy expiry (which a pause holds back) meets the key.
  const servers = useServerPair({ both: ['--enable-debug-command', 'yes'] });

  for (const protocol of [2, 3] as const) {
    it(`pauses and releases clients as Redis does (RESP${protocol})`, async () => {
      const { ports } = servers();
      const transcripts = await Promise.all(
        [ports.redis, ports.replisim].map(async (port) => {
          const control = await RawClient.connect(port);
          const worker = await RawClient.connect(port);
          const out: string[] = [];
          const says = async (client: RawClient, ...argv: string[]) =>
            out.push(text(await client.call(...argv)));
          try {
            if (protocol === 3) {
              await control.call('HELLO', '3');
              await worker.call('HELLO', '3');
            }
            await control.call('FLUSHALL');
            await control.call('DEBUG', 'SET-ACTIVE-EXPIRE', '0');
            const workerId = text(await worker.call('CLIENT', 'ID')).replace(/\D/g, '');
            for (const argv of [
              ['CLIENT', 'PAUSE'],
              ['CLIENT', 'PAUSE', 'abc'],
              ['CLIENT', 'PAUSE', '-1'],
              ['CLIENT', 'PAUSE', '10', 'foo'],
              ['CLIENT', 'PAUSE', 'abc', 'foo'],
              ['CLIENT', 'PAUSE', '10', 'write', 'extra'],
              ['CLIENT', 'UNPAUSE', 'x'],
              ['CLIENT', 'UNPAUSE'],
            ]) {
              await says(control, ...argv);
            }

            // WRITE: reads run, writes wait with what was pipelined behind them.
            await says(control, 'SET', 'k', '1');
            await says(control, 'SET', 'e', '1', 'PX', '30');
            await sleep(60);
            await says(control, 'CLIENT', 'PAUSE', '100000', 'WRITE');
            await says(worker, 'GET', 'k');
            await says(worker, 'GET', 'e');
            await says(control, 'DBSIZE');
            await says(worker, 'EXISTS', 'e');
            await says(worker, 'MULTI');
            await says(worker, 'GET', 'k');
            await says(worker, 'EXEC');
            await says(worker, 'EVAL', '#!lua flags=no-writes\nreturn 7', '0');
            worker.command('SET', 'k', '2');
            worker.command('PING');
            await waitUntil('the SET to wait', async () => (await blockedClients(control)) === 1);
            out.push(flagsAndCommand(text(await control.call('CLIENT', 'LIST')), workerId));
            await says(control, 'GET', 'k');
            await says(control, 'CLIENT', 'UNPAUSE');
            out.push(...(await worker.read(2)).map(text));
            await says(control, 'GET', 'k');
            await says(control, 'DBSIZE');
            await says(control, 'GET', 'e');
            await says(control, 'DBSIZE');

            // A write queued in MULTI waits at queue time; so does EVAL without no-writes.
            await says(worker, 'MULTI');
            await says(control, 'CLIENT', 'PAUSE', '100000', 'WRITE');
            worker.command('SET', 'k', '3');
            await waitUntil(
              'the queued SET to wait',
              async () => (await blockedClients(control)) === 1,
            );
            out.push(flagsAndCommand(text(await control.call('CLIENT', 'LIST')), workerId));
            await says(control, 'CLIENT', 'UNPAUSE');
            out.push(text((await worker.read(1))[0]));
            await says(worker, 'EXEC');
            await says(control, 'CLIENT', 'PAUSE', '100000', 'WRITE');
            worker.command('EVAL', 'return 8', '0');
            await waitUntil('EVAL to wait', async () => (await blockedClients(control)) === 1);
            await says(control, 'CLIENT', 'UNPAUSE');
            out.push(text((await worker.read(1))[0]));

            // ALL: everything waits, CLIENT UNPAUSE too, until the time is up.
            await says(control, 'CLIENT', 'PAUSE', '300', 'ALL');
            const sent = Date.now();
            worker.command('PING');
            control.command('CLIENT', 'UNPAUSE');
            out.push(text((await worker.read(1, 5000))[0]));
            out.push(text((await control.read(1, 5000))[0]));
            out.push(Date.now() - sent >= 200 ? 'waited' : 'did not wait');

            // A timeout of 0 pauses nothing.
            await says(control, 'CLIENT', 'PAUSE', '0', 'ALL');
            await says(worker, 'SET', 'k', '4');
            return out;
          } finally {
            await control.call('DEBUG', 'SET-ACTIVE-EXPIRE', '1');
            control.close();
            worker.close();
          }
        }),
      );
      expect(transcripts[1]).toEqual(transcripts[0]);
      // The transcript is not vacuous: the postponed SET was seen blocked, and then ran.
      expect(transcripts[0]).toContain('flags=b cmd=set');
      expect(transcripts[0]).toContain('flags=xb cmd=set');
      expect(transcripts[0]).toContain('waited');
    });
  }

  it('holds a paused replica’s master stream as Redis does', async () => {
    const { ports } = servers();
    const master = await startRedisServer(['--repl-diskless-sync-delay', '0']);
    const masterClient = await RawClient.connect(master.port);
    const replicas = await Promise.all(
      [ports.redis, ports.replisim].map((p) => RawClient.connect(p)),
    );
    try {
      for (const replica of replicas) {
        await replica.call('REPLICAOF', '127.0.0.1', String(master.port));
      }
      await masterClient.call('SET', 'r', 'old');
      for (const replica of replicas) {
        await waitUntil('the replica to sync', async () =>
          text(await replica.call('GET', 'r')).includes('old'),
        );
      }
      const seen = await Promise.all(
        replicas.map(async (replica) => {
          const out: string[] = [];
          out.push(text(await replica.call('CLIENT', 'PAUSE', '100000', 'WRITE')));
          return out;
        }),
      );
      await masterClient.call('SET', 'r', 'new');
      await masterClient.call('SET', 'r2', 'x');
      for (const [i, replica] of replicas.entries()) {
        const out = seen[i] ?? [];
        await waitUntil('the stream to arrive', async () => {
          const info = text(await replica.call('INFO', 'replication'));
          const read = Number(/slave_read_repl_offset:(\d+)/.exec(info)?.[1]);
          const applied = Number(/slave_repl_offset:(\d+)/.exec(info)?.[1]);
          return read > applied;
        });
        out.push(text(await replica.call('GET', 'r')));
        const listing = text(await replica.call('CLIENT', 'LIST', 'TYPE', 'MASTER'));
        out.push(/flags=(\S*)/.exec(listing)?.[0] ?? '');
        out.push(text(await replica.call('CLIENT', 'UNPAUSE')));
        await waitUntil('the stream to be applied', async () =>
          text(await replica.call('GET', 'r2')).includes('x'),
        );
        out.push(text(await replica.call('GET', 'r')));
        await replica.call('REPLICAOF', 'NO', 'ONE');
      }
      expect(seen[1]).toEqual(seen[0]);
      expect(seen[0]).toEqual(['+OK\r\n', '$3\r\nold\r\n', 'flags=Mb', '+OK\r\n', '$3\r\nnew\r\n']);
    } finally {
      masterClient.close();
      for (const replica of replicas) replica.close();
      await master.stop();
    }
  });
});
