/**
 * LATENCY LATEST | HISTORY event | RESET [event ...] | DOCTOR | GRAPH event |
 *         HISTOGRAM [command ...] | HELP
 *
 * Reads the latency monitor (monitoring/latency.ts). LATEST replies per event class
 * `[event, unix time of the latest sample, its ms, the all-time max ms]`; HISTORY the event's
 * samples `[unix time, ms]`, oldest first; RESET forgets the named classes (all without a name) and
 * replies how many it forgot. DOCTOR gives Redis's texts for a disabled monitor and for no spikes;
 * with spikes it gives Redis's header and per-event statistics line, without Redis's advice section.
 * GRAPH draws the event's samples as latency.c does (monitoring/latency-graph.ts), a verbatim
 * string, or "ERR No samples available for event '<event>'". HISTOGRAM replies, per command with
 * a latency histogram (monitoring/command-stats.ts), a map of `calls` and `histogram_usec`, the
 * cumulative counts by power-of-two bucket in µs; named commands are looked up as COMMAND INFO
 * does (`config|get` names a subcommand; a container adds its subcommands that have data; unknown
 * names are skipped; a name given twice appears twice, as in Redis). Without names every command
 * with data is listed, in the order first used (Redis: its dict's hash order).
 */
import type { ReplyWriter } from '@replisim/protocol';
import type { LatencyHistogram } from '../../monitoring/command-stats.js';
import type { LatencySeries } from '../../monitoring/latency.js';
import { latencyGraph } from '../../monitoring/latency-graph.js';
import { COMMAND_TABLE } from '../table.js';
import { type Command, defineCommand, defineContainer, ErrorReply, NO_KEYS } from '../types.js';
import { helpCommand } from './help.js';

const ADMIN = ['@admin', '@slow', '@dangerous'] as const;
const FLAGS = ['admin', 'noscript', 'loading', 'stale'] as const;

const DISABLED_REPORT =
  "I'm sorry, Dave, I can't do that. Latency monitoring is disabled in this Redis instance. You may use \"CONFIG SET latency-monitor-threshold <milliseconds>.\" in order to enable it. If we weren't in a deep space mission I'd suggest to take a look at https://redis.io/topics/latency-monitor.\n";
const QUIET_REPORT =
  'Dave, no latency spike was observed during the lifetime of this Redis instance, not in the slightest bit. I honestly think you ought to sit down calmly, take a stress pill, and think things over.\n';

const doc = (summary: string, complexity = 'O(1)') => ({
  summary,
  since: '2.8.13',
  group: 'server',
  complexity,
});

const latest = defineCommand<null>({
  name: 'latest',
  arity: 2,
  syntax: '',
  flags: FLAGS,
  aclCategories: ADMIN,
  keys: NO_KEYS,
  doc: doc('Return the latest latency samples for all events.'),
  parse: () => null,
  execute(ctx) {
    const events = ctx.node.latency.events;
    ctx.reply.arrayHeader(events.size);
    for (const [event, series] of events) {
      const last = series.samples[series.samples.length - 1];
      ctx.reply.arrayHeader(4);
      ctx.reply.bulk(event);
      ctx.reply.integer(last?.timeSeconds ?? 0);
      ctx.reply.integer(last?.latencyMs ?? 0);
      ctx.reply.integer(series.maxMs);
    }
    return undefined;
  },
});

const history = defineCommand<string>({
  name: 'history',
  arity: 3,
  syntax: 'event',
  flags: FLAGS,
  aclCategories: ADMIN,
  keys: NO_KEYS,
  doc: doc('Return timestamp-latency samples for an event.'),
  parse: (argv) => (argv[2] ?? Buffer.alloc(0)).toString('latin1'),
  execute(ctx, event) {
    const samples = ctx.node.latency.events.get(event)?.samples ?? [];
    ctx.reply.arrayHeader(samples.length);
    for (const sample of samples) {
      ctx.reply.arrayHeader(2);
      ctx.reply.integer(sample.timeSeconds);
      ctx.reply.integer(sample.latencyMs);
    }
    return undefined;
  },
});

const reset = defineCommand<readonly string[]>({
  name: 'reset',
  arity: -2,
  syntax: '[event [event ...]]',
  flags: FLAGS,
  aclCategories: ADMIN,
  keys: NO_KEYS,
  doc: doc('Reset latency data for one or more events.'),
  parse: (argv) => argv.slice(2).map((arg) => arg.toString('latin1')),
  execute(ctx, names) {
    ctx.reply.integer(ctx.node.latency.reset(names));
    return undefined;
  },
});

/** analyzeLatencyForEvent's line: count, average, mean deviation, period, worst. */
function eventLine(
  index: number,
  event: string,
  series: LatencySeries,
  nowSeconds: number,
): string {
  const samples = series.samples;
  const sum = samples.reduce((total, sample) => total + sample.latencyMs, 0);
  const avg = samples.length === 0 ? 0 : Math.floor(sum / samples.length);
  const oldest = samples.reduce((min, s) => Math.min(min, s.timeSeconds), Number.POSITIVE_INFINITY);
  const period = samples.length === 0 ? 0 : Math.max(1, nowSeconds - oldest);
  const deviation = samples.reduce((total, s) => total + Math.abs(avg - s.latencyMs), 0);
  const mad = samples.length === 0 ? 0 : Math.floor(deviation / samples.length);
  const perSample = samples.length === 0 ? 0 : period / samples.length;
  return `${index}. ${event}: ${samples.length} latency spikes (average ${avg}ms, mean deviation ${mad}ms, period ${perSample.toFixed(2)} sec). Worst all time event ${series.maxMs}ms.`;
}

const doctor = defineCommand<null>({
  name: 'doctor',
  arity: 2,
  syntax: '',
  flags: FLAGS,
  aclCategories: ADMIN,
  keys: NO_KEYS,
  doc: doc('Return a human readable latency analysis report.'),
  parse: () => null,
  execute(ctx) {
    const events = ctx.node.latency.events;
    if (events.size === 0) {
      ctx.reply.verbatim(
        ctx.node.config.latencyMonitorThreshold === 0 ? DISABLED_REPORT : QUIET_REPORT,
      );
      return undefined;
    }
    const nowSeconds = Math.floor(ctx.node.env.clock.wallMs() / 1000);
    const lines = [...events].map(([event, series], i) =>
      eventLine(i + 1, event, series, nowSeconds),
    );
    ctx.reply.verbatim(
      `Dave, I have observed latency spikes in this Redis instance. You don't mind talking about it, do you Dave?\n\n${lines.join('\n')}\n`,
    );
    return undefined;
  },
});

const graph = defineCommand<string>({
  name: 'graph',
  arity: 3,
  syntax: 'event',
  flags: FLAGS,
  aclCategories: ADMIN,
  keys: NO_KEYS,
  doc: doc('Return a latency graph for the event.'),
  parse: (argv) => (argv[2] ?? Buffer.alloc(0)).toString('latin1'),
  execute(ctx, event) {
    const series = ctx.node.latency.events.get(event);
    if (series === undefined)
      return new ErrorReply(`ERR No samples available for event '${event}'`);
    const nowSeconds = Math.floor(ctx.node.env.clock.wallMs() / 1000);
    ctx.reply.verbatim(latencyGraph(event, series, nowSeconds));
    return undefined;
  },
});

/** fillCommandCDF: `calls` and the cumulative buckets. */
function writeHistogram(reply: ReplyWriter, histogram: LatencyHistogram): void {
  reply.mapHeader(2);
  reply.bulk('calls');
  reply.integer(histogram.total);
  reply.bulk('histogram_usec');
  const buckets = histogram.buckets();
  reply.mapHeader(buckets.length);
  for (const [micros, count] of buckets) {
    reply.integer(micros);
    reply.integer(count);
  }
}

/** lookupCommandBySds: `name` or `container|sub`, in any case. */
function lookupByFullName(name: string): Command | undefined {
  const [first, sub, extra] = name.toLowerCase().split('|');
  if (first === undefined || extra !== undefined) return undefined;
  const command = COMMAND_TABLE.get(first);
  if (sub === undefined || command === undefined) return command;
  return command.subcommands.get(sub);
}

const histogram = defineCommand<readonly string[]>({
  name: 'histogram',
  arity: -2,
  syntax: '[command [command ...]]',
  flags: FLAGS,
  aclCategories: ADMIN,
  keys: NO_KEYS,
  doc: {
    ...doc('Return the cumulative distribution of latencies of a subset of commands or all.'),
    since: '7.0.0',
    complexity: 'O(N) where N is the number of commands with latency information being retrieved.',
  },
  parse: (argv) => argv.slice(2).map((arg) => arg.toString('latin1')),
  execute(ctx, names) {
    const stats = ctx.node.commandStats.byCommand;
    const found: [string, LatencyHistogram][] = [];
    const add = (fullName: string): void => {
      const data = stats.get(fullName)?.histogram;
      if (data !== undefined) found.push([fullName, data]);
    };
    if (names.length === 0) {
      for (const fullName of stats.keys()) add(fullName);
    }
    for (const name of names) {
      const command = lookupByFullName(name);
      if (command === undefined) continue;
      add(command.fullName);
      for (const sub of command.subcommands.values()) add(sub.fullName);
    }
    ctx.reply.mapHeader(found.length);
    for (const [fullName, data] of found) {
      ctx.reply.bulk(fullName);
      writeHistogram(ctx.reply, data);
    }
    return undefined;
  },
});

export const latencyCommand: Command = defineContainer(
  {
    name: 'latency',
    flags: [],
    aclCategories: ['@slow'],
    doc: doc('A container for latency diagnostics commands', 'Depends on subcommand.'),
  },
  [
    doctor,
    graph,
    histogram,
    history,
    latest,
    reset,
    helpCommand('LATENCY', [
      'DOCTOR',
      '    Return a human readable latency analysis report.',
      'GRAPH <event>',
      '    Return an ASCII latency graph for the <event> class.',
      'HISTORY <event>',
      '    Return time-latency samples for the <event> class.',
      'LATEST',
      '    Return the latest latency samples for all events.',
      'RESET [<event> ...]',
      '    Reset latency data of one or more <event> classes.',
      '    (default: reset all data for all event classes)',
      'HISTOGRAM [COMMAND ...]',
      '    Return a cumulative distribution of latencies in the format of a histogram for the specified command names.',
      '    If no commands are specified then all histograms are replied.',
    ]),
  ],
);
