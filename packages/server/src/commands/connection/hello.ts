/**
 * HELLO [protover [AUTH username password] [SETNAME clientname]]
 *
 * Switches the connection to RESP2 or RESP3, optionally authenticating and naming it, and replies
 * with a map describing the server (in the new protocol). Check order as Redis 7.0's helloCommand:
 * protocol version, options (with SETNAME validation), credentials, then the NOAUTH check.
 */

import { REDIS_VERSION } from '../../node.js';
import { isKeyword, parseInt64 } from '../errors.js';
import { type Command, defineCommand, ErrorReply, NO_KEYS } from '../types.js';
import { authenticate } from './authenticate.js';
import { validateClientName } from './client-name.js';

interface HelloArgs {
  readonly protocol: 2 | 3 | undefined;
  readonly credentials: { readonly username: string; readonly password: Buffer } | undefined;
  readonly name: Buffer | undefined;
  /** HELLO as the client spelled it, for the ACL LOG. */
  readonly command: Buffer;
}

export const hello: Command = defineCommand<HelloArgs>({
  name: 'hello',
  arity: -1,
  syntax: '[protover:integer [AUTH username password] [SETNAME clientname]]',
  flags: ['noscript', 'loading', 'stale', 'fast', 'no_auth', 'sentinel', 'allow_busy'],
  aclCategories: ['@fast', '@connection'],
  keys: NO_KEYS,
  doc: { summary: 'Handshake with Redis', since: '6.0.0', group: 'connection', complexity: 'O(1)' },
  parse(argv) {
    let protocol: 2 | 3 | undefined;
    if (argv.length >= 2) {
      const version = parseInt64(argv[1]);
      if (version === undefined) {
        return new ErrorReply('ERR Protocol version is not an integer or out of range');
      }
      if (version !== 2n && version !== 3n)
        return new ErrorReply('NOPROTO unsupported protocol version');
      protocol = version === 2n ? 2 : 3;
    }
    let credentials: HelloArgs['credentials'];
    let name: Buffer | undefined;
    for (let j = 2; j < argv.length; j++) {
      const more = argv.length - 1 - j;
      const option = argv[j];
      const next = argv[j + 1];
      const nextNext = argv[j + 2];
      if (isKeyword(option, 'auth') && more >= 2 && next !== undefined && nextNext !== undefined) {
        credentials = { username: next.toString('latin1'), password: nextNext };
        j += 2;
      } else if (isKeyword(option, 'setname') && more >= 1 && next !== undefined) {
        const invalid = validateClientName(next);
        if (invalid !== undefined) return invalid;
        name = next;
        j++;
      } else {
        return new ErrorReply(
          `ERR Syntax error in HELLO option '${option?.toString('latin1') ?? ''}'`,
        );
      }
    }
    return { protocol, credentials, name, command: argv[0] ?? Buffer.alloc(0) };
  },
  execute(ctx, { protocol, credentials, name, command }) {
    const { client, node } = ctx;
    if (credentials !== undefined) {
      const { username, password } = credentials;
      const error = authenticate(node, client, command, username, password);
      if (error !== undefined) return error;
    }
    if (!client.authenticated) {
      return new ErrorReply(
        // Redis 7.0.15's wording (7.2 added `<proto>` after HELLO).
        'NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time',
      );
    }
    if (name !== undefined) client.name = name.toString('latin1');
    if (protocol !== undefined) ctx.reply.protocol = protocol;
    const reply = ctx.reply;
    reply.mapHeader(7);
    reply.bulk('server');
    reply.bulk('redis');
    reply.bulk('version');
    reply.bulk(REDIS_VERSION);
    reply.bulk('proto');
    reply.integer(reply.protocol);
    reply.bulk('id');
    reply.integer(client.id);
    reply.bulk('mode');
    reply.bulk('standalone');
    reply.bulk('role');
    reply.bulk('master');
    reply.bulk('modules');
    reply.arrayHeader(0);
    return undefined;
  },
});
