/**
 * PUBSUB CHANNELS [pattern] | NUMSUB [channel ...] | NUMPAT | SHARDCHANNELS [pattern] |
 * SHARDNUMSUB [shardchannel ...] | HELP
 *
 * Introspection of the Pub/Sub registry (pubsub/pubsub.ts). CHANNELS lists the channels with at
 * least one subscriber (patterns do not count), in registration order where Redis uses its dict's
 * hash order. NUMSUB replies a flat array of channel, count pairs (an array in RESP3 too, as
 * Redis). NUMPAT counts distinct patterns. CHANNELS and SHARDCHANNELS take at most one pattern;
 * more words is Redis's subcommand syntax error.
 */

import { defineNoArgSubcommand } from '../no-arg-subcommand.js';
import { helpCommand } from '../server/help.js';
import { type Command, defineCommand, defineContainer, ErrorReply, NO_KEYS } from '../types.js';

const ACL = ['@pubsub', '@slow'] as const;
const FLAGS = ['pubsub', 'loading', 'stale'] as const;

function channelsCommand(
  name: 'channels' | 'shardchannels',
  summary: string,
  since: string,
  complexity: string,
): Command {
  const kind = name === 'channels' ? 'channel' : 'shard';
  return defineCommand<string | undefined>({
    name,
    arity: -2,
    syntax: '[pattern]',
    flags: [...FLAGS],
    aclCategories: ACL,
    keys: NO_KEYS,
    doc: { summary, since, group: 'pubsub', complexity },
    parse(argv) {
      if (argv.length > 3) {
        const typed = (argv[1] ?? Buffer.alloc(0)).toString('latin1');
        return new ErrorReply(
          `ERR unknown subcommand or wrong number of arguments for '${typed}'. Try PUBSUB HELP.`,
        );
      }
      return argv[2]?.toString('latin1');
    },
    execute(ctx, pattern) {
      const names = ctx.node.pubsub.activeChannels(kind, pattern);
      ctx.reply.arrayHeader(names.length);
      for (const channel of names) ctx.reply.bulk(Buffer.from(channel, 'latin1'));
      return undefined;
    },
  });
}

function numsubCommand(
  name: 'numsub' | 'shardnumsub',
  summary: string,
  since: string,
  complexity: string,
): Command {
  const kind = name === 'numsub' ? 'channel' : 'shard';
  return defineCommand<readonly Buffer[]>({
    name,
    arity: -2,
    syntax: name === 'numsub' ? '[channel [channel ...]]' : '[shardchannel [shardchannel ...]]',
    flags: [...FLAGS],
    aclCategories: ACL,
    keys: NO_KEYS,
    doc: { summary, since, group: 'pubsub', complexity },
    parse: (argv) => argv.slice(2),
    execute(ctx, channels) {
      ctx.reply.arrayHeader(channels.length * 2);
      for (const channel of channels) {
        ctx.reply.bulk(channel);
        ctx.reply.integer(ctx.node.pubsub.subscriberCount(kind, channel.toString('latin1')));
      }
      return undefined;
    },
  });
}

const numpat = defineNoArgSubcommand({
  name: 'numpat',
  flags: [...FLAGS],
  aclCategories: ACL,
  doc: {
    summary: 'Get the count of unique patterns pattern subscriptions',
    since: '2.8.0',
    group: 'pubsub',
    complexity: 'O(1)',
  },
  execute(ctx) {
    ctx.reply.integer(ctx.node.pubsub.patternCount);
    return undefined;
  },
});

const help = helpCommand('PUBSUB', [
  'CHANNELS [<pattern>]',
  "    Return the currently active channels matching a <pattern> (default: '*').",
  'NUMPAT',
  '    Return number of subscriptions to patterns.',
  'NUMSUB [<channel> ...]',
  '    Return the number of subscribers for the specified channels, excluding',
  '    pattern subscriptions(default: no channels).',
  'SHARDCHANNELS [<pattern>]',
  "    Return the currently active shard level channels matching a <pattern> (default: '*').",
  'SHARDNUMSUB [<shardchannel> ...]',
  '    Return the number of subscribers for the specified shard level channel(s)',
]);

export const pubsubCommand: Command = defineContainer(
  {
    name: 'pubsub',
    flags: [],
    aclCategories: ['@slow'],
    doc: {
      summary: 'A container for Pub/Sub commands',
      since: '2.8.0',
      group: 'pubsub',
      complexity: 'Depends on subcommand.',
    },
  },
  [
    channelsCommand(
      'channels',
      'List active channels',
      '2.8.0',
      'O(N) where N is the number of active channels, and assuming constant time pattern matching (relatively short channels and patterns)',
    ),
    numpat,
    numsubCommand(
      'numsub',
      'Get the count of subscribers for channels',
      '2.8.0',
      'O(N) for the NUMSUB subcommand, where N is the number of requested channels',
    ),
    channelsCommand(
      'shardchannels',
      'List active shard channels',
      '7.0.0',
      'O(N) where N is the number of active shard channels, and assuming constant time pattern matching (relatively short shard channels).',
    ),
    numsubCommand(
      'shardnumsub',
      'Get the count of subscribers for shard channels',
      '7.0.0',
      'O(N) for the SHARDNUMSUB subcommand, where N is the number of requested shard channels',
    ),
    help,
  ],
);
