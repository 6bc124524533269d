/**
 * LATENCY GRAPH's text: latency.c's latencyCommandGenSparkeline drawn with sparkline.c, byte for
 * byte. A title line with the event's high and low among its samples and its all-time high, 80
 * dashes, then the samples oldest first as a filled sparkline four rows high (characters `_o#`
 * per third of a row, `|` below the top), a spacer row and each sample's age ("12s", "3m", "2h",
 * "1d") written vertically, one column per sample and 80 columns per band.
 */
import type { LatencySeries } from './latency.js';

/** LATENCY_GRAPH_COLS. */
const GRAPH_COLUMNS = 80;
/** Rows of the sparkline itself. */
const GRAPH_ROWS = 4;
/** sparkline.c's charset_fill: three steps per row. */
const FILL_CHARS = '_o#';
const LABEL_MARGIN_TOP = 1;

interface GraphSample {
  readonly value: number;
  readonly label: string;
}

/** A sample's age as latency.c labels it. */
function ageLabel(elapsedSeconds: number): string {
  if (elapsedSeconds < 60) return `${elapsedSeconds}s`;
  if (elapsedSeconds < 3600) return `${Math.trunc(elapsedSeconds / 60)}m`;
  if (elapsedSeconds < 3600 * 24) return `${Math.trunc(elapsedSeconds / 3600)}h`;
  return `${Math.trunc(elapsedSeconds / (3600 * 24))}d`;
}

/** sparklineRenderRange with SPARKLINE_FILL and no log scale, for samples[offset, offset+len). */
function renderRange(samples: readonly GraphSample[], offset: number, len: number): string {
  const values = samples.map((sample) => sample.value);
  const min = Math.min(...values);
  const max = Math.max(...values);
  const relmax = max - min === 0 ? 1 : max - min;
  const steps = FILL_CHARS.length * GRAPH_ROWS;
  const hasLabels = samples.some((sample) => sample.label !== '');
  let out = '';
  for (let row = 0; ; row++) {
    let more = false;
    const chars: string[] = new Array<string>(len).fill(' ');
    for (let j = 0; j < len; j++) {
      const sample = samples[j + offset];
      if (sample === undefined) break;
      // (int)(relval*steps)/relmax, then truncated again into the int step.
      let step = Math.trunc(Math.trunc((sample.value - min) * steps) / relmax);
      step = Math.min(steps - 1, Math.max(0, step));
      if (row < GRAPH_ROWS) {
        const charIndex = step - (GRAPH_ROWS - row - 1) * FILL_CHARS.length;
        more = true;
        if (charIndex >= 0 && charIndex < FILL_CHARS.length)
          chars[j] = FILL_CHARS[charIndex] ?? ' ';
        else if (charIndex >= FILL_CHARS.length) chars[j] = '|';
      } else {
        if (hasLabels && row - GRAPH_ROWS < LABEL_MARGIN_TOP) {
          more = true;
          break;
        }
        const charIndex = row - GRAPH_ROWS - LABEL_MARGIN_TOP;
        if (charIndex < sample.label.length) {
          more = true;
          chars[j] = sample.label[charIndex] ?? ' ';
        }
      }
    }
    if (!more) return out;
    out += `${chars.join('')}\n`;
  }
}

/** The graph of one event class at `nowSeconds` (unix seconds). */
export function latencyGraph(event: string, series: LatencySeries, nowSeconds: number): string {
  const samples: GraphSample[] = series.samples
    .filter((sample) => sample.timeSeconds !== 0)
    .map((sample) => ({
      value: sample.latencyMs,
      label: ageLabel(nowSeconds - sample.timeSeconds),
    }));
  const values = samples.map((sample) => sample.value);
  const high = values.length === 0 ? 0 : Math.max(...values);
  const low = values.length === 0 ? 0 : Math.min(...values);
  let graph = `${event} - high ${high} ms, low ${low} ms (all time high ${series.maxMs} ms)\n`;
  graph += `${'-'.repeat(GRAPH_COLUMNS)}\n`;
  for (let j = 0; j < samples.length; j += GRAPH_COLUMNS) {
    if (j !== 0) graph += '\n';
    graph += renderRange(samples, j, Math.min(GRAPH_COLUMNS, samples.length - j));
  }
  return graph;
}
