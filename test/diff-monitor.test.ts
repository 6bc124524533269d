/**
 * MONITOR against redis-server 7.0.15: the lines a monitor receives for another client's commands
 * (quoting, database, which commands are shown: not admin ones, EXEC's commands, AUTH redacted),
 * with the timestamp and the client's port masked, and what the monitor itself may still do.
 */
import { describe, expect, it } from 'vitest';
import { RawClient } from './support/raw-client.js';
import { useServerPair } from './support/server-pair.js';

const SCRIPT: readonly (readonly (string | Buffer)[])[] = [
  ['SET', 'k', 'a "quoted"\\ value\r\n\t'],
  ['SET', Buffer.from([0x01, 0xff]), '12345'],
  ['GET', 'k'],
  ['SELECT', '2'],
  ['LPUSH', 'k', 'x'],
  ['CONFIG', 'GET', 'hz'],
  ['MULTI'],
  ['INCR', 'n'],
  ['EXEC'],
  ['AUTH', 'secret'],
  ['NOSUCH', 'command'],
  ['SELECT', '0'],
  ['DEL', 'k', Buffer.from([0x01, 0xff])],
  ['PING'],
];

/** A monitor line with its time and port replaced. */
function masked(line: string): string {
  return line.replace(/^\+\d+\.\d{6} \[(\d+) 127\.0\.0\.1:\d+\]/, '+<time> [$1 <client>]');
}

describe('MONITOR against redis-server', () => {
  const servers = useServerPair();
  it('feeds the same lines as Redis', async () => {
    const { ports } = servers();
    const transcripts = await Promise.all(
      [ports.redis, ports.replisim].map(async (port) => {
        const monitor = await RawClient.connect(port);
        const client = await RawClient.connect(port);
        try {
          const out = [(await monitor.call('MONITOR')).bytes.toString('latin1')];
          for (const argv of SCRIPT) await client.call(...argv);
          await client.call('ECHO', 'last');
          for (;;) {
            const [reply] = await monitor.read(1);
            const line = reply?.bytes.toString('latin1') ?? '';
            out.push(masked(line));
            if (line.includes('"last"')) break;
          }
          out.push((await monitor.call('GET', 'k')).bytes.toString('latin1'));
          out.push((await monitor.call('RESET')).bytes.toString('latin1'));
          // No longer a monitor: it runs keyspace commands and receives no more lines.
          await client.call('SET', 'after', 'reset');
          out.push((await monitor.call('GET', 'after')).bytes.toString('latin1'));
          return out;
        } finally {
          monitor.close();
          client.close();
        }
      }),
    );
    expect(transcripts[1]).toEqual(transcripts[0]);
  });
});
