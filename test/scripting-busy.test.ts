/**
 * Busy scripts (busy-reply-threshold / lua-time-limit), against a real redis-server 7.0.15: a
 * script that runs past the threshold lets the server answer other clients with -BUSY, and
 * serves SCRIPT KILL, FUNCTION KILL, FUNCTION STATS and SHUTDOWN NOSAVE; a killed script's caller
 * gets Redis's error; a script that wrote cannot be killed.
 *
 * Method: both servers run with `busy-reply-threshold 50`. A first client starts a script that
 * never ends; a second polls with GET until it gets -BUSY (so both servers are past the
 * threshold), then sends the same commands to both, and every reply must be byte-identical
 * (FUNCTION STATS's duration is masked). Then replisim alone: a script that writes, runs past the
 * threshold (its node logs the slow-script warning, so it did yield to the event loop) and
 * writes again must propagate its two writes as one MULTI ... EXEC. SHUTDOWN NOSAVE ends both
 * servers while their scripts cannot be killed.
 */
import { describe, expect, it } from 'vitest';
import { RawClient } from './support/raw-client.js';
import { streamCommands } from './support/replication-stream.js';
import { startReplisimNode } from './support/replisim-node.js';
import { useServerPair } from './support/server-pair.js';

const SPIN = 'local i = 0 while true do i = i + 1 end';
const SPIN_LIBRARY = `#!lua name=spin
redis.register_function('spin', function() local i = 0 while true do i = i + 1 end end)`;
const BUSY_DEADLINE_MS = 10_000;

async function waitForBusy(client: RawClient): Promise<string> {
  const deadline = Date.now() + BUSY_DEADLINE_MS;
  for (;;) {
    const reply = (await client.call('GET', 'x')).bytes.toString('latin1');
    if (reply.startsWith('-BUSY')) return reply;
    if (Date.now() > deadline) throw new Error(`never busy: ${reply}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Starts `argv` on a client of `port` and returns the client (its reply arrives later). */
async function start(port: number, ...argv: string[]): Promise<RawClient> {
  const client = await RawClient.connect(port);
  client.command(...argv);
  return client;
}

const mask = (text: string) => text.replace(/duration_ms\r\n:\d+/, 'duration_ms\r\n:<ms>');

describe('busy scripts against redis-server', () => {
  const servers = useServerPair({ both: ['--busy-reply-threshold', '50'] });

  async function compare(steps: readonly (readonly string[])[], runner: readonly string[]) {
    const outputs: string[][] = [];
    for (const port of [servers().ports.redis, servers().ports.replisim]) {
      const setup = await RawClient.connect(port);
      await setup.call('FUNCTION', 'LOAD', 'REPLACE', SPIN_LIBRARY);
      const caller = await start(port, ...runner);
      const out: string[] = [await waitForBusy(setup)];
      for (const argv of steps)
        out.push(mask((await setup.call(...argv)).bytes.toString('latin1')));
      const [ended] = await caller.read(1, BUSY_DEADLINE_MS);
      out.push(ended?.bytes.toString('latin1') ?? '<no reply>');
      out.push((await setup.call('PING')).bytes.toString('latin1'));
      caller.close();
      setup.close();
      outputs.push(out);
    }
    expect(outputs[1]).toEqual(outputs[0]);
  }

  it('an EVAL past the threshold: -BUSY, FUNCTION STATS / KILL refused, SCRIPT KILL', async () => {
    await compare(
      [['PING'], ['FUNCTION', 'STATS'], ['FUNCTION', 'KILL'], ['SHUTDOWN'], ['SCRIPT', 'KILL']],
      ['EVAL', SPIN, '0'],
    );
  });

  it('a function past the threshold: FUNCTION STATS, SCRIPT KILL refused, FUNCTION KILL', async () => {
    await compare(
      [
        ['FUNCTION', 'STATS'],
        ['SCRIPT', 'KILL'],
        ['SHUTDOWN', 'SAVE'],
        ['FUNCTION', 'KILL'],
      ],
      ['FCALL', 'spin', '0'],
    );
  });

  it('a script that wrote cannot be killed; a read-only one can', async () => {
    await compare(
      // One KILL: whether a second one still finds the script running is a race on both servers.
      [['SCRIPT', 'KILL']],
      ['EVAL', `redis.call('GET', 'k') ${SPIN}`, '0'],
    );
    for (const port of [servers().ports.redis, servers().ports.replisim]) {
      const setup = await RawClient.connect(port);
      await start(port, 'EVAL', `redis.call('SET', 'w', '1') ${SPIN}`, '0');
      await waitForBusy(setup);
      expect((await setup.call('SCRIPT', 'KILL')).bytes.toString('latin1')).toBe(
        '-UNKILLABLE Sorry the script already executed write commands against the dataset. You can either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command.\r\n',
      );
      setup.close();
    }
    // Both servers are now stuck in an unkillable script: SHUTDOWN NOSAVE ends each.
    for (const port of [servers().ports.redis, servers().ports.replisim]) {
      const client = await RawClient.connect(port);
      client.command('SHUTDOWN', 'NOSAVE');
      expect(await client.waitClosed(BUSY_DEADLINE_MS)).toBe(true);
    }
    expect(servers().replisim.node.isStopped).toBe(true);
  });
});

describe('a busy script on replisim', () => {
  it('keeps its writes together: one MULTI ... EXEC across its yields', async () => {
    const node = await startReplisimNode(['--busy-reply-threshold', '10']);
    const chunks: Buffer[] = [];
    node.node.propagation.subscribe((chunk) => chunks.push(chunk.bytes));
    try {
      const other = await RawClient.connect(node.port);
      const caller = await start(
        node.port,
        'EVAL',
        "redis.call('SET', 'a', '1') local i = 0 while i < 3000000 do i = i + 1 end redis.call('SET', 'b', '2') return i",
        '0',
      );
      expect(await waitForBusy(other)).toBe(
        '-BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.\r\n',
      );
      const [reply] = await caller.read(1, 30_000);
      expect(reply?.bytes.toString('latin1')).toBe(':3000000\r\n');
      expect(node.logs.some((line) => line.includes('Slow script detected'))).toBe(true);
      expect(streamCommands(Buffer.concat(chunks))).toEqual([
        ['MULTI'],
        ['SET', 'a', '1'],
        ['SET', 'b', '2'],
        ['EXEC'],
      ]);
      expect((await other.call('MGET', 'a', 'b')).bytes.toString()).toBe(
        '*2\r\n$1\r\n1\r\n$1\r\n2\r\n',
      );
      caller.close();
      other.close();
    } finally {
      node.stop();
    }
  }, 60_000);
});
