/**
 * ACL LOAD and ACL SAVE: the users from and to the `aclfile` (acl/acl-file.ts has the format).
 * Both need the disk, which answers later through the Env, so the client waits (suspended, as
 * DEBUG RELOAD does) and gets its reply when the disk work ends. SAVE writes a temporary file,
 * fsyncs it, renames it over the ACL file and fsyncs the directory, as ACLSaveToFile does.
 * Without an `aclfile` both refuse with Redis's hint about ACL SETUSER and CONFIG REWRITE.
 */
import type { DiskError, DiskResult } from '@replisim/base';
import { parseAclFile, serializeUsers } from '../../acl/acl-file.js';
import { aclFilePath, pubsubAllChannels } from '../../acl/acl-startup.js';
import type { Client } from '../../client.js';
import { resumeSuspendedClient } from '../../client-io.js';
import type { ServerNode } from '../../node.js';
import { type Command, defineCommand, ErrorReply, NO_KEYS } from '../types.js';

const NOT_CONFIGURED = new ErrorReply(
  'ERR This Redis instance is not configured to use an ACL file. You may want to specify users via the ACL SETUSER command and then issue a CONFIG REWRITE (assuming you have a Redis configuration file set) in order to store users in the Redis configuration.',
);
const SAVE_FAILED =
  'ERR There was an error trying to save the ACLs. Please check the server logs for more information';

/** strerror() texts for the disk errors an open can meet. */
const STRERROR: Readonly<Record<DiskError['code'], string>> = {
  ENOENT: 'No such file or directory',
  EEXIST: 'File exists',
  ENOSPC: 'No space left on device',
  EIO: 'Input/output error',
  EBADF: 'Bad file descriptor',
  EISDIR: 'Is a directory',
  ENOTDIR: 'Not a directory',
  EACCES: 'Permission denied',
};

/** Suspends `client` and returns the function that answers it later. */
function answerLater(node: ServerNode, client: Client) {
  client.suspended = true;
  return (write: (client: Client) => void) => resumeSuspendedClient(node, client, write);
}

/** Reads a whole file through the Disk, or reports the error. */
function readWhole(node: ServerNode, path: string, done: (result: DiskResult<Buffer>) => void) {
  const disk = node.env.disk;
  disk.size(path, (size) => {
    if (!size.ok) return done(size);
    disk.open(path, 'read', (opened) => {
      if (!opened.ok) return done(opened);
      disk.read(opened.value, 0, size.value, (read) => {
        disk.close(opened.value, () =>
          done(read.ok ? { ok: true, value: Buffer.from(read.value) } : read),
        );
      });
    });
  });
}

const doc = (summary: string) => ({
  summary,
  since: '6.0.0',
  group: 'server',
  complexity: 'O(N). Where N is the number of configured users.',
});

export const load: Command = defineCommand<null>({
  name: 'load',
  arity: 2,
  syntax: '',
  flags: ['admin', 'noscript', 'loading', 'stale'],
  aclCategories: ['@admin', '@slow', '@dangerous'],
  keys: NO_KEYS,
  doc: doc('Reload the ACLs from the configured ACL file'),
  parse: () => null,
  execute(ctx) {
    const { node, client } = ctx;
    const path = aclFilePath(node);
    if (path === undefined) return NOT_CONFIGURED;
    const filename = node.config.stored['aclfile'] ?? '';
    const answer = answerLater(node, client);
    readWhole(node, path, (read) => {
      if (!read.ok) {
        const reason = STRERROR[read.error.code];
        answer((c) =>
          node.replyError(c, `ERR Error loading ACLs, opening file '${filename}': ${reason}`),
        );
        return;
      }
      const text = read.value.toString('latin1');
      const parsed = parseAclFile(text, filename, pubsubAllChannels(node));
      if (!parsed.ok) {
        answer((c) => node.replyError(c, `ERR ${parsed.errors}`));
        return;
      }
      node.acl.replaceUsers(node, parsed.users, client);
      answer((c) => c.reply.simple('OK'));
    });
    return undefined;
  },
});

export const save: Command = defineCommand<null>({
  name: 'save',
  arity: 2,
  syntax: '',
  flags: ['admin', 'noscript', 'loading', 'stale'],
  aclCategories: ['@admin', '@slow', '@dangerous'],
  keys: NO_KEYS,
  doc: doc('Save the current ACL rules in the configured ACL file'),
  parse: () => null,
  execute(ctx) {
    const { node, client } = ctx;
    const path = aclFilePath(node);
    if (path === undefined) return NOT_CONFIGURED;
    const text = Buffer.from(serializeUsers(node.acl.sortedUsers()), 'latin1');
    const temp = `${path}.tmp-${node.pid}-${ctx.nowMs}`;
    const answer = answerLater(node, client);
    const disk = node.env.disk;
    const fail = (what: string, error: DiskError) => {
      node.log('warning', `${what} ACL file for ACL SAVE: ${error.message}`);
      disk.unlink(temp, () => answer((c) => node.replyError(c, SAVE_FAILED)));
    };
    disk.open(temp, 'write', (opened) => {
      if (!opened.ok) return fail('Opening temp', opened.error);
      const file = opened.value;
      disk.write(file, text, (written) => {
        if (!written.ok) return disk.close(file, () => fail('Writing', written.error));
        disk.fsync(file, (synced) => {
          if (!synced.ok) return disk.close(file, () => fail('Syncing', synced.error));
          disk.close(file, () => {
            disk.rename(temp, path, (renamed) => {
              if (!renamed.ok) return fail('Renaming', renamed.error);
              const dir = path.slice(0, Math.max(1, path.lastIndexOf('/')));
              disk.fsyncDir(dir, (dirSynced) => {
                if (!dirSynced.ok) return fail('Syncing directory of', dirSynced.error);
                answer((c) => c.reply.simple('OK'));
              });
            });
          });
        });
      });
    });
    return undefined;
  },
});
