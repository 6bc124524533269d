/**
 * Differential test of the commands a standalone Redis 7.0.15 without modules answers with fixed
 * errors or empty results: every CLUSTER subcommand (arity errors first, an unknown subcommand's
 * error, then "cluster support disabled", HELP included), READONLY, READWRITE, ASKING,
 * RESTORE-ASKING (RESTORE under another name: a DUMP payload restored, REPLACE, the payload
 * error), and MODULE LIST, HELP, LOAD, LOADEX, UNLOAD under enable-module-command's default (no).
 * RESP2 and RESP3, byte for byte.
 */
import { cmd, describeCollectionDiff, type Script } from './support/collection-diff.js';

const CLUSTER_LINES: readonly (readonly string[])[] = [
  ['CLUSTER'],
  ['CLUSTER', 'INFO'],
  ['CLUSTER', 'INFO', 'x'],
  ['cluster', 'nodes'],
  ['CLUSTER', 'HELP'],
  ['CLUSTER', 'FOO'],
  ['CLUSTER', 'KEYSLOT', 'a'],
  ['CLUSTER', 'KEYSLOT'],
  ['CLUSTER', 'MYID'],
  ['CLUSTER', 'SLOTS'],
  ['CLUSTER', 'SHARDS'],
  ['CLUSTER', 'LINKS'],
  ['CLUSTER', 'ADDSLOTS', '1', '2'],
  ['CLUSTER', 'ADDSLOTS'],
  ['CLUSTER', 'ADDSLOTSRANGE', '1', '2'],
  ['CLUSTER', 'ADDSLOTSRANGE', '1'],
  ['CLUSTER', 'DELSLOTS', '1'],
  ['CLUSTER', 'DELSLOTSRANGE', '1', '2'],
  ['CLUSTER', 'COUNTKEYSINSLOT', '1'],
  ['CLUSTER', 'GETKEYSINSLOT', '1', '10'],
  ['CLUSTER', 'GETKEYSINSLOT', '1'],
  ['CLUSTER', 'MEET', '127.0.0.1', '7000'],
  ['CLUSTER', 'MEET', '127.0.0.1'],
  ['CLUSTER', 'SETSLOT', '1', 'STABLE'],
  ['CLUSTER', 'REPLICATE', 'abc'],
  ['CLUSTER', 'REPLICAS', 'abc'],
  ['CLUSTER', 'SLAVES', 'abc'],
  ['CLUSTER', 'FAILOVER'],
  ['CLUSTER', 'FAILOVER', 'FORCE'],
  ['CLUSTER', 'FORGET', 'abc'],
  ['CLUSTER', 'RESET'],
  ['CLUSTER', 'RESET', 'HARD'],
  ['CLUSTER', 'SAVECONFIG'],
  ['CLUSTER', 'FLUSHSLOTS'],
  ['CLUSTER', 'BUMPEPOCH'],
  ['CLUSTER', 'SET-CONFIG-EPOCH', '1'],
  ['CLUSTER', 'COUNT-FAILURE-REPORTS', 'abc'],
  ['READONLY'],
  ['READONLY', 'x'],
  ['READWRITE'],
  ['ASKING'],
  ['ASKING', 'x'],
];

const SCRIPTS: readonly Script[] = [
  {
    name: 'CLUSTER, READONLY, READWRITE, ASKING',
    steps: CLUSTER_LINES.map((argv) => cmd(...argv)),
  },
  {
    name: 'RESTORE-ASKING',
    steps: [
      cmd('RPUSH', 'l', 'a', 'b'),
      cmd('RESTORE-ASKING', 'copy', '0', Buffer.from('0e0102', 'hex')),
      cmd('RESTORE-ASKING', 'copy', '0', 'x'),
      cmd('RESTORE-ASKING', 'copy'),
      cmd('SET', 's', 'value'),
      cmd('RESTORE-ASKING', 's', '0', Buffer.from('000576616c75650a0081f6c138c1aa9b6e', 'hex')),
      cmd('RESTORE-ASKING', 's2', '0', Buffer.from('000576616c75650a0081f6c138c1aa9b6e', 'hex')),
      cmd(
        'RESTORE-ASKING',
        's',
        '0',
        Buffer.from('000576616c75650a0081f6c138c1aa9b6e', 'hex'),
        'REPLACE',
      ),
      cmd('GET', 's2'),
      cmd('RESTORE-ASKING', 's3', '-1', Buffer.from('000576616c75650a0081f6c138c1aa9b6e', 'hex')),
    ],
    digest: ['s', 's2'],
  },
  {
    name: 'MODULE',
    steps: [
      cmd('MODULE'),
      cmd('MODULE', 'LIST'),
      cmd('module', 'list'),
      cmd('MODULE', 'LIST', 'x'),
      cmd('MODULE', 'HELP'),
      cmd('MODULE', 'FOO'),
      cmd('MODULE', 'LOAD', '/nonexistent/module.so'),
      cmd('MODULE', 'LOAD', '/nonexistent/module.so', 'a', 'b'),
      cmd('MODULE', 'LOAD'),
      cmd('MODULE', 'LOADEX', '/nonexistent/module.so', 'CONFIG', 'a', 'b'),
      cmd('MODULE', 'UNLOAD', 'x'),
      cmd('MODULE', 'UNLOAD'),
    ],
  },
];

describeCollectionDiff(
  'cluster-mode and module commands against redis-server 7.0.15',
  'string',
  SCRIPTS,
);
