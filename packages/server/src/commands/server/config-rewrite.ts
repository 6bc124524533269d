/**
 * CONFIG REWRITE (and DEBUG CONFIG-REWRITE-FORCE-ALL): rewrites the file the server was started
 * with so that it holds the configuration now (config/rewrite.ts builds the text), through the
 * Env's disk, as rewriteConfigOverwriteFile does: the old file is read (a missing one counts as
 * empty), the new text is written to `<file>.<6 random characters>` (mkstemp's name), fsynced,
 * renamed over the file, and the directory fsynced, so a crash leaves the old or the new file, never
 * a mix. Redis does this without returning to its event loop; here the node holds every client's
 * input until the rename is durable, and this client waits for its reply.
 *
 * Replies +OK and logs "CONFIG REWRITE executed with success."; without a config file "ERR The
 * server is running without a config file"; on a disk error, logs "CONFIG REWRITE failed: <error>"
 * and replies "ERR Rewriting config file: <error>" with strerror's text.
 */
import { createHash } from 'node:crypto';
import type { DiskError, DiskResult, FileHandle } from '@replisim/base';
import type { Client } from '../../client.js';
import { resumeSuspendedClient } from '../../client-io.js';
import { rewriteConfigText } from '../../config/rewrite.js';
import type { ServerNode } from '../../node.js';
import { STRERROR } from '../../persistence/rdb-file.js';
import { ErrorReply } from '../types.js';

export const NO_CONFIG_FILE: ErrorReply = new ErrorReply(
  'ERR The server is running without a config file',
);
/** DEBUG CONFIG-REWRITE-FORCE-ALL without a file: rewriteConfig(NULL) fails with EFAULT. */
export const FORCE_ALL_NO_FILE: ErrorReply = new ErrorReply(
  'ERR CONFIG-REWRITE-FORCE-ALL failed: Bad address',
);
/** The old file is read in pieces of this size. */
const READ_CHUNK_BYTES = 64 * 1024;
/** mkstemp's XXXXXX. */
const TEMP_SUFFIX_CHARS = 6;
const TEMP_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** ACLDescribeUser for the default user: its password as a SHA-256, or nopass. */
function defaultUserLine(requirepass: string): string {
  if (requirepass === '') return 'user default on nopass ~* &* +@all';
  const hash = createHash('sha256').update(Buffer.from(requirepass, 'latin1')).digest('hex');
  return `user default on #${hash} ~* &* +@all`;
}

function directoryOf(path: string): string {
  const slash = path.lastIndexOf('/');
  if (slash < 0) return '.';
  return slash === 0 ? '/' : path.slice(0, slash);
}

/** Reads a whole file; a missing file reads as ''. */
function readWhole(node: ServerNode, path: string, done: (result: DiskResult<string>) => void) {
  const disk = node.env.disk;
  disk.open(path, 'read', (opened) => {
    if (!opened.ok) {
      done(opened.error.code === 'ENOENT' ? { ok: true, value: '' } : opened);
      return;
    }
    const parts: Buffer[] = [];
    const next = (position: number): void => {
      disk.read(opened.value, position, READ_CHUNK_BYTES, (read) => {
        if (!read.ok) {
          disk.close(opened.value, () => done(read));
          return;
        }
        if (read.value.length > 0) {
          parts.push(Buffer.from(read.value));
          next(position + read.value.length);
          return;
        }
        disk.close(opened.value, () =>
          done({ ok: true, value: Buffer.concat(parts).toString('latin1') }),
        );
      });
    };
    next(0);
  });
}

/** Writes `text` to a temp file, fsyncs it, renames it over `path` and fsyncs the directory. */
function overwrite(
  node: ServerNode,
  path: string,
  text: string,
  done: (error: DiskError | undefined) => void,
) {
  const disk = node.env.disk;
  let suffix = '';
  for (let i = 0; i < TEMP_SUFFIX_CHARS; i++) {
    suffix += TEMP_ALPHABET[node.env.random.int(TEMP_ALPHABET.length)];
  }
  const temp = `${path}.${suffix}`;
  const fail = (error: DiskError) => disk.unlink(temp, () => done(error));
  disk.open(temp, 'write', (opened) => {
    if (!opened.ok) {
      done(opened.error);
      return;
    }
    const file: FileHandle = opened.value;
    disk.write(file, Buffer.from(text, 'latin1'), (written) => {
      if (!written.ok) return disk.close(file, () => fail(written.error));
      disk.fsync(file, (synced) => {
        if (!synced.ok) return disk.close(file, () => fail(synced.error));
        disk.close(file, () =>
          disk.rename(temp, path, (renamed) => {
            if (!renamed.ok) return fail(renamed.error);
            disk.fsyncDir(directoryOf(path), (dirSynced) =>
              done(dirSynced.ok ? undefined : dirSynced.error),
            );
          }),
        );
      });
    });
  });
}

/**
 * Rewrites the config file for `client`, which is suspended until the reply; the caller has
 * checked that there is a config file. With forceAll (DEBUG CONFIG-REWRITE-FORCE-ALL) every
 * parameter is written, nothing is logged, and an error is "ERR CONFIG-REWRITE-FORCE-ALL failed:
 * <error>", as debug.c words it.
 */
export function configRewrite(node: ServerNode, client: Client, forceAll: boolean): void {
  const path = node.config.configFile;
  client.suspended = true;
  const release = node.holdInput();
  const finish = (error: DiskError | undefined) => {
    release();
    resumeSuspendedClient(node, client, (target) => {
      if (error === undefined) {
        if (!forceAll) node.log('notice', 'CONFIG REWRITE executed with success.');
        target.reply.simple('OK');
        return;
      }
      const reason = STRERROR[error.code];
      if (forceAll) {
        node.replyError(target, `ERR CONFIG-REWRITE-FORCE-ALL failed: ${reason}`);
        return;
      }
      node.log('warning', `CONFIG REWRITE failed: ${reason}`);
      node.replyError(target, `ERR Rewriting config file: ${reason}`);
    });
  };
  readWhole(node, path, (read) => {
    if (!read.ok) {
      finish(read.error);
      return;
    }
    const text = rewriteConfigText(read.value, node.config, {
      dir: node.config.dir,
      defaultUserLine: defaultUserLine(node.config.requirepass),
      forceAll,
    });
    overwrite(node, path, text, finish);
  });
}
