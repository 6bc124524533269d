/**
 * SHUTDOWN with replicas attached ("Shutting down master waits for replica to catch up", reference
 * §6; prepareForShutdown/finishShutdown): the master sends REPLCONF GETACK and waits until every
 * replica acknowledged master_repl_offset, or shutdown-timeout passes (then it logs each lagging
 * replica); NOW skips the wait; SHUTDOWN ABORT cancels it and the SHUTDOWN caller gets the error.
 * Hand-driven replicas in the simulator decide when to acknowledge.
 */
import { encodeCommand } from '@replisim/protocol';
import { describe, expect, it } from 'vitest';
import { SimClient } from '../testing/sim-client.js';
import { SimRawReplica } from '../testing/sim-raw-replica.js';
import { type SimServer, startSimServer } from '../testing/sim-server.js';

function setupWithReplica(seed: number, options: string[] = []) {
  const server: SimServer = startSimServer({
    seed,
    options: ['--save', '', '--repl-diskless-sync', 'no', ...options],
  });
  const client = SimClient.open(server.world, server.world.addHost('client', '10.0.0.2'));
  const replica = SimRawReplica.open(server.world, server.world.addHost('replica', '10.0.0.3'));
  replica.handshake('REPLCONF', 'listening-port', '7000');
  replica.send('PSYNC', '?', '-1');
  replica.waitPayload();
  client.call('SET', 'k', 'v');
  return { ...server, client, replica };
}

const GETACK = encodeCommand(['REPLCONF', 'GETACK', '*']).toString('latin1');

describe('SHUTDOWN with replicas', () => {
  it('waits for the replica to acknowledge the last write, then exits', () => {
    const { world, node, logs, client, replica } = setupWithReplica(81);
    client.pipeline([['SHUTDOWN']]);
    world.runFor(300);
    expect(node.isStopped).toBe(false);
    expect(logs.some((l) => l.includes('Waiting for replicas before shutting down.'))).toBe(true);
    expect(replica.received.toString('latin1').endsWith(GETACK)).toBe(true);
    // The replica acknowledges everything, GETACK included.
    replica.send('REPLCONF', 'ACK', String(node.repl.masterReplOffset));
    world.runFor(300);
    expect(node.isStopped).toBe(true);
    expect(logs.some((l) => l.includes('1 of 1 replicas are in sync when shutting down.'))).toBe(
      true,
    );
  });

  it('gives up after shutdown-timeout and logs the lagging replica', () => {
    const { world, node, logs, client } = setupWithReplica(82, ['--shutdown-timeout', '2']);
    client.pipeline([['SHUTDOWN']]);
    world.runFor(1500);
    expect(node.isStopped).toBe(false);
    world.runFor(1000);
    expect(node.isStopped).toBe(true);
    expect(
      logs.some((l) =>
        /Lagging replica 10\.0\.0\.3:7000 reported offset \d+ behind master, lag=\d+, state=online\./.test(
          l,
        ),
      ),
    ).toBe(true);
    expect(logs.some((l) => l.includes('0 of 1 replicas are in sync when shutting down.'))).toBe(
      true,
    );
  });

  it('does not wait with NOW, and SHUTDOWN ABORT cancels a wait', () => {
    const first = setupWithReplica(83);
    first.client.pipeline([['SHUTDOWN', 'NOW']]);
    first.world.runFor(200);
    expect(first.node.isStopped).toBe(true);

    const { world, node, logs, client } = setupWithReplica(84);
    client.pipeline([['SHUTDOWN']]);
    world.runFor(200);
    const other = SimClient.open(world, world.addHost('other', '10.0.0.9'));
    expect(other.call('SHUTDOWN', 'ABORT')).toBe('+OK\r\n');
    expect(client.read(1, 500)[0]?.bytes.toString()).toBe(
      '-ERR Errors trying to SHUTDOWN. Check logs.\r\n',
    );
    expect(node.isStopped).toBe(false);
    expect(logs.some((l) => l.includes('Shutdown manually aborted.'))).toBe(true);
    expect(client.call('PING')).toBe('+PONG\r\n');
  });

  it('pauses writes while it waits, and SHUTDOWN ABORT lets them run', () => {
    const { world, node, client } = setupWithReplica(85);
    client.pipeline([['SHUTDOWN']]);
    world.runFor(200);
    const writer = SimClient.open(world, world.addHost('writer', '10.0.0.8'));
    writer.pipeline([['SET', 'during', '1']]);
    world.runFor(200);
    // Held, not refused: the replica can catch up with a stream that stopped growing.
    expect(writer.unread()).toEqual([]);
    expect(node.clientPause.postponedCount).toBe(1);
    const other = SimClient.open(world, world.addHost('other', '10.0.0.9'));
    expect(other.call('GET', 'k')).toBe('$1\r\nv\r\n');
    expect(other.call('SHUTDOWN', 'ABORT')).toBe('+OK\r\n');
    expect(writer.read(1, 500)[0]?.bytes.toString()).toBe('+OK\r\n');
    expect(node.clientPause.active).toBe(false);
    expect(other.call('GET', 'during')).toBe('$1\r\n1\r\n');
  });
});
