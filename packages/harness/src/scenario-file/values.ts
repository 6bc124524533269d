/**
 * Values in a scenario file: `${param}` substitution, times with units, and parameters drawn from
 * the seed. A parameter written as `{range: [10s, 30s]}` or `{choose: [replica-a, replica-b]}` takes
 * a value from the scenario's seeded random source, so different seeds tell different versions of
 * the story; `--set name=value` pins it.
 */
import type { Random } from '@replisim/base';
import type { ParamSpec } from './schema.js';

/** `500`, `500ms`, `20s`, `2m`, `1.5s` -> ms. */
const TIME = /^(\d+(?:\.\d+)?)\s*(ms|s|m)?$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000 };

export function parseTimeMs(text: string | number, what: string): number {
  if (typeof text === 'number') return text;
  const match = TIME.exec(text.trim());
  if (match === null)
    throw new Error(`${what}: expected a time such as 500ms, 20s or 2m, not ${text}`);
  return Math.round(Number(match[1]) * (UNIT_MS[match[2] ?? 'ms'] ?? 1));
}

/** Replaces every `${name}` with the parameter's value. */
export function interpolate(text: string, params: Readonly<Record<string, string>>): string {
  return text.replace(/\$\{([\w-]+)\}/g, (_, key: string) => {
    const value = params[key];
    if (value === undefined) throw new Error(`unknown parameter \${${key}}`);
    return value;
  });
}

/** The default text of a parameter as `replisim list` shows it. */
export function describeParam(spec: ParamSpec): string {
  if (typeof spec === 'string' || typeof spec === 'number') return String(spec);
  if ('range' in spec) return `${spec.range[0]}..${spec.range[1]}`;
  return spec.choose.join('|');
}

/**
 * Draws the value of every parameter not set on the command line: ranges and choices from
 * `random`, in declaration order (so a seed always draws the same values).
 */
export function resolveParams(
  specs: Readonly<Record<string, ParamSpec>>,
  given: Readonly<Record<string, string>>,
  random: Random,
): Record<string, string> {
  const resolved: Record<string, string> = {};
  for (const [name, spec] of Object.entries(specs)) {
    const drawn = draw(name, spec, random);
    const set = given[name];
    resolved[name] = set !== undefined && set !== describeParam(spec) ? set : drawn;
  }
  return resolved;
}

function draw(name: string, spec: ParamSpec, random: Random): string {
  if (typeof spec === 'string' || typeof spec === 'number') return String(spec);
  if ('choose' in spec) return String(spec.choose[random.int(spec.choose.length)]);
  const [low, high] = spec.range;
  const unit = typeof low === 'string' ? (TIME.exec(low.trim())?.[2] ?? '') : '';
  const lowMs = parseTimeMs(low, `parameter ${name}`);
  const highMs = parseTimeMs(high, `parameter ${name}`);
  if (highMs < lowMs) throw new Error(`parameter ${name}: range low ${low} above high ${high}`);
  const value = lowMs + random.int(highMs - lowMs + 1);
  // Drawn times are given in ms, whatever unit the range used.
  return unit === '' ? String(value) : `${value}ms`;
}
