/**
 * REPLCONF option value [option value ...]
 *
 * The replica tells its master about itself during the handshake, and acknowledges the stream
 * afterwards (reference §3.5, replconfCommand). Options are processed pair by pair; the reply is
 * +OK, except:
 *
 * - an even argument count: -ERR syntax error
 * - `listening-port <n>` (shown in INFO and ROLE; a non-integer is the integer error)
 * - `ip-address <ip>` (replica-announce-ip; 46 bytes or more is refused, NET_HOST_STR_LEN)
 * - `capa eof|psync2` (anything else is ignored, as Redis ignores unknown capabilities)
 * - `ack <offset>`: from a replica only, no reply; raises its acknowledged offset
 * - `getack *`: no reply here; a replica's link answers it itself (packages/replica link.ts)
 * - `rdb-only 0|1`: accepted and checked (redis-cli --rdb sends it); replisim serves such a
 *   client the full stream like any replica
 * - anything else: -ERR Unrecognized REPLCONF option: <opt>
 */
import { isKeyword, NOT_INTEGER, parseInt64, SYNTAX_ERROR } from '../errors.js';
import { type Command, defineCommand, ErrorReply, NO_KEYS } from '../types.js';

/** NET_HOST_STR_LEN: an announced address must be shorter than this. */
const HOST_BYTES_MAX = 256;

export const replconf: Command = defineCommand<readonly Buffer[]>({
  name: 'replconf',
  arity: -1,
  syntax: '[option value ...]',
  flags: ['admin', 'noscript', 'loading', 'stale', 'allow_busy'],
  aclCategories: ['@admin', '@slow', '@dangerous'],
  keys: NO_KEYS,
  doc: {
    summary: 'An internal command for configuring the replication stream',
    since: '3.0.0',
    group: 'server',
    complexity: 'O(1)',
  },
  parse(argv) {
    if (argv.length % 2 === 0) return SYNTAX_ERROR;
    return argv;
  },
  execute(ctx, argv) {
    const master = ctx.node.master;
    const announced = master.announcement(ctx.client);
    for (let j = 1; j < argv.length; j += 2) {
      const option = argv[j];
      const value = argv[j + 1] ?? Buffer.alloc(0);
      if (isKeyword(option, 'listening-port')) {
        const port = parseInt64(value);
        if (port === undefined) return NOT_INTEGER;
        announced.listeningPort = Number(port);
      } else if (isKeyword(option, 'ip-address')) {
        if (value.length >= HOST_BYTES_MAX) {
          return new ErrorReply(
            `ERR REPLCONF ip-address provided by replica instance is too long: ${value.length} bytes`,
          );
        }
        announced.ip = value.toString('latin1');
      } else if (isKeyword(option, 'capa')) {
        if (isKeyword(value, 'eof')) announced.capaEof = true;
        else if (isKeyword(value, 'psync2')) announced.capaPsync2 = true;
      } else if (isKeyword(option, 'ack')) {
        const offset = parseInt64(value);
        if (offset !== undefined) master.ack(ctx.client, Number(offset));
        return undefined;
      } else if (isKeyword(option, 'getack')) {
        return undefined;
      } else if (isKeyword(option, 'rdb-only')) {
        const flag = parseInt64(value);
        if (flag === undefined) return NOT_INTEGER;
        if (flag < 0n || flag > 1n)
          return new ErrorReply('ERR value is out of range, value must between 0 and 1');
      } else {
        return new ErrorReply(
          `ERR Unrecognized REPLCONF option: ${(option ?? Buffer.alloc(0)).toString('latin1')}`,
        );
      }
    }
    ctx.reply.simple('OK');
    return undefined;
  },
});
