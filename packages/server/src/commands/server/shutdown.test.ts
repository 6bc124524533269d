/**
 * SHUTDOWN and the signal-initiated shutdown, on the simulated Env. Goal: the reply bytes and the
 * syntax rules are Redis 7.0.15's (captured from a real server), a successful shutdown closes the
 * connection with no reply and stops the node through its exit hook, the final save happens
 * exactly when Redis would do it (save rules && !NOSAVE, or SAVE) and a restarted node loads it,
 * and a failed save (a full disk) keeps the node serving unless FORCE. Method: a node on a SimHost
 * with an exit hook that records the code; the dump is read back from the SimDisk.
 */
import { type SimHost, SimWorld } from '@replisim/base';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/load-config.js';
import { ServerNode, type StartResult } from '../../node.js';
import { signalShutdown } from '../../shutdown.js';
import { SimClient } from '../../testing/sim-client.js';
import { runUntil, SIM_SERVER_ADDRESS } from '../../testing/sim-server.js';

interface Booted {
  readonly node: ServerNode;
  readonly logs: string[];
  readonly exits: number[];
  readonly client: SimClient;
}

let clientHosts = 0;

function boot(world: SimWorld, host: SimHost, options: readonly string[]): Booted {
  // Clients connect from other hosts: protected mode off, as startSimServer does.
  const loaded = loadConfig('', [
    ...['--port', '6379', '--bind', '0.0.0.0', '--protected-mode', 'no'],
    ...options,
  ]);
  if (!loaded.ok) throw new Error(loaded.error.reason);
  const logs: string[] = [];
  const exits: number[] = [];
  const node = new ServerNode({
    env: host.env,
    config: loaded.config,
    logSink: (line) => logs.push(line),
    pid: 4242,
    exit: (code) => exits.push(code),
  });
  let result: StartResult | undefined;
  node.start((outcome) => {
    result = outcome;
  });
  runUntil(world, () => result !== undefined, 10_000);
  expect(result?.ok).toBe(true);
  clientHosts++;
  const client = SimClient.open(
    world,
    world.addHost(`client${clientHosts}`, `10.0.1.${clientHosts}`),
  );
  return { node, logs, exits, client };
}

function setup(
  seed: number,
  options: readonly string[],
): Booted & { world: SimWorld; host: SimHost } {
  const world = new SimWorld({ seed });
  const host = world.addHost('server', SIM_SERVER_ADDRESS);
  return { world, host, ...boot(world, host, options) };
}

function messages(logs: readonly string[]): string[] {
  return logs.map((line) => line.replace(/^.*? [*#.-] /, ''));
}

describe('SHUTDOWN replies', () => {
  it('refuses bad combinations with a syntax error and ABORT with nothing to abort', () => {
    const { client, node } = setup(1, ['--save', '']);
    expect(client.call('SHUTDOWN', 'FOO')).toBe('-ERR syntax error\r\n');
    expect(client.call('SHUTDOWN', 'SAVE', 'NOSAVE')).toBe('-ERR syntax error\r\n');
    expect(client.call('SHUTDOWN', 'ABORT', 'NOW')).toBe('-ERR syntax error\r\n');
    expect(client.call('SHUTDOWN', 'abort')).toBe('-ERR No shutdown in progress.\r\n');
    expect(client.call('SHUTDOWN', 'ABORT', 'ABORT')).toBe('-ERR No shutdown in progress.\r\n');
    expect(node.isStopped).toBe(false);
  });

  it('is refused inside MULTI, as a no_multi command', () => {
    const { client, node } = setup(2, ['--save', '']);
    client.pipeline([['MULTI'], ['SHUTDOWN', 'NOSAVE'], ['EXEC']]);
    const replies = client.read(3).map((reply) => reply.bytes.toString('latin1'));
    expect(replies).toEqual([
      '+OK\r\n',
      '-ERR Command not allowed inside a transaction\r\n',
      '-EXECABORT Transaction discarded because of previous errors.\r\n',
    ]);
    expect(node.isStopped).toBe(false);
  });
});

describe('SHUTDOWN saving and exiting', () => {
  it('NOSAVE with save rules: no reply, connection closed, node stopped, exit 0, no dump', () => {
    const sim = setup(3, ['--save', '3600 1']);
    expect(sim.client.call('SET', 'k', 'v')).toBe('+OK\r\n');
    sim.client.send('*2\r\n$8\r\nSHUTDOWN\r\n$6\r\nNOSAVE\r\n');
    expect(sim.client.waitClosed()).toBe(true);
    expect(sim.client.unread()).toEqual([]);
    expect(sim.node.isStopped).toBe(true);
    expect(sim.exits).toEqual([0]);
    expect(sim.host.disk.existsSync('/dump.rdb')).toBe(false);
    expect(messages(sim.logs)).toEqual(
      expect.arrayContaining([
        'User requested shutdown...',
        'Redis is now ready to exit, bye bye...',
      ]),
    );
    expect(messages(sim.logs)).not.toContain('Saving the final RDB snapshot before exiting.');
  });

  it('without save rules and without SAVE: exits without saving', () => {
    const sim = setup(4, ['--save', '']);
    sim.client.call('SET', 'k', 'v');
    sim.client.send('*1\r\n$8\r\nSHUTDOWN\r\n');
    expect(sim.client.waitClosed()).toBe(true);
    expect(sim.exits).toEqual([0]);
    expect(sim.host.disk.existsSync('/dump.rdb')).toBe(false);
  });

  it('with save rules: saves the final snapshot, and a restarted node loads it', () => {
    const sim = setup(5, ['--save', '3600 1']);
    sim.client.call('SET', 'k', 'v');
    sim.client.call('RPUSH', 'list', 'a', 'b');
    sim.client.send('*1\r\n$8\r\nSHUTDOWN\r\n');
    expect(sim.client.waitClosed(10_000)).toBe(true);
    expect(sim.exits).toEqual([0]);
    expect(sim.host.disk.existsSync('/dump.rdb')).toBe(true);
    expect(messages(sim.logs)).toEqual(
      expect.arrayContaining([
        'User requested shutdown...',
        'Saving the final RDB snapshot before exiting.',
        'DB saved on disk',
        'Redis is now ready to exit, bye bye...',
      ]),
    );
    // The saved file is durable: it survives a power loss right after the exit.
    sim.host.crash();
    sim.host.restart();
    const again = boot(sim.world, sim.host, ['--save', '3600 1']);
    expect(again.client.call('GET', 'k')).toBe('$1\r\nv\r\n');
    expect(again.client.call('LRANGE', 'list', '0', '-1')).toBe('*2\r\n$1\r\na\r\n$1\r\nb\r\n');
  });

  it('SAVE saves even without save rules', () => {
    const sim = setup(6, ['--save', '']);
    sim.client.call('SET', 'k', 'v');
    sim.client.send('*2\r\n$8\r\nSHUTDOWN\r\n$4\r\nSAVE\r\n');
    expect(sim.client.waitClosed(10_000)).toBe(true);
    expect(sim.host.disk.existsSync('/dump.rdb')).toBe(true);
  });

  it('a failed save keeps the node serving and answers the error before pipelined commands', () => {
    const sim = setup(7, ['--save', '3600 1']);
    sim.client.call('SET', 'k', 'v'.repeat(1000));
    sim.host.disk.setFaults({ spaceBytesMax: 100 });
    sim.client.pipeline([['SHUTDOWN'], ['PING']]);
    const replies = sim.client.read(2, 10_000).map((reply) => reply.bytes.toString('latin1'));
    expect(replies).toEqual(['-ERR Errors trying to SHUTDOWN. Check logs.\r\n', '+PONG\r\n']);
    expect(sim.node.isStopped).toBe(false);
    expect(sim.exits).toEqual([]);
    expect(messages(sim.logs)).toEqual(
      expect.arrayContaining([
        "Error trying to save the DB, can't exit.",
        'Errors trying to shut down the server. Check the logs for more information.',
      ]),
    );
    expect(sim.host.disk.existsSync('/dump.rdb')).toBe(false);
  });

  it('aborts a running BGSAVE first and removes its temp file', () => {
    const sim = setup(14, ['--save', '']);
    for (let i = 0; i < 200; i++) sim.client.call('SET', `k${i}`, 'v');
    sim.node.persistence.sliceBudget = { keysMax: 1, bytesMax: 64, msMax: 1 };
    // A slow disk: queued chunks go out together, so the save is a few slow writes long.
    sim.host.disk.setFaults({ latencyMsMin: 50, latencyMsMax: 50 });
    expect(sim.client.call('BGSAVE')).toBe('+Background saving started\r\n');
    sim.world.runFor(20);
    expect(sim.node.persistence.bgsaveInProgress).toBe(true);
    sim.client.send('*2\r\n$8\r\nSHUTDOWN\r\n$6\r\nNOSAVE\r\n');
    expect(sim.client.waitClosed()).toBe(true);
    sim.world.runFor(500);
    expect(sim.exits).toEqual([0]);
    expect(messages(sim.logs)).toContain('There is a child saving an .rdb. Killing it!');
    expect(sim.host.disk.listSync('/')?.filter((name) => name.startsWith('temp-'))).toEqual([]);
    expect(sim.host.disk.existsSync('/dump.rdb')).toBe(false);
  });

  it('FORCE exits even when the save fails', () => {
    const sim = setup(8, ['--save', '3600 1']);
    sim.client.call('SET', 'k', 'v'.repeat(1000));
    sim.host.disk.setFaults({ spaceBytesMax: 100 });
    sim.client.send('*2\r\n$8\r\nSHUTDOWN\r\n$5\r\nFORCE\r\n');
    expect(sim.client.waitClosed(10_000)).toBe(true);
    expect(sim.exits).toEqual([0]);
    expect(messages(sim.logs)).toContain('Error trying to save the DB. Exit anyway.');
  });
});

describe('signal-initiated shutdown', () => {
  it('SIGTERM schedules the shutdown for the next cron tick, saving with save rules', () => {
    const sim = setup(9, ['--save', '3600 1']);
    sim.client.call('SET', 'k', 'v');
    signalShutdown(sim.node, 'SIGTERM');
    expect(sim.node.isStopped).toBe(false); // only scheduled
    runUntil(sim.world, () => sim.exits.length > 0, 10_000);
    expect(sim.exits).toEqual([0]);
    expect(messages(sim.logs)).toEqual(
      expect.arrayContaining([
        'Received SIGTERM scheduling shutdown...',
        'User requested shutdown...',
        'Saving the final RDB snapshot before exiting.',
      ]),
    );
    expect(sim.host.disk.existsSync('/dump.rdb')).toBe(true);
  });

  it('shutdown-on-sigterm nosave overrides the save rules', () => {
    const sim = setup(10, ['--save', '3600 1', '--shutdown-on-sigterm', 'nosave']);
    sim.client.call('SET', 'k', 'v');
    signalShutdown(sim.node, 'SIGTERM');
    runUntil(sim.world, () => sim.exits.length > 0, 10_000);
    expect(sim.exits).toEqual([0]);
    expect(sim.host.disk.existsSync('/dump.rdb')).toBe(false);
  });

  it('a second SIGINT while one is pending exits 1 at once without saving', () => {
    const sim = setup(11, ['--save', '3600 1']);
    sim.client.call('SET', 'k', 'v');
    signalShutdown(sim.node, 'SIGINT');
    signalShutdown(sim.node, 'SIGINT');
    expect(sim.exits).toEqual([1]);
    expect(messages(sim.logs)).toContain('You insist... exiting now.');
    expect(sim.host.disk.existsSync('/dump.rdb')).toBe(false);
  });

  it('a failed save keeps the node running and forgets the signal', () => {
    const sim = setup(12, ['--save', '3600 1']);
    sim.client.call('SET', 'k', 'v'.repeat(1000));
    sim.host.disk.setFaults({ spaceBytesMax: 100 });
    signalShutdown(sim.node, 'SIGTERM');
    runUntil(sim.world, () => sim.node.shutdownSignal === undefined, 10_000);
    sim.world.runFor(1000);
    expect(sim.exits).toEqual([]);
    expect(sim.client.call('PING')).toBe('+PONG\r\n');
  });

  it('CONFIG shows and sets shutdown-on-sigterm, shutdown-on-sigint and shutdown-timeout', () => {
    const { client } = setup(13, ['--save', '']);
    expect(client.call('CONFIG', 'GET', 'shutdown-on-sigterm')).toBe(
      '*2\r\n$19\r\nshutdown-on-sigterm\r\n$7\r\ndefault\r\n',
    );
    expect(client.call('CONFIG', 'SET', 'shutdown-on-sigint', 'force now nosave')).toBe('+OK\r\n');
    expect(client.call('CONFIG', 'GET', 'shutdown-on-sigint')).toBe(
      '*2\r\n$18\r\nshutdown-on-sigint\r\n$16\r\nnosave now force\r\n',
    );
    expect(client.call('CONFIG', 'SET', 'shutdown-on-sigint', 'save nosave')).toBe(
      "-ERR CONFIG SET failed (possibly related to argument 'shutdown-on-sigint') - shutdown options SAVE and NOSAVE can't be used simultaneously\r\n",
    );
    expect(client.call('CONFIG', 'SET', 'shutdown-on-sigterm', 'bad')).toBe(
      "-ERR CONFIG SET failed (possibly related to argument 'shutdown-on-sigterm') - argument(s) must be one of the following: default, save, nosave, now, force\r\n",
    );
    expect(client.call('CONFIG', 'GET', 'shutdown-timeout')).toBe(
      '*2\r\n$16\r\nshutdown-timeout\r\n$2\r\n10\r\n',
    );
  });
});
