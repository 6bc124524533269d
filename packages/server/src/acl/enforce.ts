/**
 * The ACL step of the command path (processCommand's ACLCheckAllPerm): checks the client's user,
 * and on a refusal adds the ACL LOG entry (object: the command's full name, or the key or channel
 * refused) and returns the verdict for the caller to word: NOPERM at the top level and in MULTI,
 * the script texts inside redis.call. The master client of a replica runs as no user (Redis's
 * c->user == NULL) and is never checked.
 */
import type { Client } from '../client.js';
import type { Command } from '../commands/types.js';
import type { ServerNode } from '../node.js';
import type { AclLogContext } from './acl.js';
import { type AclVerdict, checkCommand } from './check.js';

export type AclRefusal = AclVerdict & { ok: false };

/**
 * Checks `command` for `client` and logs a refusal. `logClient` is whose CLIENT LIST line the
 * entry shows (the caller of a script, as Redis's server.current_client).
 */
export function checkAcl(
  node: ServerNode,
  client: Client,
  command: Command,
  argv: readonly Buffer[],
  context: AclLogContext,
  logClient: Client = client,
): AclRefusal | undefined {
  if (client.isMaster) return undefined;
  const user = node.acl.userOf(client);
  const verdict = checkCommand(user, command, argv);
  if (verdict.ok) return undefined;
  const object =
    verdict.reason === 'command'
      ? command.fullName
      : (argv[verdict.argIndex] ?? Buffer.alloc(0)).toString('latin1');
  node.acl.addLogEntry(node, logClient, {
    reason: verdict.reason,
    context,
    object,
    username: user.name,
  });
  return verdict;
}
