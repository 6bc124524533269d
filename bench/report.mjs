/**
 * The report of a same-run comparison (bench/persistence.mjs, bench/replication.mjs): each metric's
 * median over the rounds per server, the ratio replisim / redis of the medians with the direction
 * that is better, a table for the terminal and a markdown table written between the
 * `<!-- section:begin -->` and `<!-- section:end -->` markers of BENCHMARKS.md (everything outside
 * the markers is written by people and left alone).
 *
 * A metric is `{ label, unit, get(result), lower, target? }`: `unit` is 's', 'ms', 'bytes', 'req/s'
 * or '' (a count), `lower` says whether a lower value is better.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';

export function median(values) {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export function percentiles(latencies) {
  const sorted = Float64Array.from(latencies).sort();
  const at = (p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;
  return {
    count: sorted.length,
    p50: at(0.5),
    p99: at(0.99),
    max: sorted[sorted.length - 1] ?? NaN,
  };
}

export function formatValue(value, unit) {
  if (!Number.isFinite(value)) return 'n/a';
  if (unit === 'bytes' || unit === '' || unit === 'req/s') {
    return Math.round(value).toLocaleString('en-US');
  }
  return value.toFixed(3);
}

/** The median, then the range of the rounds when they differ: `1.305 (1.104-1.508)`. */
function cellText(cell, unit) {
  const runs = cell.runs.filter((v) => Number.isFinite(v));
  const median = formatValue(cell.median, unit);
  if (runs.length < 2) return median;
  const low = formatValue(Math.min(...runs), unit);
  const high = formatValue(Math.max(...runs), unit);
  return low === high ? median : `${median} (${low}-${high})`;
}

/** Per metric, per server: the median of the rounds and the rounds' values. */
export function summarize(samples, metrics, servers) {
  const rows = [];
  for (const metric of metrics) {
    const cells = {};
    for (const name of servers) {
      const runs = samples.get(name).map(metric.get);
      cells[name] = { median: median(runs), runs };
    }
    rows.push({ metric, cells });
  }
  return rows;
}

function ratioText(row) {
  const redis = row.cells.redis?.median;
  const replisim = row.cells.replisim?.median;
  if (!Number.isFinite(redis) || !Number.isFinite(replisim) || redis === 0) return 'n/a';
  return `${(replisim / redis).toFixed(2)}x`;
}

export function printTable(rows, servers) {
  const lines = [];
  for (const row of rows) {
    const cells = servers
      .map((name) => `${name} ${formatValue(row.cells[name].median, row.metric.unit)}`)
      .join(', ');
    lines.push(
      `${row.metric.label} (${row.metric.unit || 'count'}): ${cells}, ratio ${ratioText(row)}`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** The markdown table: one row per metric, with the ratio and target columns when both ran. */
export function markdownTable(rows, servers) {
  const both = servers.length === 2;
  const columns = servers.map((name) => (name === 'redis' ? 'redis-server' : 'replisim'));
  return [
    `| measurement | ${columns.join(' | ')} |${both ? ' replisim / redis | target |' : ''}`,
    `|---|${servers.map(() => '---:').join('|')}|${both ? '---:|---|' : ''}`,
    ...rows.map((row) => {
      const unit = row.metric.unit ? ` (${row.metric.unit})` : '';
      const cells = servers.map((name) => cellText(row.cells[name], row.metric.unit));
      const better = row.metric.lower ? 'lower is better' : 'higher is better';
      const extra = both ? ` **${ratioText(row)}** (${better}) | ${row.metric.target ?? ''} |` : '';
      return `| ${row.metric.label}${unit} | ${cells.join(' | ')} |${extra}`;
    }),
  ];
}

function redisVersion() {
  try {
    return execFileSync('redis-server', ['--version'], { encoding: 'utf8' }).match(
      /v=([0-9.]+)/,
    )?.[1];
  } catch {
    return undefined;
  }
}

/** `Measured <date> on <n> cores (<cpu>), Node <v>, redis-server <v>.` */
export function machineLine() {
  return `Measured ${new Date().toISOString().slice(0, 10)} on ${cpus().length} cores (${cpus()[0]?.model.trim() ?? 'unknown CPU'}), Node ${process.version}, redis-server ${redisVersion() ?? '?'}.`;
}

/** `text` with `body` between the section's markers (appended with them if they are missing). */
export function replaceBetween(text, name, body) {
  const begin = `<!-- ${name}:begin -->`;
  const end = `<!-- ${name}:end -->`;
  const block = `${begin}\n${body}\n${end}`;
  const start = text.indexOf(begin);
  const stop = text.indexOf(end);
  if (start >= 0 && stop > start)
    return text.slice(0, start) + block + text.slice(stop + end.length);
  return `${text.trimEnd()}\n\n${block}\n`;
}

/** Writes `body` between the section's markers in `out` (appended if the markers are missing). */
export function writeSection(out, section, body) {
  let text;
  try {
    text = readFileSync(out, 'utf8');
  } catch {
    text = '# Benchmarks\n';
  }
  writeFileSync(out, replaceBetween(text, section, body));
  process.stdout.write(`wrote ${out}\n`);
}
