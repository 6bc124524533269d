/**
 * AUTH [username] password
 *
 * Authenticates the connection as `username` (the `default` user in the one-argument form; see
 * acl/). Errors as Redis: WRONGPASS on a bad pair, and a hint when the default user has no
 * password and the one-argument form is used.
 */
import { SYNTAX_ERROR } from '../errors.js';
import { type Command, defineCommand, ErrorReply, NO_KEYS } from '../types.js';
import { authenticate } from './authenticate.js';

interface AuthArgs {
  readonly name: Buffer;
  readonly username: string | undefined;
  readonly password: Buffer;
}

export const auth: Command = defineCommand<AuthArgs>({
  name: 'auth',
  arity: -2,
  syntax: '[username] password',
  flags: ['noscript', 'loading', 'stale', 'fast', 'no_auth', 'sentinel', 'allow_busy'],
  aclCategories: ['@fast', '@connection'],
  keys: NO_KEYS,
  doc: {
    summary: 'Authenticate to the server',
    since: '1.0.0',
    group: 'connection',
    complexity: 'O(N) where N is the number of passwords defined for the user',
  },
  parse(argv) {
    if (argv.length > 3) return SYNTAX_ERROR;
    const [name = Buffer.alloc(0), first = Buffer.alloc(0), second] = argv;
    return second === undefined
      ? { name, username: undefined, password: first }
      : { name, username: first.toString('latin1'), password: second };
  },
  execute(ctx, { name, username, password }) {
    if (username === undefined && ctx.node.acl.defaultUser.nopass) {
      return new ErrorReply(
        'ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?',
      );
    }
    const error = authenticate(ctx.node, ctx.client, name, username ?? 'default', password);
    if (error !== undefined) return error;
    ctx.reply.simple('OK');
    return undefined;
  },
});
