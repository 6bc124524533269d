/**
 * RESET against redis-server 7.0.15: starting in RESP3 inside MULTI on database 3 with a name, a
 * watched key and (second case) a password set, RESET must answer the same bytes, after which the
 * connection is back to RESP2, database 0, no name, no transaction (EXEC fails), nothing watched,
 * and, with a password, unauthenticated. Every reply is compared byte for byte.
 */
import { describe, expect, it } from 'vitest';
import { RawClient } from './support/raw-client.js';
import { useServerPair } from './support/server-pair.js';

const SCRIPT: readonly (readonly string[])[] = [
  ['HELLO', '3'],
  ['SELECT', '3'],
  ['SET', 'k', 'v3'],
  ['CLIENT', 'SETNAME', 'before'],
  ['WATCH', 'w'],
  ['MULTI'],
  ['SET', 'queued', '1'],
  ['RESET'],
  ['CLIENT', 'GETNAME'],
  ['GET', 'k'],
  ['EXEC'],
  ['EXISTS', 'queued'],
  ['CONFIG', 'GET', 'requirepass'],
  ['RESET', 'extra'],
  ['DEL', 'k'],
  ['SELECT', '3'],
  ['DEL', 'k'],
];

describe('RESET against redis-server', () => {
  const servers = useServerPair();
  for (const password of [false, true]) {
    it(`resets the connection state${password ? ' and authentication' : ''}`, async () => {
      const { ports } = servers();
      const transcripts = await Promise.all(
        [ports.redis, ports.replisim].map(async (port) => {
          const admin = await RawClient.connect(port);
          const client = await RawClient.connect(port);
          const out: string[] = [];
          try {
            for (const argv of SCRIPT) {
              if (password && argv[0] === 'CONFIG') {
                await admin.call('CONFIG', 'SET', 'requirepass', 'pw');
              }
              const reply = (await client.call(...argv)).bytes.toString('latin1');
              // HELLO's reply holds the client id, which differs between the servers.
              out.push(argv[0] === 'HELLO' ? reply.slice(0, 2) : reply);
            }
            out.push((await client.call('AUTH', 'pw')).bytes.toString('latin1'));
          } finally {
            await admin.call('AUTH', 'pw');
            await admin.call('CONFIG', 'SET', 'requirepass', '');
            admin.close();
            client.close();
          }
          return out;
        }),
      );
      expect(transcripts[1]).toEqual(transcripts[0]);
    });
  }
});
