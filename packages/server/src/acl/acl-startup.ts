/**
 * Users at start (Redis 7.0's ACLAppendUserForLoading and ACLLoadUsersAtStartup): `user` lines of
 * the config file are checked while the config loads and applied when the node starts, and an
 * `aclfile` is read then. Both together are refused, as Redis refuses them; so is an ACL file
 * that cannot be read or has errors (the node does not start, with Redis's log line).
 */
import type { ServerNode } from '../node.js';
import { parseAclFile } from './acl-file.js';
import { mergeSelectorArguments, ruleErrorMessage, User } from './user.js';

/**
 * Checks a `user <name> <rules...>` directive (`args` without the word `user`) against the ones
 * already read; returns the config error's reason, or undefined. Unknown commands pass (Redis
 * defers them until modules are loaded), other bad rules are refused now. The word quoted is
 * Redis's argv[index of the bad rule], which counts `user` and the name: Redis's own quirk.
 */
export function checkUserDirective(
  previous: readonly (readonly string[])[],
  args: readonly string[],
): string | undefined {
  const argv = ['user', ...args];
  const name = args[0] ?? '';
  if (previous.some((user) => user[0] === name)) {
    return `Error in user declaration '${name}': ${ruleErrorMessage('EALREADY')}`;
  }
  const merged = mergeSelectorArguments(args.slice(1));
  if ('unmatchedAt' in merged) {
    return `Error in user declaration '${argv[merged.unmatchedAt] ?? ''}': Syntax error`;
  }
  const scratch = new User(name);
  for (const [index, rule] of merged.words.entries()) {
    const error = scratch.apply(rule);
    if (error !== undefined && error !== 'ENOENT') {
      return `Error in user declaration '${argv[index] ?? ''}': ${ruleErrorMessage(error)}`;
    }
  }
  return undefined;
}

const BOTH_SOURCES =
  'Configuring Redis with users defined in redis.conf and at the same setting an ACL file path is invalid. This setup is very likely to lead to configuration errors and security holes, please define either an ACL file or declare users directly in your redis.conf, but not both.';

/** strerror() texts for the read errors an ACL file can meet. */
const READ_ERRORS: Readonly<Record<string, string>> = {
  ENOENT: 'No such file or directory',
  EISDIR: 'Is a directory',
  EACCES: 'Permission denied',
  EIO: 'Input/output error',
};

/** Whether acl-pubsub-default is allchannels: new users and selectors may use every channel. */
export function pubsubAllChannels(node: ServerNode): boolean {
  return node.config.stored['acl-pubsub-default'] === 'allchannels';
}

/** The ACL file's path: as given if absolute, else inside `dir` (Redis runs in its `dir`). */
export function aclFilePath(node: ServerNode): string | undefined {
  const file = node.config.stored['aclfile'] ?? '';
  if (file === '') return undefined;
  if (file.startsWith('/')) return file;
  const dir = node.config.dir;
  return dir.endsWith('/') ? `${dir}${file}` : `${dir}/${file}`;
}

/**
 * Applies the config's `user` lines, then loads the ACL file if one is set; `done` gets the
 * warning that aborts the start, or undefined.
 */
export function loadUsersAtStartup(node: ServerNode, done: (error?: string) => void): void {
  const path = aclFilePath(node);
  const configured = node.config.users;
  if (path !== undefined && configured.length > 0) {
    done(BOTH_SOURCES);
    return;
  }
  const allChannels = pubsubAllChannels(node);
  for (const [name = '', ...rules] of configured) {
    const acl = node.acl;
    let user = acl.users.get(name);
    if (user === undefined) {
      user = new User(name, allChannels);
      acl.users.set(name, user);
    } else {
      user.apply('reset', allChannels);
    }
    const merged = mergeSelectorArguments(rules);
    for (const rule of 'words' in merged ? merged.words : []) {
      const error = user.apply(rule, allChannels);
      if (error !== undefined) {
        node.log(
          'warning',
          `Error loading ACL rule '${rule}' for the user named '${name}': ${ruleErrorMessage(error)}`,
        );
        done('Critical error while loading ACLs. Exiting.');
        return;
      }
    }
    if (!user.enabled) {
      node.log(
        'notice',
        `The user '${name}' is disabled (there is no 'on' modifier in the user description). Make sure this is not a configuration error.`,
      );
    }
  }
  if (path === undefined) {
    done();
    return;
  }
  const filename = node.config.stored['aclfile'] ?? '';
  const disk = node.env.disk;
  const abort = (errors: string) => done(`Aborting Redis startup because of ACL errors: ${errors}`);
  disk.size(path, (size) => {
    if (!size.ok) {
      const reason = READ_ERRORS[size.error.code] ?? size.error.message;
      return abort(`Error loading ACLs, opening file '${filename}': ${reason}`);
    }
    disk.open(path, 'read', (opened) => {
      if (!opened.ok) {
        const reason = READ_ERRORS[opened.error.code] ?? opened.error.message;
        return abort(`Error loading ACLs, opening file '${filename}': ${reason}`);
      }
      disk.read(opened.value, 0, size.value, (read) => {
        disk.close(opened.value, () => {
          if (!read.ok) return abort(`Error loading ACLs, reading file '${filename}'`);
          const text = Buffer.from(read.value).toString('latin1');
          const parsed = parseAclFile(text, filename, allChannels);
          if (!parsed.ok) return abort(parsed.errors);
          node.acl.replaceUsers(node, parsed.users, undefined);
          done();
        });
      });
    });
  });
}
