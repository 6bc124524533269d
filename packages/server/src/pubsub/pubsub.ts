/**
 * Pub/Sub (Redis 7.0's pubsub.c): who listens to which channel, pattern and shard channel, and the
 * delivery of a published message. The node owns one registry; the commands in commands/pubsub/
 * call it, and client-io.ts forgets a client when its connection closes.
 *
 * Three kinds of subscription, each kept on both sides:
 * - channels (SUBSCRIBE): per channel the subscribers in the order they subscribed;
 * - patterns (PSUBSCRIBE): per pattern its subscribers; a message goes to every client of every
 *   pattern that matches the channel (Redis's stringmatchlen, util/glob.ts);
 * - shard channels (SSUBSCRIBE, SPUBLISH): as channels, but counted apart. Without cluster mode a
 *   shard channel is just another namespace.
 * Per client the three sets keep the subscription order, which is the order UNSUBSCRIBE and
 * PUNSUBSCRIBE without arguments walk (Redis walks its per-client dict there, in hash order, so the
 * order of several channels differs from Redis's; patterns are a list in 7.0 and match exactly).
 *
 * A client with any subscription is in Redis's CLIENT_PUBSUB mode: in RESP2 it may then only run
 * the (P|S)(UN)SUBSCRIBE commands, PING, QUIT and RESET (dispatch.ts), it belongs to the `pubsub`
 * client class (output buffer limits, CLIENT LIST TYPE) and CLIENT LIST shows the P flag.
 *
 * Delivery writes the message into each receiver's reply buffer (a RESP3 push, a RESP2 array) and
 * flushes it at once, so a receiver that is neither the publisher nor in the middle of its own
 * input still gets it; the flush also applies the receiver's output buffer limit.
 */
import { assert } from '@replisim/base';
import type { Client } from '../client.js';
import { globMatch } from '../util/glob.js';

export type SubscriptionKind = 'channel' | 'pattern' | 'shard';

/** A client's subscriptions, each set in subscription order. */
export class ClientSubscriptions {
  readonly channels: Set<string> = new Set();
  readonly patterns: Set<string> = new Set();
  readonly shardChannels: Set<string> = new Set();

  of(kind: SubscriptionKind): Set<string> {
    return kind === 'channel'
      ? this.channels
      : kind === 'pattern'
        ? this.patterns
        : this.shardChannels;
  }

  /** Redis's clientSubscriptionsCount: channels and patterns (what SUBSCRIBE replies count). */
  get count(): number {
    return this.channels.size + this.patterns.size;
  }

  /** Redis's clientTotalPubSubSubscriptionCount: any subscription puts the client in pubsub mode. */
  get total(): number {
    return this.count + this.shardChannels.size;
  }
}

/** The count a (un)subscribe reply carries: shard commands count shard channels only. */
export function subscriptionCount(client: Client, kind: SubscriptionKind): number {
  const subs = client.subscriptions;
  return kind === 'shard' ? subs.shardChannels.size : subs.count;
}

/** Flushes a receiver's reply buffer (client-io's flushClient, passed in to avoid an import cycle). */
export type FlushReceiver = (client: Client) => void;

export class PubSub {
  private readonly channels = new Map<string, Client[]>();
  private readonly patterns = new Map<string, Client[]>();
  private readonly shardChannels = new Map<string, Client[]>();
  private readonly flush: FlushReceiver;

  constructor(flush: FlushReceiver) {
    this.flush = flush;
  }

  private table(kind: SubscriptionKind): Map<string, Client[]> {
    return kind === 'channel'
      ? this.channels
      : kind === 'pattern'
        ? this.patterns
        : this.shardChannels;
  }

  /** Subscribes `client` to `name`; false if it already was (Redis replies the count anyway). */
  subscribe(client: Client, kind: SubscriptionKind, name: string): boolean {
    const own = client.subscriptions.of(kind);
    if (own.has(name)) return false;
    own.add(name);
    const table = this.table(kind);
    const clients = table.get(name);
    if (clients === undefined) table.set(name, [client]);
    else clients.push(client);
    return true;
  }

  /** Unsubscribes `client` from `name`; false if it was not subscribed. */
  unsubscribe(client: Client, kind: SubscriptionKind, name: string): boolean {
    const own = client.subscriptions.of(kind);
    if (!own.delete(name)) return false;
    const table = this.table(kind);
    const clients = table.get(name);
    assert(clients !== undefined, 'a client subscription is listed under its name');
    const index = clients.indexOf(client);
    assert(index >= 0, 'a subscribed client is in its channel list');
    clients.splice(index, 1);
    if (clients.length === 0) table.delete(name);
    return true;
  }

  /** Drops every subscription of a client that went away (freeClient). */
  removeClient(client: Client): void {
    for (const kind of ['channel', 'pattern', 'shard'] as const) {
      for (const name of [...client.subscriptions.of(kind)]) this.unsubscribe(client, kind, name);
    }
  }

  /**
   * Delivers `message` on `channel` (a shard channel when `shard`) and returns the number of
   * receivers, as PUBLISH replies: every channel subscriber, plus one per (pattern, client) match.
   */
  publish(channel: Buffer, message: Buffer, shard: boolean): number {
    const name = channel.toString('latin1');
    let receivers = 0;
    const direct = (shard ? this.shardChannels : this.channels).get(name);
    for (const client of direct ?? []) {
      if (client.closing) continue;
      writeMessage(client, shard ? 'smessage' : 'message', undefined, channel, message);
      this.flush(client);
      receivers++;
    }
    if (shard) return receivers;
    for (const [pattern, clients] of this.patterns) {
      if (!globMatch(pattern, name)) continue;
      const patternBytes = Buffer.from(pattern, 'latin1');
      for (const client of clients) {
        if (client.closing) continue;
        writeMessage(client, 'pmessage', patternBytes, channel, message);
        this.flush(client);
        receivers++;
      }
    }
    return receivers;
  }

  /** Active channels (or shard channels) matching `pattern` (all without one): PUBSUB CHANNELS. */
  activeChannels(kind: 'channel' | 'shard', pattern: string | undefined): string[] {
    const names = [...this.table(kind).keys()];
    return pattern === undefined ? names : names.filter((name) => globMatch(pattern, name));
  }

  /** Subscribers of one channel (shard channel), patterns excluded: PUBSUB NUMSUB. */
  subscriberCount(kind: 'channel' | 'shard', name: string): number {
    return this.table(kind).get(name)?.length ?? 0;
  }

  /** Distinct patterns subscribed to: PUBSUB NUMPAT and INFO's pubsub_patterns. */
  get patternCount(): number {
    return this.patterns.size;
  }

  /** INFO's pubsub_channels. */
  get channelCount(): number {
    return this.channels.size;
  }

  /** INFO's pubsubshard_channels. */
  get shardChannelCount(): number {
    return this.shardChannels.size;
  }
}

/** A message as Redis writes it: a push in RESP3, an array in RESP2. */
function writeMessage(
  client: Client,
  type: 'message' | 'pmessage' | 'smessage',
  pattern: Buffer | undefined,
  channel: Buffer,
  message: Buffer,
): void {
  const reply = client.reply;
  const length = pattern === undefined ? 3 : 4;
  if (client.protocol === 3) reply.pushHeader(length);
  else reply.arrayHeader(length);
  reply.bulk(type);
  if (pattern !== undefined) reply.bulk(pattern);
  reply.bulk(channel);
  reply.bulk(message);
}
