/**
 * Differential test of DEBUG against redis-server 7.0.15, byte for byte in RESP2 and RESP3: HELP's
 * whole text, PROTOCOL for every type 7.0 knows (and a wrong one), QUICKLIST-PACKED-THRESHOLD's
 * argument checks and its effect on lists (DEBUG OBJECT's ql_ fields and serializedlength, OBJECT
 * ENCODING, the DUMP payload with PLAIN nodes, and RESTORE of it), LISTPACK and QUICKLIST's replies
 * and errors, ERROR, LOG, STRUCTSIZE, the no-effect subcommands and the argument-count error.
 * DEBUG OBJECT's address and LRU clock are masked: they are a pointer and a clock on both sides.
 */
import { describe, expect, it } from 'vitest';
import { RawClient } from './support/raw-client.js';
import { useServerPair } from './support/server-pair.js';

/** DEBUG OBJECT with its pointer and LRU clock masked. */
const maskObject = (text: string): string =>
  text.replace(/Value at:0x[0-9a-f]+/, 'Value at:ADDR').replace(/ lru:[0-9]+ /, ' lru:LRU ');

describe('DEBUG against redis-server', () => {
  const servers = useServerPair({ both: ['--enable-debug-command', 'yes'] });
  for (const protocol of [2, 3] as const) {
    it(`answers HELP, PROTOCOL and the encoding subcommands as Redis does (RESP${protocol})`, async () => {
      const { ports } = servers();
      const redis = await RawClient.connect(ports.redis);
      const ours = await RawClient.connect(ports.replisim);
      const both = async (...argv: (string | Buffer)[]) => [
        await redis.call(...argv),
        await ours.call(...argv),
      ];
      const same = async (...argv: (string | Buffer)[]) => {
        const [expected, actual] = await both(...argv);
        expect(actual?.bytes.toString('latin1'), argv.join(' ')).toBe(
          expected?.bytes.toString('latin1'),
        );
        return expected?.value.kind === 'bulk' ? expected.value.value : Buffer.alloc(0);
      };
      /** `lzf`: Redis LZF-compresses the listpack, which serializedlength does not model. */
      const sameObject = async (key: string, lzf = false) => {
        const [expected, actual] = await both('DEBUG', 'OBJECT', key);
        const mask = (text: string) =>
          lzf
            ? maskObject(text).replace(/serializedlength:\d+/, 'serializedlength:N')
            : maskObject(text);
        expect(mask(actual?.bytes.toString('latin1') ?? '')).toBe(
          mask(expected?.bytes.toString('latin1') ?? ''),
        );
      };
      try {
        if (protocol === 3) await both('HELLO', '3');
        await same('FLUSHALL');
        await same('DEBUG', 'HELP');
        for (const type of [
          'string',
          'integer',
          'double',
          'bignum',
          'null',
          'array',
          'set',
          'map',
          'attrib',
          'push',
          'verbatim',
          'true',
          'false',
          'TRUE',
          'nope',
        ]) {
          await same('DEBUG', 'PROTOCOL', type);
          // RESP3's push arrives as a reply of its own, then the real reply follows it.
          if (type === 'push' && protocol === 3) {
            const [expected, actual] = [await redis.read(1), await ours.read(1)];
            expect(actual[0]?.bytes.toString('latin1')).toBe(expected[0]?.bytes.toString('latin1'));
          }
        }
        await same('DEBUG', 'PROTOCOL');
        for (const size of ['4gb', '4294967295', '-1', 'abc', '4095mb', '1b', '10']) {
          await same('DEBUG', 'QUICKLIST-PACKED-THRESHOLD', size);
        }
        // With a 10-byte threshold, the 10- and 12-byte elements are PLAIN nodes.
        await same('RPUSH', 'l', 'a', 'bbbbbbbbbbbb', 'c', '0123456789', 'd', '12345678901');
        await sameObject('l');
        await same('OBJECT', 'ENCODING', 'l');
        const dump = await same('DUMP', 'l');
        expect(dump.toString('latin1')).toContain('bbbbbbbbbbbb');
        await same('DEL', 'l');
        await same('RESTORE', 'l', '0', dump);
        await same('LRANGE', 'l', '0', '-1');
        await same('DEBUG', 'QUICKLIST-PACKED-THRESHOLD', '0');
        // Redis keeps nodes made PLAIN as they are; replisim lays a list out anew from the current
        // threshold (docs/server-and-config.md), so only a list built afresh is compared.
        await same('DEL', 'l');
        await same('RPUSH', 'l', 'a', 'bbbbbbbbbbbb', 'c', '0123456789', 'd', '12345678901');
        await sameObject('l', true);
        await same('DUMP', 'l');
        await same('HSET', 'h', 'f', 'v');
        await same('SET', 's', 'abc');
        for (const key of ['h', 'l', 's', 'missing']) {
          await same('DEBUG', 'LISTPACK', key);
          await same('DEBUG', 'QUICKLIST', key);
        }
        await same('DEBUG', 'QUICKLIST', 'l', '1');
        await same('DEBUG', 'QUICKLIST', 'l', '1', '2');
        await same('DEBUG', 'ERROR', 'boom\r\nagain');
        await same('DEBUG', 'ERROR');
        await same('DEBUG', 'LOG', 'hello from the test');
        await same('DEBUG', 'STRUCTSIZE');
        await same('DEBUG', 'LEAK', 'x');
        await same('DEBUG', 'AOF-FLUSH-SLEEP', '0');
        await same('DEBUG', 'DROP-CLUSTER-PACKET-FILTER', 'x');
        await same('DEBUG', 'DROP-CLUSTER-PACKET-FILTER', '-1');
        await same('DEBUG', 'REPLYBUFFER', 'PEAK-RESET-TIME', 'NEVER');
        await same('DEBUG', 'REPLYBUFFER', 'PEAK-RESET-TIME', 'x');
        await same('DEBUG', 'REPLYBUFFER', 'RESIZING', '1');
        await same('DEBUG', 'REPLYBUFFER', 'nope', '1');
        await same('DEBUG', 'CLUSTERLINK', 'KILL', 'all', 'x');
        await same('DEBUG', 'SET-SKIP-CHECKSUM-VALIDATION', '1');
        // A payload with a wrong CRC64 now restores on both.
        const payload = Buffer.from(dump);
        payload[payload.length - 1] = (payload[payload.length - 1] ?? 0) ^ 0xff;
        await same('RESTORE', 'l2', '0', payload);
        await same('DEBUG', 'SET-SKIP-CHECKSUM-VALIDATION', '0');
        await same('RESTORE', 'l3', '0', payload);
        await same('DEBUG', 'PAUSE-CRON', '1');
        await same('DEBUG', 'PAUSE-CRON', '0');
        await same('DEBUG', 'NOPE');
        await same('INFO', 'errorstats');
      } finally {
        await both('DEBUG', 'QUICKLIST-PACKED-THRESHOLD', '0');
        redis.close();
        ours.close();
      }
    });
  }
});
