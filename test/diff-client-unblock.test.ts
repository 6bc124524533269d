/**
 * CLIENT UNBLOCK against redis-server 7.0.15, in RESP2 and RESP3: a client blocked in BLPOP or
 * WAIT is released as by its timeout (null array / the count) or with -UNBLOCKED, the caller gets
 * 1 (0 for a client that is not blocked or does not exist), the released client's later commands
 * run, and the argument errors are Redis's. Client ids differ between the servers, so each server
 * is given its own blocked client's id.
 */
import { describe, expect, it } from 'vitest';
import { RawClient, type RawReply } from './support/raw-client.js';
import { useServerPair } from './support/server-pair.js';

const text = (reply: RawReply | undefined) => reply?.bytes.toString('latin1');

describe('CLIENT UNBLOCK against redis-server', () => {
  const servers = useServerPair();
  for (const protocol of [2, 3] as const) {
    it(`releases blocked clients as Redis does (RESP${protocol})`, async () => {
      const { ports } = servers();
      const sides = await Promise.all(
        [ports.redis, ports.replisim].map(async (port) => {
          const blocked = await RawClient.connect(port);
          const caller = await RawClient.connect(port);
          if (protocol === 3) {
            await blocked.call('HELLO', '3');
            await caller.call('HELLO', '3');
          }
          const idReply = await blocked.call('CLIENT', 'ID');
          if (idReply.value.kind !== 'integer') throw new Error('CLIENT ID');
          return { blocked, caller, id: String(idReply.value.value) };
        }),
      );
      try {
        /** Runs `script` on both servers and returns each side's transcript. */
        const transcripts = await Promise.all(
          sides.map(async ({ blocked, caller, id }) => {
            const out: (string | undefined)[] = [];
            const callerSays = async (...argv: string[]) =>
              out.push(text(await caller.call(...argv)));
            await callerSays('CLIENT', 'UNBLOCK', id);
            for (const [command, reason] of [
              [['BLPOP', 'nolist', '0'], []],
              [['BLPOP', 'nolist', '0'], ['TIMEOUT']],
              [['BRPOPLPUSH', 'nolist', 'dst', '0'], ['ERROR']],
              [['WAIT', '1', '0'], []],
              [['WAIT', '1', '0'], ['ERROR']],
            ] as const) {
              blocked.command(...command);
              // Until the server saw the blocking command, UNBLOCK finds nothing to release.
              for (let tries = 0; tries < 200; tries++) {
                const listing = await caller.call('INFO', 'clients');
                if (text(listing)?.includes('blocked_clients:1')) break;
                await new Promise((resolve) => setTimeout(resolve, 5));
              }
              await callerSays('CLIENT', 'UNBLOCK', id, ...reason);
              out.push(text((await blocked.read(1))[0]));
              out.push(text(await blocked.call('PING')));
            }
            await callerSays('CLIENT', 'UNBLOCK', id, 'SOMETIMES');
            await callerSays('CLIENT', 'UNBLOCK', 'x');
            await callerSays('CLIENT', 'UNBLOCK', '999999');
            await callerSays('CLIENT', 'UNBLOCK', id, 'TIMEOUT', 'extra');
            await callerSays('CLIENT', 'UNBLOCK');
            return out;
          }),
        );
        expect(transcripts[1]).toEqual(transcripts[0]);
      } finally {
        for (const side of sides) {
          side.blocked.close();
          side.caller.close();
        }
      }
    });
  }
});
