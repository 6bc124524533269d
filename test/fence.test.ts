/**
 * The determinism fence (DESIGN.md Principle 1): code that must run in the simulator may not reach
 * time, timers, sockets, files or randomness except through its Env.
 *
 * Method: read every source file under packages/{base,protocol,replica,server,harness}/src and
 * scenarios/src, skipping src/real/ (the real adapters), bin/ (the thin entry points), the harness's
 * cli/ (run folders on disk) and backends/process|container/ (real processes), and *.test.ts, strip comments (so prose may name the APIs it avoids), and search for the forbidden
 * names. Every hit is reported as file:line. The scanner is itself tested on planted samples, and on
 * src/real/ (which must show hits), so the fence cannot pass by scanning nothing.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

const SCANNED_DIRS = [
  'packages/base/src',
  'packages/protocol/src',
  'packages/replica/src',
  'packages/server/src',
  'packages/harness/src',
  'scenarios/src',
];

interface Rule {
  readonly name: string;
  readonly pattern: RegExp;
  /** A line the rule must catch; proves the pattern works. */
  readonly sample: string;
}

/** A module specifier in quotes, with or without the `node:` prefix. */
function moduleSpecifier(names: string): RegExp {
  return new RegExp(`(['"\`])(?:node:)?(?:${names})\\1`);
}

const RULES: readonly Rule[] = [
  { name: 'Date.now', pattern: /\bDate\s*\.\s*now\b/, sample: 'const t = Date.now();' },
  { name: 'new Date()', pattern: /\bnew\s+Date\s*\(\s*\)/, sample: 'const d = new Date();' },
  { name: 'performance.now', pattern: /\bperformance\s*\.\s*now\b/, sample: 'performance.now()' },
  { name: 'setTimeout', pattern: /\bsetTimeout\b/, sample: 'setTimeout(fn, 10);' },
  { name: 'setInterval', pattern: /\bsetInterval\b/, sample: 'setInterval(fn, 10);' },
  { name: 'setImmediate', pattern: /\bsetImmediate\b/, sample: 'setImmediate(fn);' },
  {
    name: 'process.hrtime',
    pattern: /\bprocess\s*\.\s*hrtime\b/,
    sample: 'process.hrtime.bigint()',
  },
  { name: 'Math.random', pattern: /\bMath\s*\.\s*random\b/, sample: 'Math.random() < 0.5' },
  {
    name: 'crypto random',
    pattern: /\b(?:randomBytes|randomFillSync|randomFill|randomInt|randomUUID|getRandomValues)\b/,
    sample: "import { randomBytes } from 'node:crypto';",
  },
  { name: 'node:net', pattern: moduleSpecifier('net'), sample: "import * as net from 'node:net';" },
  {
    name: 'node:fs',
    pattern: moduleSpecifier('fs|fs/promises'),
    sample: "import { readFile } from 'fs/promises';",
  },
  {
    name: 'node:dgram',
    pattern: moduleSpecifier('dgram'),
    sample: "const dgram = require('dgram');",
  },
  {
    name: 'node:timers',
    pattern: moduleSpecifier('timers|timers/promises'),
    sample: "from 'node:timers/promises'",
  },
];

const SOURCE_FILE = /\.(?:ts|mts|cts|js|mjs|cjs)$/;

/** Replaces comments with spaces (keeping newlines, so line numbers stay right); keeps strings. */
function stripComments(source: string): string {
  let out = '';
  let state: 'code' | 'line' | 'block' | "'" | '"' | '`' = 'code';
  for (let i = 0; i < source.length; i++) {
    const char = source.charAt(i);
    const next = source.charAt(i + 1);
    if (state === 'code') {
      if (char === '/' && next === '/') state = 'line';
      else if (char === '/' && next === '*') state = 'block';
      else if (char === "'" || char === '"' || char === '`') state = char;
      out += state === 'line' || state === 'block' ? ' ' : char;
    } else if (state === 'line') {
      if (char === '\n') state = 'code';
      out += char === '\n' ? '\n' : ' ';
    } else if (state === 'block') {
      if (char === '*' && next === '/') {
        state = 'code';
        out += '  ';
        i += 1;
      } else {
        out += char === '\n' ? '\n' : ' ';
      }
    } else {
      // Inside a string: keep it, honour escapes, end at the matching quote.
      out += char;
      if (char === '\\') {
        out += next;
        i += 1;
      } else if (char === state) {
        state = 'code';
      }
    }
  }
  return out;
}

interface Hit {
  readonly file: string;
  readonly line: number;
  readonly rule: string;
  readonly text: string;
}

function scanSource(source: string, file: string): Hit[] {
  const hits: Hit[] = [];
  const lines = stripComments(source).split('\n');
  const original = source.split('\n');
  lines.forEach((line, index) => {
    for (const rule of RULES) {
      if (rule.pattern.test(line)) {
        hits.push({ file, line: index + 1, rule: rule.name, text: (original[index] ?? '').trim() });
      }
    }
  });
  return hits;
}

function excluded(path: string): boolean {
  const normalized = path.split('\\').join('/');
  return (
    normalized.includes('/src/real/') ||
    normalized.includes('/bin/') ||
    normalized.includes('/harness/src/cli/') ||
    normalized.endsWith('/harness/src/cli.ts') ||
    normalized.includes('/backends/process/') ||
    normalized.includes('/backends/container/') ||
    normalized.endsWith('.test.ts')
  );
}

function listFiles(dir: string, options: { exclude: boolean }): string[] {
  if (!existsSync(dir)) return [];
  const files: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (options.exclude && excluded(`${path}/`)) continue;
      files.push(...listFiles(path, options));
    } else if (SOURCE_FILE.test(name) && !(options.exclude && excluded(path))) {
      files.push(path);
    }
  }
  return files;
}

function scanDirs(
  dirs: readonly string[],
  options: { exclude: boolean },
): { files: string[]; hits: Hit[] } {
  const files = dirs.flatMap((dir) => listFiles(join(ROOT, dir), options));
  const hits = files.flatMap((file) =>
    scanSource(readFileSync(file, 'utf8'), relative(ROOT, file)),
  );
  return { files, hits };
}

function format(hits: readonly Hit[]): string[] {
  return hits.map((hit) => `${hit.file}:${hit.line} ${hit.rule}: ${hit.text}`);
}

describe('determinism fence', () => {
  it('catches every forbidden API in a planted sample', () => {
    for (const rule of RULES) {
      expect(
        scanSource(`const ok = 1;\n${rule.sample}\n`, 'planted.ts').map((hit) => hit.line),
        rule.name,
      ).toEqual([2]);
    }
  });

  it('ignores comments but not strings, and reports the right line', () => {
    const planted = [
      '/** Never call Date.now or setTimeout here. */',
      "const url = 'https://example.com'; // Math.random in a comment",
      '/* a block',
      '   comment with process.hrtime */ const t = Date.now();',
      "const s = 'a \\' quote'; import 'node:fs';",
    ].join('\n');
    expect(format(scanSource(planted, 'planted.ts'))).toEqual([
      'planted.ts:4 Date.now: comment with process.hrtime */ const t = Date.now();',
      "planted.ts:5 node:fs: const s = 'a \\' quote'; import 'node:fs';",
    ]);
  });

  it('finds the forbidden APIs in src/real/ when not excluding it (the scan is not vacuous)', () => {
    const { files, hits } = scanDirs(['packages/base/src/real'], { exclude: false });
    expect(files.length).toBeGreaterThan(0);
    const rules = new Set(hits.map((hit) => hit.rule));
    for (const rule of ['Date.now', 'setTimeout', 'node:net', 'node:fs', 'crypto random']) {
      expect(rules.has(rule), rule).toBe(true);
    }
  });

  it('finds no forbidden API in simulated code', () => {
    const { files, hits } = scanDirs(SCANNED_DIRS, { exclude: true });
    const scanned = files.map((file) => relative(ROOT, file).split('\\').join('/'));
    expect(scanned).toContain('packages/base/src/sim/scheduler.ts');
    expect(scanned).toContain('packages/harness/src/cluster/cluster.ts');
    expect(scanned).toContain('scenarios/src/replica-partition.ts');
    expect(scanned.some((file) => file.includes('/harness/src/cli/'))).toBe(false);
    expect(scanned.some((file) => file.includes('/src/real/'))).toBe(false);
    expect(scanned.some((file) => file.endsWith('.test.ts'))).toBe(false);
    expect(format(hits), `forbidden APIs outside src/real/:\n${format(hits).join('\n')}`).toEqual(
      [],
    );
  });
});
