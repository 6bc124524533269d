/**
 * Differential test of the configuration parameters replisim added to cover Redis 7.0's whole set
 * (config/stored-params.ts, and pidfile, tcp-backlog, slowlog-*, latency-monitor-threshold): CONFIG
 * SET must accept and refuse exactly what redis-server 7.0.15 accepts and refuses, with the same
 * error bytes, and CONFIG GET must then show the same canonical value (enum spellings, percentages,
 * octal, the keyspace-events letters in Redis's order), in RESP2 and RESP3.
 *
 * Method: the collection-diff runner (support/collection-diff.ts) sends each step to a real
 * redis-server and an in-process replisim node and compares the reply bytes. Every script ends by
 * restoring the defaults it changed, so scripts do not depend on each other's order.
 */
import { describe, it } from 'vitest';
import { cmd, runScript, type Script, sortedPairs } from './support/collection-diff.js';
import { type Ports, useServerPair } from './support/server-pair.js';

const set = (name: string, value: string) => cmd('CONFIG', 'SET', name, value);
const get = (pattern: string) => cmd('CONFIG', 'GET', pattern);
/** A pattern's matches, sorted: Redis lists them in its dict's order, replisim by name. */
const getMany = (...patterns: string[]) => sortedPairs('CONFIG', 'GET', ...patterns);
/** Sets `value`, reads it back, then restores `initial`. */
const roundTrip = (name: string, value: string, initial: string) => [
  set(name, value),
  get(name),
  set(name, initial),
];

const SCRIPTS: readonly Script[] = [
  {
    name: 'booleans, integers and memory values: bounds and error reasons',
    steps: [
      ...roundTrip('activerehashing', 'NO', 'yes'),
      set('activerehashing', 'maybe'),
      ...roundTrip('acllog-max-len', '0', '128'),
      set('acllog-max-len', '-1'),
      set('acllog-max-len', '1x'),
      ...roundTrip('active-defrag-cycle-max', '99', '25'),
      set('active-defrag-cycle-max', '100'),
      ...roundTrip('auto-aof-rewrite-min-size', '1gb', '64mb'),
      set('auto-aof-rewrite-min-size', '1zb'),
      ...roundTrip('hll-sparse-max-bytes', '4k', '3000'),
      ...roundTrip('cluster-link-sendbuf-limit', '18446744073709551615', '0'),
      ...roundTrip('busy-reply-threshold', '100', '5000'),
      get('lua-time-limit'),
      ...roundTrip('lua-time-limit', '200', '5000'),
      ...roundTrip('slave-priority', '7', '100'),
      get('replica-priority'),
      ...roundTrip('cluster-node-timeout', '9223372036854775807', '15000'),
      set('cluster-node-timeout', '9223372036854775808'),
      ...roundTrip('tracking-table-max-keys', '10', '1000000'),
      set('tracking-table-max-keys', '-1'),
    ],
  },
  {
    name: 'enums show their canonical name',
    steps: [
      ...roundTrip('appendfsync', 'ALWAYS', 'everysec'),
      set('appendfsync', 'sometimes'),
      ...roundTrip('oom-score-adj', 'relative', 'no'),
      ...roundTrip('oom-score-adj', 'absolute', 'no'),
      ...roundTrip('acl-pubsub-default', 'allchannels', 'resetchannels'),
      ...roundTrip('sanitize-dump-payload', 'clients', 'no'),
      set('sanitize-dump-payload', 'all'),
      ...roundTrip('propagation-error-behavior', 'panic-on-replicas', 'ignore'),
      ...roundTrip('cluster-preferred-endpoint-type', 'hostname', 'ip'),
      ...roundTrip('tls-auth-clients', 'optional', 'yes'),
    ],
  },
  {
    name: 'special values: percentages, percentiles, OOM scores, keyspace events',
    steps: [
      ...roundTrip('maxmemory-clients', '10%', '0'),
      ...roundTrip('maxmemory-clients', '1mb', '0'),
      set('maxmemory-clients', '200%'),
      set('maxmemory-clients', '-5'),
      set('maxmemory-clients', 'x%'),
      ...roundTrip('latency-tracking-info-percentiles', '50.5 99.99 100', '50 99 99.9'),
      ...roundTrip('latency-tracking-info-percentiles', '', '50 99 99.9'),
      set('latency-tracking-info-percentiles', '101'),
      set('latency-tracking-info-percentiles', 'x'),
      ...roundTrip('oom-score-adj-values', '-10 0 2000', '0 200 800'),
      set('oom-score-adj-values', '1 2'),
      set('oom-score-adj-values', '1 2 2001'),
      ...roundTrip('notify-keyspace-events', 'KEA', ''),
      ...roundTrip('notify-keyspace-events', 'xK', ''),
      ...roundTrip('notify-keyspace-events', 'Ezlh$gmn', ''),
      ...roundTrip('notify-keyspace-events', 'AnE', ''),
      set('notify-keyspace-events', 'q'),
      ...roundTrip('proc-title-template', '{title} {port}', '{title} {listen-addr} {server-mode}'),
      set('proc-title-template', '{nope}'),
      ...roundTrip('ignore-warnings', 'ARM64-COW-BUG', ''),
    ],
  },
  {
    name: 'immutable parameters are refused at run time',
    steps: [
      set('supervised', 'systemd'),
      set('pidfile', '/tmp/x.pid'),
      set('tcp-backlog', '100'),
      set('unixsocketperm', '700'),
      set('io-threads', '2'),
      set('cluster-enabled', 'yes'),
      set('syslog-facility', 'local1'),
      set('appendfilename', 'x.aof'),
      set('set-proc-title', 'no'),
      set('socket-mark-id', '1'),
    ],
  },
  {
    name: 'slow log and latency monitor parameters',
    steps: [
      ...roundTrip('slowlog-log-slower-than', '-1', '10000'),
      set('slowlog-log-slower-than', '-2'),
      ...roundTrip('slowlog-max-len', '0', '128'),
      set('slowlog-max-len', '-1'),
      ...roundTrip('latency-monitor-threshold', '100', '0'),
      set('latency-monitor-threshold', '-1'),
    ],
  },
  {
    name: 'patterns over the added names',
    steps: [
      getMany('tls-*'),
      getMany('lazyfree-*'),
      getMany('*cpulist*'),
      getMany('cluster-*-port'),
      getMany('active-defrag-*'),
      getMany('tcp-backlog'),
      getMany('stream-node-*'),
      getMany('syslog*'),
      getMany('daemonize', 'supervised', 'oom-score-adj', 'oom-score-adj-values'),
    ],
  },
];

describe('configuration parameters against redis-server', () => {
  const servers = useServerPair();
  const ports = (): Ports => servers().ports;
  for (const protocol of [2, 3] as const) {
    describe(`RESP${protocol}`, () => {
      for (const script of SCRIPTS) {
        it(script.name, async () => {
          await runScript(script, ports(), protocol, () => undefined);
        });
      }
    });
  }
});
