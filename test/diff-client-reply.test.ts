/**
 * CLIENT REPLY ON|OFF|SKIP and CLIENT NO-EVICT against redis-server 7.0.15: each server gets the
 * same pipelines on its own connections, and everything each connection receives is compared
 * byte for byte. SKIP drops the next command's reply only; OFF drops every reply (errors too)
 * until ON, whose +OK arrives; OFF and SKIP reply nothing themselves. Pub/Sub messages still
 * arrive while replies are off (7.0.15 pushes them regardless).
 * NO-EVICT shows as `e` in CLIENT INFO's flags.
 */
import { describe, expect, it } from 'vitest';
import { RawClient, type RawReply } from './support/raw-client.js';
import { useServerPair } from './support/server-pair.js';

const text = (reply: RawReply | undefined): string => reply?.bytes.toString('latin1') ?? '';
const flagsOf = (info: string): string => /flags=(\S*)/.exec(info)?.[0] ?? '';

describe('CLIENT REPLY and CLIENT NO-EVICT against redis-server', () => {
  const servers = useServerPair();

  it('silences replies and messages as Redis does', async () => {
    const { ports } = servers();
    const transcripts = await Promise.all(
      [ports.redis, ports.replisim].map(async (port) => {
        const a = await RawClient.connect(port);
        const b = await RawClient.connect(port);
        const out: string[] = [];
        try {
          for (const argv of [
            ['CLIENT', 'REPLY'],
            ['CLIENT', 'REPLY', 'foo'],
            ['CLIENT', 'NO-EVICT', 'foo'],
            ['CLIENT', 'NO-EVICT', 'on'],
          ]) {
            out.push(text(await a.call(...argv)));
          }
          out.push(flagsOf(text(await a.call('CLIENT', 'INFO'))));
          out.push(text(await a.call('CLIENT', 'NO-EVICT', 'off')));
          out.push(flagsOf(text(await a.call('CLIENT', 'INFO'))));

          // SKIP: the next reply only.
          a.command('CLIENT', 'REPLY', 'SKIP');
          a.command('SET', 'a', '1');
          a.command('GET', 'a');
          out.push(...(await a.read(1)).map(text));
          // OFF: nothing, errors included, until ON.
          a.command('CLIENT', 'REPLY', 'OFF');
          a.command('SET', 'b', '2');
          a.command('GET', 'b');
          a.command('NOSUCHCOMMAND');
          a.command('CLIENT', 'REPLY', 'foo');
          a.command('CLIENT', 'REPLY', 'SKIP');
          a.command('CLIENT', 'REPLY', 'ON');
          a.command('GET', 'b');
          out.push(...(await a.read(2)).map(text));

          // Pub/Sub messages still arrive (RESP3, where CLIENT REPLY may run while subscribed).
          await b.call('HELLO', '3');
          out.push(...(await b.read(0)).map(text));
          b.command('SUBSCRIBE', 'ch');
          out.push(text((await b.read(1))[0]));
          b.command('CLIENT', 'REPLY', 'OFF');
          out.push(text(await a.call('PUBLISH', 'ch', 'while-off')));
          b.command('CLIENT', 'REPLY', 'ON');
          out.push(text((await b.read(1))[0]));
          out.push(text((await b.read(1))[0]));
          return out;
        } finally {
          a.close();
          b.close();
        }
      }),
    );
    expect(transcripts[1]).toEqual(transcripts[0]);
    expect(transcripts[0]).toContain('flags=e');
    expect(transcripts[0]).toContain('$1\r\n2\r\n');
    expect(transcripts[0]?.at(-1)).toBe('+OK\r\n');
  });
});
