/**
 * The ACL file (`aclfile`): one `user <name> <rules...>` line per user, as ACL SAVE writes it and
 * ACL LOAD reads it (Redis 7.0's ACLSaveToFile and ACLLoadFromFile). Pure text in and out; the
 * disk work is in commands/acl/acl-file-commands.ts.
 *
 * Loading is all or nothing: every line is checked and applied to a fresh set of users, and any
 * problem (a line not starting with `user`, a bad username, a duplicate, a bad rule) is collected
 * into one message in Redis's words, in which case nothing changes.
 */
import { describeUser } from './describe.js';
import { hasSpaces } from './selector.js';
import { mergeSelectorArguments, ruleErrorMessage, User } from './user.js';

/** The whole file ACL SAVE writes: the users sorted by name, one line each. */
export function serializeUsers(users: readonly User[]): string {
  return users.map((user) => `user ${user.name} ${describeUser(user)}\n`).join('');
}

export type AclFileParse =
  | { readonly ok: true; readonly users: Map<string, User> }
  | { readonly ok: false; readonly errors: string };

/**
 * ACLLoadFromFile's parsing half; `filename` is the aclfile setting, as its messages show it;
 * `allChannelsDefault`: acl-pubsub-default is allchannels.
 */
export function parseAclFile(
  text: string,
  filename: string,
  allChannelsDefault = false,
): AclFileParse {
  const users = new Map<string, User>();
  let errors = '';
  for (const [index, rawLine] of text.split('\n').entries()) {
    const lineNumber = index + 1;
    const line = rawLine.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
    if (line === '') continue;
    const argv = line.split(' ');
    if (argv[0] !== 'user' || argv.length < 2) {
      errors += `${filename}:${lineNumber} should start with user keyword followed by the username. `;
      continue;
    }
    const name = argv[1] ?? '';
    if (hasSpaces(name)) {
      errors += `'${filename}:${lineNumber}: username '${name}' contains invalid characters. `;
      continue;
    }
    if (users.has(name)) {
      errors += `WARNING: Duplicate user '${name}' found on line ${lineNumber}. `;
      continue;
    }
    const user = new User(name, allChannelsDefault);
    users.set(name, user);
    const merged = mergeSelectorArguments(argv.slice(2));
    if ('unmatchedAt' in merged) {
      errors += `${filename}:${lineNumber}: Unmatched parenthesis in selector definition.`;
      continue;
    }
    let syntaxError = false;
    for (const word of merged.words) {
      const rule = word.replace(/^[\t\r\n]+|[\t\r\n]+$/g, '');
      const error = user.apply(rule, allChannelsDefault);
      if (error === undefined) continue;
      if (error === 'ENOENT') {
        errors += `${filename}:${lineNumber}: Error in applying operation '${rule}': ${ruleErrorMessage(error)}. `;
      } else if (!syntaxError) {
        errors += `${filename}:${lineNumber}: ${ruleErrorMessage(error)}. `;
        syntaxError = true;
      }
    }
  }
  if (errors !== '') {
    return {
      ok: false,
      errors: `${errors}WARNING: ACL errors detected, no change to the previously active ACL rules was performed`,
    };
  }
  return { ok: true, users };
}
