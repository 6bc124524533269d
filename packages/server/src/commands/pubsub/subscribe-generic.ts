/**
 * The shared bodies of the six subscription commands (pubsub.c's subscribe/unsubscribe families),
 * for channels (SUBSCRIBE), patterns (PSUBSCRIBE) and shard channels (SSUBSCRIBE).
 *
 * Each name given gets one confirmation, in RESP2 an array and in RESP3 a push:
 * `[subscribe|psubscribe|ssubscribe, name, count]` even if the client was already subscribed,
 * `[unsubscribe|punsubscribe|sunsubscribe, name, count]` even if it was not. The count is the
 * client's channels plus patterns after the change; the shard commands count shard channels only.
 * An unsubscribe without names drops every subscription of its kind, one confirmation each in the
 * client's subscription order, or replies `[unsubscribe, null, count]` once when there was none.
 *
 * SSUBSCRIBE inside EXEC (Redis's CLIENT_DENY_BLOCKING) is refused; SUBSCRIBE and PSUBSCRIBE run
 * there, as in Redis 7.0.
 */
import type { Client } from '../../client.js';
import { type SubscriptionKind, subscriptionCount } from '../../pubsub/pubsub.js';
import {
  type Command,
  type CommandDoc,
  type CommandFlag,
  defineCommand,
  ErrorReply,
  type KeyPositions,
  NO_KEYS,
} from '../types.js';

const SUBSCRIBE_FLAGS: readonly CommandFlag[] = ['pubsub', 'noscript', 'loading', 'stale'];
const SUBSCRIBE_ACL = ['@pubsub', '@slow'] as const;

const WORDS: Readonly<Record<SubscriptionKind, { sub: string; unsub: string; name: string }>> = {
  channel: { sub: 'subscribe', unsub: 'unsubscribe', name: 'SUBSCRIBE' },
  pattern: { sub: 'psubscribe', unsub: 'punsubscribe', name: 'PSUBSCRIBE' },
  shard: { sub: 'ssubscribe', unsub: 'sunsubscribe', name: 'SSUBSCRIBE' },
};

/** Redis's shard commands declare their channels as (not_key) key positions. */
function keysOf(kind: SubscriptionKind): KeyPositions {
  return kind === 'shard' ? { first: 1, last: -1, step: 1 } : NO_KEYS;
}

/** addReplyPubsubSubscribed / addReplyPubsubUnsubscribed: a push in RESP3, an array in RESP2. */
function confirm(client: Client, word: string, name: Buffer | undefined, count: number): void {
  const reply = client.reply;
  if (client.protocol === 3) reply.pushHeader(3);
  else reply.arrayHeader(3);
  reply.bulk(word);
  if (name === undefined) reply.nullBulk();
  else reply.bulk(name);
  reply.integer(count);
}

export function defineSubscribe(kind: SubscriptionKind, doc: CommandDoc): Command {
  const words = WORDS[kind];
  return defineCommand<readonly Buffer[]>({
    name: words.sub,
    arity: -2,
    syntax: kind === 'pattern' ? 'pattern [pattern ...]' : 'channel [channel ...]',
    flags: SUBSCRIBE_FLAGS,
    aclCategories: SUBSCRIBE_ACL,
    keys: keysOf(kind),
    doc,
    parse: (argv) => argv.slice(1),
    execute(ctx, names) {
      const { client, node } = ctx;
      // Redis: SUBSCRIBE and PSUBSCRIBE check CLIENT_DENY_BLOCKING outside MULTI only (scripts),
      // SSUBSCRIBE always, so it fails inside EXEC.
      if (kind === 'shard' && client.denyBlocking) {
        return new ErrorReply(`ERR ${words.name} isn't allowed for a DENY BLOCKING client`);
      }
      for (const name of names) {
        node.pubsub.subscribe(client, kind, name.toString('latin1'));
        confirm(client, words.sub, name, subscriptionCount(client, kind));
      }
      return undefined;
    },
  });
}

export function defineUnsubscribe(kind: SubscriptionKind, doc: CommandDoc): Command {
  const words = WORDS[kind];
  return defineCommand<readonly Buffer[]>({
    name: words.unsub,
    arity: -1,
    syntax: kind === 'pattern' ? '[pattern [pattern ...]]' : '[channel [channel ...]]',
    flags: SUBSCRIBE_FLAGS,
    aclCategories: SUBSCRIBE_ACL,
    keys: keysOf(kind),
    doc,
    parse: (argv) => argv.slice(1),
    execute(ctx, names) {
      const { client, node } = ctx;
      if (names.length > 0) {
        for (const name of names) {
          node.pubsub.unsubscribe(client, kind, name.toString('latin1'));
          confirm(client, words.unsub, name, subscriptionCount(client, kind));
        }
        return undefined;
      }
      const all = [...client.subscriptions.of(kind)];
      if (all.length === 0) {
        confirm(client, words.unsub, undefined, subscriptionCount(client, kind));
        return undefined;
      }
      for (const name of all) {
        node.pubsub.unsubscribe(client, kind, name);
        confirm(client, words.unsub, Buffer.from(name, 'latin1'), subscriptionCount(client, kind));
      }
      return undefined;
    },
  });
}
