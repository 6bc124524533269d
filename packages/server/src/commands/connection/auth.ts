/**
 * AUTH [username] password
 *
 * Authenticates the connection as the `default` user (replisim has no other users). Errors as
 * Redis: WRONGPASS on a bad pair, and a hint when no password is configured and the one-argument
 * form is used.
 */
import { SYNTAX_ERROR } from '../errors.js';
import { type Command, defineCommand, ErrorReply, NO_KEYS } from '../types.js';
import { checkCredentials } from './authenticate.js';

export const auth: Command = defineCommand<{ username: string | undefined; password: Buffer }>({
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
    const [, first = Buffer.alloc(0), second] = argv;
    return second === undefined
      ? { username: undefined, password: first }
      : { username: first.toString('latin1'), password: second };
  },
  execute(ctx, { username, password }) {
    if (username === undefined && ctx.node.config.requirepass === '') {
      return new ErrorReply(
        'ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?',
      );
    }
    const error = checkCredentials(ctx.node, username ?? 'default', password);
    if (error !== undefined) return error;
    ctx.client.authenticated = true;
    ctx.reply.simple('OK');
    return undefined;
  },
});
