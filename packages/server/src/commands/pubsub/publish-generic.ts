/**
 * PUBLISH and SPUBLISH (pubsub.c publishCommand, spublishCommand): deliver the message and reply
 * the number of receivers. Both are propagated to replicas as received, even with no receiver, so
 * a replica's own subscribers get the message too (Redis's forceCommandPropagation(PROPAGATE_REPL)).
 */
import { type Command, type CommandDoc, defineCommand, type KeyPositions } from '../types.js';

interface PublishArgs {
  readonly channel: Buffer;
  readonly message: Buffer;
}

export function definePublish(shard: boolean, keys: KeyPositions, doc: CommandDoc): Command {
  return defineCommand<PublishArgs>({
    name: shard ? 'spublish' : 'publish',
    arity: 3,
    syntax: shard ? 'shardchannel message' : 'channel message',
    flags: ['pubsub', 'loading', 'stale', 'fast'],
    aclCategories: ['@pubsub', '@fast'],
    keys,
    doc,
    parse: (argv) => ({
      channel: argv[1] ?? Buffer.alloc(0),
      message: argv[2] ?? Buffer.alloc(0),
    }),
    execute(ctx, { channel, message }) {
      const receivers = ctx.node.pubsub.publish(channel, message, shard);
      ctx.forcePropagation();
      ctx.reply.integer(receivers);
      return undefined;
    },
  });
}
