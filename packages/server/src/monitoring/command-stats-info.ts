/**
 * INFO's Commandstats and Latencystats sections from the per-command statistics
 * (command-stats.ts), in Redis 7.0's formats:
 * `cmdstat_<name>:calls=<n>,usec=<n>,usec_per_call=<%.2f>,rejected_calls=<n>,failed_calls=<n>` for
 * every command with a call, a rejection or a failure, and
 * `latency_percentiles_usec_<name>:p50=<%.3f>,...` for every command with a histogram, one entry per
 * latency-tracking-info-percentiles value (empty while latency-tracking is off). Subcommands are
 * named `container|sub`. Redis lists them in its command dict's hash order; replisim in the order
 * the commands were first used.
 */
import type { ServerNode } from '../node.js';

export function commandstatsSection(node: ServerNode): [string, string | number][] {
  const fields: [string, string | number][] = [];
  for (const [name, stat] of node.commandStats.byCommand) {
    if (stat.calls === 0 && stat.failedCalls === 0 && stat.rejectedCalls === 0) continue;
    const perCall = stat.calls === 0 ? 0 : stat.usec / stat.calls;
    fields.push([
      `cmdstat_${name}`,
      `calls=${stat.calls},usec=${stat.usec},usec_per_call=${perCall.toFixed(2)},` +
        `rejected_calls=${stat.rejectedCalls},failed_calls=${stat.failedCalls}`,
    ]);
  }
  return fields;
}

export function latencystatsSection(node: ServerNode): [string, string | number][] {
  if (node.config.stored['latency-tracking'] !== 'yes') return [];
  const percentiles = (node.config.stored['latency-tracking-info-percentiles'] ?? '')
    .split(' ')
    .filter((word) => word !== '');
  const fields: [string, string | number][] = [];
  for (const [name, stat] of node.commandStats.byCommand) {
    const histogram = stat.histogram;
    if (histogram === undefined) continue;
    const values = percentiles.map(
      (p) => `p${p}=${(histogram.valueAtPercentile(Number(p)) / 1000).toFixed(3)}`,
    );
    fields.push([`latency_percentiles_usec_${name}`, values.join(',')]);
  }
  return fields;
}
