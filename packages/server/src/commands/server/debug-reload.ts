/**
 * DEBUG RELOAD [MERGE] [NOFLUSH] [NOSAVE], as Redis 7.0's debug.c: save the dataset (unless
 * NOSAVE), empty every database (unless NOFLUSH), load the dump back (MERGE: a key already present
 * is replaced by the dump's, instead of being corruption), reply +OK and log "DB reloaded by DEBUG
 * RELOAD". Tests use it to check in-process that a dataset survives a save/load round trip.
 *
 * Replies: an unknown option gives `-ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE
 * options.`; a failed save the bare `-ERR` (as SAVE), and the dataset is kept; a failed load
 * (no dump, a corrupt one) `-ERR Error trying to load the RDB dump`, with the dataset flushed and
 * whatever loaded before the failure kept. Deliberate difference: Redis exits on a corrupt dump
 * here (rdbCheckThenExit); replisim answers the error and keeps running.
 *
 * The save holds every client; during the load the node answers other clients -LOADING (as Redis's
 * rdbLoad does while it processes events) and this client waits, suspended, for its reply.
 */
import type { Client } from '../../client.js';
import { resumeSuspendedClient } from '../../client-io.js';
import type { ServerNode } from '../../node.js';
import { dumpPath, loadSnapshotFile } from '../../persistence/loader.js';
import { ErrorReply } from '../types.js';

export interface ReloadOptions {
  readonly merge: boolean;
  readonly flush: boolean;
  readonly save: boolean;
}

/** The options after `DEBUG RELOAD`, or Redis's error for an unknown one. */
export function parseReloadOptions(words: readonly Buffer[]): ReloadOptions | ErrorReply {
  const options = { merge: false, flush: true, save: true };
  for (const word of words) {
    const option = word.toString('latin1').toLowerCase();
    if (option === 'merge') options.merge = true;
    else if (option === 'noflush') options.flush = false;
    else if (option === 'nosave') options.save = false;
    else {
      return new ErrorReply(
        'ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.',
      );
    }
  }
  return options;
}

/**
 * Starts the reload for `client`, which stays suspended until `resumeSuspendedClient` gives it
 * its reply. The first step always completes in a later event (disk callbacks), so the command
 * itself returns with no reply written.
 */
export function debugReload(node: ServerNode, client: Client, options: ReloadOptions): void {
  client.suspended = true;
  const answer = (reply: (client: Client) => void) => {
    node.env.timers.after(0, () => resumeSuspendedClient(node, client, reply));
  };
  const load = () => {
    if (options.flush) {
      for (const db of node.databases) {
        node.watches.touchDatabase(db.index, (key) => db.peek(key) !== undefined);
        db.clear();
      }
    }
    const loadOptions = {
      path: dumpPath(node.config),
      dropExpired: true,
      allowDuplicates: options.merge,
    };
    loadSnapshotFile(node, loadOptions, (result) => {
      if (!result.ok || !result.found) {
        answer((target) => node.replyError(target, 'ERR Error trying to load the RDB dump'));
        return;
      }
      node.lastLoad = result.counts;
      node.log('warning', 'DB reloaded by DEBUG RELOAD');
      answer((target) => target.reply.simple('OK'));
    });
  };
  if (!options.save) {
    load();
    return;
  }
  node.persistence.save((result) => {
    if (!result.ok) {
      answer((target) => node.replyError(target, 'ERR'));
      return;
    }
    load();
  });
}
