/**
 * Password checks shared by AUTH and HELLO ... AUTH (Redis 7.0's ACLAuthenticateUser): the pair
 * must name an existing, enabled user whose password matches (or who is `nopass`). On success the
 * connection runs as that user; on failure the attempt goes to the ACL LOG (reason `auth`, object
 * the command name as the client sent it) and WRONGPASS is the reply.
 */
import type { Client } from '../../client.js';
import type { ServerNode } from '../../node.js';
import { ErrorReply } from '../types.js';

export const WRONG_PASS: ErrorReply = new ErrorReply(
  'WRONGPASS invalid username-password pair or user is disabled.',
);

/** Authenticates `client` as `username`; returns an error reply or undefined when accepted. */
export function authenticate(
  node: ServerNode,
  client: Client,
  commandName: Buffer,
  username: string,
  password: Buffer,
): ErrorReply | undefined {
  const user = node.acl.checkCredentials(username, password);
  if (user === undefined) {
    node.acl.addLogEntry(node, client, {
      reason: 'auth',
      context: client.transaction === undefined ? 'toplevel' : 'multi',
      object: commandName.toString('latin1'),
      username,
    });
    return WRONG_PASS;
  }
  client.aclUser = user === node.acl.defaultUser ? undefined : user;
  client.authenticated = true;
  return undefined;
}
