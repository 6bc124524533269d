/**
 * CLUSTER <subcommand> [...], READONLY, READWRITE, ASKING
 *
 * replisim runs Redis in standalone mode only (cluster-enabled is refused at load), and these are
 * Redis 7.0's real replies in that mode: every CLUSTER subcommand (HELP included) and READONLY,
 * READWRITE and ASKING answer "ERR This instance has cluster support disabled". The subcommands
 * exist so that the dispatcher checks their arity and an unknown one gets "unknown subcommand"
 * as in Redis; their table entries (arity, flags, ACL categories, docs) are Redis 7.0.15's.
 */
import {
  type Command,
  type CommandFlag,
  defineCommand,
  defineContainer,
  ErrorReply,
  NO_KEYS,
} from '../types.js';

const DISABLED = new ErrorReply('ERR This instance has cluster support disabled');
const ADMIN = ['@admin', '@slow', '@dangerous'] as const;
const SLOW = ['@slow'] as const;

type Row = readonly [
  name: string,
  arity: number,
  flags: readonly CommandFlag[],
  acl: readonly string[],
  summary: string,
  since: string,
  complexity: string,
];

const ADMIN_WRITE: readonly CommandFlag[] = ['admin', 'stale', 'no_async_loading'];
const ADMIN_READ: readonly CommandFlag[] = ['admin', 'stale'];

/** Redis 7.0.15's CLUSTER subcommands (COMMAND INFO / COMMAND DOCS of the real server). */
const SUBCOMMANDS: readonly Row[] = [
  [
    'addslots',
    -3,
    ADMIN_WRITE,
    ADMIN,
    'Assign new hash slots to receiving node',
    '3.0.0',
    'O(N) where N is the total number of hash slot arguments',
  ],
  [
    'addslotsrange',
    -4,
    ADMIN_WRITE,
    ADMIN,
    'Assign new hash slots to receiving node',
    '7.0.0',
    'O(N) where N is the total number of the slots between the start slot and end slot arguments.',
  ],
  ['bumpepoch', 2, ADMIN_WRITE, ADMIN, 'Advance the cluster config epoch', '3.0.0', 'O(1)'],
  [
    'count-failure-reports',
    3,
    ADMIN_READ,
    ADMIN,
    'Return the number of failure reports active for a given node',
    '3.0.0',
    'O(N) where N is the number of failure reports',
  ],
  [
    'countkeysinslot',
    3,
    ['stale'],
    SLOW,
    'Return the number of local keys in the specified hash slot',
    '3.0.0',
    'O(1)',
  ],
  [
    'delslots',
    -3,
    ADMIN_WRITE,
    ADMIN,
    'Set hash slots as unbound in receiving node',
    '3.0.0',
    'O(N) where N is the total number of hash slot arguments',
  ],
  [
    'delslotsrange',
    -4,
    ADMIN_WRITE,
    ADMIN,
    'Set hash slots as unbound in receiving node',
    '7.0.0',
    'O(N) where N is the total number of the slots between the start slot and end slot arguments.',
  ],
  [
    'failover',
    -2,
    ADMIN_WRITE,
    ADMIN,
    'Forces a replica to perform a manual failover of its master.',
    '3.0.0',
    'O(1)',
  ],
  ['flushslots', 2, ADMIN_WRITE, ADMIN, "Delete a node's own slots information", '3.0.0', 'O(1)'],
  ['forget', 3, ADMIN_WRITE, ADMIN, 'Remove a node from the nodes table', '3.0.0', 'O(1)'],
  [
    'getkeysinslot',
    4,
    ['stale'],
    SLOW,
    'Return local key names in the specified hash slot',
    '3.0.0',
    'O(log(N)) where N is the number of requested keys',
  ],
  [
    'help',
    2,
    ['loading', 'stale'],
    SLOW,
    'Show helpful text about the different subcommands',
    '5.0.0',
    'O(1)',
  ],
  ['info', 2, ['stale'], SLOW, 'Provides info about Redis Cluster node state', '3.0.0', 'O(1)'],
  [
    'keyslot',
    3,
    ['stale'],
    SLOW,
    'Returns the hash slot of the specified key',
    '3.0.0',
    'O(N) where N is the number of bytes in the key',
  ],
  [
    'links',
    2,
    ['stale'],
    SLOW,
    'Returns a list of all TCP links to and from peer nodes in cluster',
    '7.0.0',
    'O(N) where N is the total number of Cluster nodes',
  ],
  [
    'meet',
    -4,
    ADMIN_WRITE,
    ADMIN,
    'Force a node cluster to handshake with another node',
    '3.0.0',
    'O(1)',
  ],
  ['myid', 2, ['stale'], SLOW, 'Return the node id', '3.0.0', 'O(1)'],
  [
    'nodes',
    2,
    ['stale'],
    SLOW,
    'Get Cluster config for the node',
    '3.0.0',
    'O(N) where N is the total number of Cluster nodes',
  ],
  [
    'replicas',
    3,
    ADMIN_READ,
    ADMIN,
    'List replica nodes of the specified master node',
    '5.0.0',
    'O(1)',
  ],
  [
    'replicate',
    3,
    ADMIN_WRITE,
    ADMIN,
    'Reconfigure a node as a replica of the specified master node',
    '3.0.0',
    'O(1)',
  ],
  [
    'reset',
    -2,
    ['admin', 'noscript', 'stale'],
    ADMIN,
    'Reset a Redis Cluster node',
    '3.0.0',
    'O(N) where N is the number of known nodes. The command may execute a FLUSHALL as a side effect.',
  ],
  [
    'saveconfig',
    2,
    ADMIN_WRITE,
    ADMIN,
    'Forces the node to save cluster state on disk',
    '3.0.0',
    'O(1)',
  ],
  [
    'set-config-epoch',
    3,
    ADMIN_WRITE,
    ADMIN,
    'Set the configuration epoch in a new node',
    '3.0.0',
    'O(1)',
  ],
  ['setslot', -4, ADMIN_WRITE, ADMIN, 'Bind a hash slot to a specific node', '3.0.0', 'O(1)'],
  [
    'shards',
    2,
    ['stale'],
    SLOW,
    'Get array of cluster slots to node mappings',
    '7.0.0',
    'O(N) where N is the total number of cluster nodes',
  ],
  [
    'slaves',
    3,
    ADMIN_READ,
    ADMIN,
    'List replica nodes of the specified master node',
    '3.0.0',
    'O(1)',
  ],
  [
    'slots',
    2,
    ['stale'],
    SLOW,
    'Get array of Cluster slot to node mappings',
    '3.0.0',
    'O(N) where N is the total number of Cluster nodes',
  ],
];

function disabled(
  name: string,
  arity: number,
  flags: readonly CommandFlag[],
  aclCategories: readonly string[],
  doc: { summary: string; since: string; complexity: string },
  group = 'cluster',
): Command {
  return defineCommand<null>({
    name,
    arity,
    syntax: '',
    flags,
    aclCategories,
    keys: NO_KEYS,
    doc: { ...doc, group },
    parse: () => null,
    execute: () => DISABLED,
  });
}

export const cluster: Command = defineContainer(
  {
    name: 'cluster',
    flags: [],
    aclCategories: ['@slow'],
    doc: {
      summary: 'A container for cluster commands',
      since: '3.0.0',
      group: 'cluster',
      complexity: 'Depends on subcommand.',
    },
  },
  SUBCOMMANDS.map(([name, arity, flags, acl, summary, since, complexity]) =>
    disabled(name, arity, flags, acl, { summary, since, complexity }),
  ),
);

const CONNECTION = ['@fast', '@connection'] as const;

export const readonlyCommand: Command = disabled(
  'readonly',
  1,
  ['loading', 'stale', 'fast'],
  CONNECTION,
  {
    summary: 'Enables read queries for a connection to a cluster replica node',
    since: '3.0.0',
    complexity: 'O(1)',
  },
);

export const readwrite: Command = disabled(
  'readwrite',
  1,
  ['loading', 'stale', 'fast'],
  CONNECTION,
  {
    summary: 'Disables read queries for a connection to a cluster replica node',
    since: '3.0.0',
    complexity: 'O(1)',
  },
);

export const asking: Command = disabled('asking', 1, ['fast'], CONNECTION, {
  summary: 'Sent by cluster clients after an -ASK redirect',
  since: '3.0.0',
  complexity: 'O(1)',
});
