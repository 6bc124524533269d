/**
 * The scenario file format (YAML), as a zod schema: what a file may say and what each field means.
 * The loader (load.ts) validates a parsed document against it and turns every issue into an error
 * naming the file, line and field; the interpreter (interpret.ts) runs what passes.
 *
 * Numbers may be written as strings with units where the field is a time ("20s", "500ms", "2m") and
 * any string may use `${param}` to read a parameter; both are resolved when the scenario runs, once
 * the seed and the `--set` overrides are known.
 */
import { z } from 'zod';

/** A time: ms as a number, or a string with a unit (ms, s, m), or `${param}`. */
const time = z.union([z.number().nonnegative(), z.string().min(1)]);
/** A count: a number or `${param}`. */
const count = z.union([z.number().int().nonnegative(), z.string().min(1)]);
const name = z.string().min(1);
const names = z.union([name, z.array(name).min(1)]);

/** A parameter: a plain default, or a range or choice drawn from the seed unless `--set`. */
const paramSchema = z.union([
  z.string(),
  z.number(),
  z.strictObject({
    range: z.tuple([time, time]).describe('[low, high]: a time or number drawn from the seed'),
  }),
  z.strictObject({ choose: z.array(z.union([z.string(), z.number()])).min(1) }),
]);

const nodeSchema = z.strictObject({
  /** redis.conf directives, e.g. `repl-backlog-size: 64kb`; a list value repeats the directive. */
  config: z
    .record(
      z.string(),
      z.union([z.string(), z.number(), z.array(z.union([z.string(), z.number()]))]),
    )
    .optional(),
  replicaof: name.optional(),
});

const writerSchema = z.strictObject({
  node: name,
  name: name.optional(),
  keys: count.optional(),
  'interval-ms': time.optional(),
  'wait-every': count.optional(),
  'wait-replicas': count.optional(),
  'wait-timeout-ms': time.optional(),
  /** MSET this many keys before the writer starts (the initial dataset). */
  load: count.optional(),
});

const waitSchema = z.strictObject({
  'caught-up': names.optional(),
  master: name.optional(),
  bgsave: name.optional(),
  running: z.boolean().optional(),
  'link-down': name.optional(),
  serving: name.optional(),
  event: z
    .strictObject({
      node: name,
      kind: z.string().min(1),
      text: z.string().optional(),
      since: name.optional().describe('a mark step; default: events from this step on'),
    })
    .optional(),
  'writer-idle': name.optional(),
  'bound-ms': time.optional(),
});

const callSchema = z.strictObject({
  node: name,
  command: z.array(z.union([z.string(), z.number()])).min(1),
  /** The reply must be this text (a status, a bulk string or an integer as text). */
  reply: z.union([z.string(), z.number()]).optional(),
  /** Do not wait for the reply (a SAVE whose latency a writer measures). */
  async: z.boolean().optional(),
});

/** Checks on the live cluster, in the middle of the steps. */
const checkSchema = z.strictObject({
  node: name,
  info: z.string().optional().describe('an INFO field, e.g. role, master_repl_offset, sync_full'),
  equals: z.union([z.string(), z.number()]).optional(),
  min: z.union([z.number(), z.string()]).optional(),
  max: z.union([z.number(), z.string()]).optional(),
  keys: count.optional().describe('DBSIZE must equal this'),
  has: z.array(z.string()).optional().describe('these keys exist'),
  lacks: z.array(z.string()).optional().describe('these keys do not exist'),
  get: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  line: z.string().optional().describe('what the verdict line says'),
});

const stepSchema = z
  .strictObject({
    start: names.optional(),
    writer: writerSchema.optional(),
    'stop-writer': z.union([name, z.boolean()]).optional(),
    set: z
      .strictObject({
        node: name,
        keys: count,
        prefix: z.string().optional(),
        value: z.string().optional(),
      })
      .optional(),
    run: time.optional(),
    wait: waitSchema.optional(),
    narrate: z.union([z.string(), z.strictObject({ actor: name, text: z.string() })]).optional(),
    call: callSchema.optional(),
    crash: name.optional(),
    kill: name.optional(),
    restart: name.optional(),
    shutdown: name.optional(),
    pause: name.optional(),
    partition: z.tuple([name, name]).optional(),
    cut: z.tuple([name, name]).optional(),
    isolate: name.optional(),
    latency: z
      .strictObject({ between: z.tuple([name, name]), ms: time, jitter: time.optional() })
      .optional(),
    'fork-pause': z.strictObject({ node: name, 'ms-per-gb': count }).optional(),
    bandwidth: z.strictObject({ between: z.tuple([name, name]), 'kb-per-sec': count }).optional(),
    disk: z
      .strictObject({ node: name, 'latency-ms': time.optional(), 'fsync-ms': time.optional() })
      .optional(),
    heal: z.boolean().optional(),
    failover: name.optional(),
    replicaof: z.strictObject({ node: name, of: z.union([name, z.literal('no one')]) }).optional(),
    mark: name.optional(),
    sample: z.boolean().optional(),
    check: checkSchema.optional(),
  })
  .refine((step) => Object.keys(step).length === 1, {
    message: 'a step is one verb: start, writer, run, wait, crash, partition, heal, check, ...',
  });

/** Expectations over the whole run, judged after the checkers. */
const expectationSchema = z
  .strictObject({
    event: z
      .strictObject({
        node: name,
        kind: z.string().min(1),
        count: count.optional(),
        min: count.optional(),
        max: count.optional(),
        since: name.optional().describe('a mark step'),
        until: name.optional().describe('a mark step'),
        text: z.string().optional().describe('a regular expression the event text must match'),
      })
      .optional(),
    order: z
      .array(z.strictObject({ node: name, kind: z.string().min(1), text: z.string().optional() }))
      .min(2)
      .optional(),
    checker: z
      .strictObject({
        name: z.enum([
          'snapshot-recovery',
          'offsets',
          'stream-prefix',
          'convergence',
          'lost-writes',
        ]),
        severity: z.enum(['held', 'permitted', 'violation', 'undecided']),
        min: count.optional(),
        max: count.optional(),
        text: z.string().optional(),
      })
      .optional(),
    lost: z
      .strictObject({
        count: count.optional(),
        max: count.optional(),
        min: count.optional(),
        to: z.string().optional(),
      })
      .optional(),
    latency: z
      .strictObject({
        since: name.optional(),
        until: name.optional(),
        'min-ms': time.optional(),
        'max-ms': time.optional(),
      })
      .optional()
      .describe("the slowest reply to a client's write between two marks"),
    line: z.string().optional(),
  })
  .refine((entry) => Object.keys(entry).filter((key) => key !== 'line').length === 1, {
    message:
      'an expectation is one of: event, order, checker, lost, latency (with an optional line)',
  });

const scenarioFileSchema: z.ZodType<ScenarioFile> = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case words joined by dashes'),
  summary: z.string().min(1).max(100),
  story: z.string().min(1),
  params: z.record(z.string(), paramSchema).optional(),
  nodes: z.record(z.string(), nodeSchema.nullable()),
  liveness: z.boolean().optional(),
  steps: z.array(stepSchema).min(1),
  expect: z.array(expectationSchema).optional(),
});

type Num = string | number;
type Names = string | string[];

export type ParamSpec = string | number | { range: [Num, Num] } | { choose: (string | number)[] };

export interface NodeSpecFile {
  config?: Record<string, string | number | (string | number)[]> | undefined;
  replicaof?: string | undefined;
}

export interface Check {
  node: string;
  info?: string | undefined;
  equals?: Num | undefined;
  min?: Num | undefined;
  max?: Num | undefined;
  keys?: Num | undefined;
  has?: string[] | undefined;
  lacks?: string[] | undefined;
  get?: Record<string, Num> | undefined;
  line?: string | undefined;
}

export interface Step {
  start?: Names | undefined;
  writer?:
    | {
        node: string;
        name?: string | undefined;
        keys?: Num | undefined;
        'interval-ms'?: Num | undefined;
        'wait-every'?: Num | undefined;
        'wait-replicas'?: Num | undefined;
        'wait-timeout-ms'?: Num | undefined;
        load?: Num | undefined;
      }
    | undefined;
  'stop-writer'?: string | boolean | undefined;
  set?:
    | { node: string; keys: Num; prefix?: string | undefined; value?: string | undefined }
    | undefined;
  run?: Num | undefined;
  wait?:
    | {
        'caught-up'?: Names | undefined;
        master?: string | undefined;
        bgsave?: string | undefined;
        running?: boolean | undefined;
        'link-down'?: string | undefined;
        serving?: string | undefined;
        event?:
          | { node: string; kind: string; text?: string | undefined; since?: string | undefined }
          | undefined;
        'writer-idle'?: string | undefined;
        'bound-ms'?: Num | undefined;
      }
    | undefined;
  narrate?: string | { actor: string; text: string } | undefined;
  call?:
    | { node: string; command: Num[]; reply?: Num | undefined; async?: boolean | undefined }
    | undefined;
  crash?: string | undefined;
  kill?: string | undefined;
  restart?: string | undefined;
  shutdown?: string | undefined;
  pause?: string | undefined;
  partition?: [string, string] | undefined;
  cut?: [string, string] | undefined;
  isolate?: string | undefined;
  latency?: { between: [string, string]; ms: Num; jitter?: Num | undefined } | undefined;
  'fork-pause'?: { node: string; 'ms-per-gb': Num } | undefined;
  bandwidth?: { between: [string, string]; 'kb-per-sec': Num } | undefined;
  disk?: { node: string; 'latency-ms'?: Num | undefined; 'fsync-ms'?: Num | undefined } | undefined;
  heal?: boolean | undefined;
  failover?: string | undefined;
  replicaof?: { node: string; of: string } | undefined;
  mark?: string | undefined;
  sample?: boolean | undefined;
  check?: Check | undefined;
}

interface CountBounds {
  count?: Num | undefined;
  min?: Num | undefined;
  max?: Num | undefined;
}

export interface Expectation {
  event?:
    | (CountBounds & {
        node: string;
        kind: string;
        since?: string | undefined;
        until?: string | undefined;
        text?: string | undefined;
      })
    | undefined;
  order?: { node: string; kind: string; text?: string | undefined }[] | undefined;
  checker?:
    | {
        name: 'snapshot-recovery' | 'offsets' | 'stream-prefix' | 'convergence' | 'lost-writes';
        severity: 'held' | 'permitted' | 'violation' | 'undecided';
        min?: Num | undefined;
        max?: Num | undefined;
        text?: string | undefined;
      }
    | undefined;
  lost?: (CountBounds & { to?: string | undefined }) | undefined;
  latency?:
    | {
        since?: string | undefined;
        until?: string | undefined;
        'min-ms'?: Num | undefined;
        'max-ms'?: Num | undefined;
      }
    | undefined;
  line?: string | undefined;
}

export interface ScenarioFile {
  name: string;
  summary: string;
  story: string;
  params?: Record<string, ParamSpec> | undefined;
  nodes: Record<string, NodeSpecFile | null>;
  liveness?: boolean | undefined;
  steps: Step[];
  expect?: Expectation[] | undefined;
}

/** The file's data, validated: the data or zod's issues. */
export function validateScenarioData(
  data: unknown,
): { ok: true; file: ScenarioFile } | { ok: false; issues: readonly z.core.$ZodIssue[] } {
  const result = scenarioFileSchema.safeParse(data);
  return result.success
    ? { ok: true, file: result.data }
    : { ok: false, issues: result.error.issues };
}
