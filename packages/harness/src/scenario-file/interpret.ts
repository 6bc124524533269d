/**
 * Turns a validated scenario file (schema.ts) into a Scenario: the nodes become cluster nodes, the
 * steps run in order against the Cluster API, `check` steps and the `expect` list become verdict
 * lines. Nothing here is special to YAML: the same Scenario could be written in TypeScript.
 */
import { assert } from '@replisim/base';
import type { RespValue } from '@replisim/protocol';
import { infoField, replyText } from '../client/resp-client.js';
import type { Undo } from '../cluster/backend.js';
import type { Cluster } from '../cluster/cluster.js';
import type { Scenario, ScenarioContext, VerifyView } from '../run/scenario.js';
import { RegisterWriter } from '../workload/register-writer.js';
import type { Check, Expectation, ScenarioFile, Step } from './schema.js';
import { describeParam, interpolate, parseTimeMs, resolveParams } from './values.js';

/** MSET batch size of a writer's `load`. */
const LOAD_BATCH = 500;
/** The writer a step names when it names none. */
const WRITER_DEFAULT = 'writer';

export function scenarioOfFile(file: ScenarioFile): Scenario {
  const specs = file.params ?? {};
  // Marks are recorded during the run and read by `verify`; one run at a time per Scenario object.
  let marks = new Map<string, number>();
  let resolved: Record<string, string> = {};
  return {
    name: file.name,
    summary: file.summary,
    story: file.story.trimEnd(),
    params: Object.fromEntries(Object.entries(specs).map(([k, v]) => [k, describeParam(v)])),
    liveness: file.liveness ?? true,
    async run(context) {
      marks = new Map();
      resolved = resolveParams(specs, context.params, context.random.fork());
      const drawn = Object.entries(resolved)
        .filter(([k, v]) => v !== context.params[k])
        .map(([k, v]) => `${k}=${v}`);
      if (drawn.length > 0)
        context.narrate('narrator', `drawn from seed ${context.seed}: ${drawn.join(' ')}`);
      const runner = new StepRunner(file, context, resolved, marks);
      runner.declareNodes();
      for (const [index, step] of file.steps.entries()) {
        await runner.step(step, index);
      }
    },
    verify(view) {
      for (const entry of file.expect ?? []) verifyExpectation(entry, view, marks, resolved);
    },
  };
}

class StepRunner {
  private readonly cluster: Cluster;
  private readonly writers = new Map<string, RegisterWriter>();
  private readonly undos: Undo[] = [];
  private readonly file: ScenarioFile;
  private readonly context: ScenarioContext;
  private readonly params: Readonly<Record<string, string>>;
  private readonly marks: Map<string, number>;

  constructor(
    file: ScenarioFile,
    context: ScenarioContext,
    params: Readonly<Record<string, string>>,
    marks: Map<string, number>,
  ) {
    this.file = file;
    this.context = context;
    this.params = params;
    this.marks = marks;
    this.cluster = context.cluster;
  }

  private text(value: string | number): string {
    return typeof value === 'number' ? String(value) : interpolate(value, this.params);
  }

  private ms(value: string | number, what: string): number {
    return parseTimeMs(this.text(value), what);
  }

  private num(value: string | number, what: string): number {
    const n = Number(this.text(value));
    if (!Number.isFinite(n)) throw new Error(`${what}: expected a number, not ${String(value)}`);
    return n;
  }

  declareNodes(): void {
    for (const [name, spec] of Object.entries(this.file.nodes)) {
      const options: string[] = [];
      for (const [directive, value] of Object.entries(spec?.config ?? {})) {
        const values = Array.isArray(value) ? value : [value];
        for (const one of values) {
          // `save: '900 1'` is two option words; `save: ''` is one empty word (no rules).
          const words = this.text(one)
            .split(/\s+/)
            .filter((word) => word !== '');
          options.push(`--${directive}`, ...(words.length === 0 ? [''] : words));
        }
      }
      const replicaOf = spec?.replicaof === undefined ? undefined : this.text(spec.replicaof);
      this.cluster.node({ name, options, ...(replicaOf === undefined ? {} : { replicaOf }) });
    }
  }

  private writer(name: string | undefined): RegisterWriter {
    const writer = this.writers.get(name ?? WRITER_DEFAULT);
    if (writer === undefined) throw new Error(`no writer named ${name ?? WRITER_DEFAULT}`);
    return writer;
  }

  private names(value: string | readonly string[]): string[] {
    return (typeof value === 'string' ? [value] : value).map((n) => this.text(n));
  }

  async step(step: Step, index: number): Promise<void> {
    const cluster = this.cluster;
    const where = `steps[${index}]`;
    if (step.start !== undefined) return cluster.start(...this.names(step.start));
    if (step.writer !== undefined) return this.startWriter(step.writer, where);
    if (step['stop-writer'] !== undefined) {
      const name = typeof step['stop-writer'] === 'string' ? step['stop-writer'] : undefined;
      const writer = this.writer(name);
      writer.stop();
      await cluster.waitFor('the last write', () => writer.idle);
      this.context.narrate(
        name ?? WRITER_DEFAULT,
        `stops after ${writer.acked} acknowledged writes`,
      );
      return;
    }
    if (step.set !== undefined) return this.setKeys(step.set, where);
    if (step.run !== undefined) return cluster.runFor(this.ms(step.run, `${where}.run`));
    if (step.wait !== undefined) return this.wait(step.wait, where);
    if (step.narrate !== undefined) {
      const { actor, text } =
        typeof step.narrate === 'string' ? { actor: 'narrator', text: step.narrate } : step.narrate;
      this.context.narrate(actor, this.text(text));
      return;
    }
    if (step.call !== undefined) return this.call(step.call, where);
    if (step.crash !== undefined) return cluster.crash(this.text(step.crash));
    if (step.kill !== undefined) return cluster.kill(this.text(step.kill));
    if (step.restart !== undefined) return cluster.restart(this.text(step.restart));
    if (step.shutdown !== undefined) return cluster.shutdown(this.text(step.shutdown));
    if (step.pause !== undefined) {
      this.undos.push(cluster.pause(this.text(step.pause)));
      return;
    }
    if (step.partition !== undefined) {
      const [a, b] = step.partition;
      this.undos.push(cluster.partition(this.text(a), this.text(b)));
      return;
    }
    if (step.cut !== undefined) {
      const [a, b] = step.cut;
      this.undos.push(cluster.cut(this.text(a), this.text(b)));
      return;
    }
    if (step.isolate !== undefined) {
      this.undos.push(cluster.isolate(this.text(step.isolate)));
      return;
    }
    if (step.latency !== undefined) {
      const [a, b] = step.latency.between;
      const jitter = step.latency.jitter;
      this.undos.push(
        cluster.latency(this.text(a), this.text(b), {
          latencyMs: this.ms(step.latency.ms, `${where}.latency.ms`),
          ...(jitter === undefined ? {} : { jitterMs: this.ms(jitter, `${where}.latency.jitter`) }),
        }),
      );
      return;
    }
    if (step['fork-pause'] !== undefined) {
      const fp = step['fork-pause'];
      return cluster.forkPause(
        this.text(fp.node),
        this.num(fp['ms-per-gb'], `${where}.fork-pause`),
      );
    }
    if (step.bandwidth !== undefined) {
      const [a, b] = step.bandwidth.between;
      const rate = this.num(step.bandwidth['kb-per-sec'], `${where}.bandwidth`);
      this.undos.push(cluster.bandwidth(this.text(a), this.text(b), rate));
      return;
    }
    if (step.disk !== undefined) {
      const { node, 'latency-ms': latency, 'fsync-ms': fsync } = step.disk;
      this.undos.push(
        cluster.disk(this.text(node), {
          ...(latency === undefined ? {} : { latencyMs: this.ms(latency, `${where}.disk`) }),
          ...(fsync === undefined ? {} : { fsyncMs: this.ms(fsync, `${where}.disk`) }),
        }),
      );
      return;
    }
    if (step.heal !== undefined) {
      for (const undo of this.undos.splice(0)) undo();
      return;
    }
    if (step.failover !== undefined) return cluster.failover(this.text(step.failover));
    if (step.replicaof !== undefined) {
      const node = this.text(step.replicaof.node);
      const of = this.text(step.replicaof.of);
      if (of === 'no one') {
        await cluster.call(node, ['REPLICAOF', 'NO', 'ONE']);
      } else {
        // As `node` reaches `of`: through their link's proxy on real backends.
        const { host, port } = cluster.backend.address(of, node);
        await cluster.call(node, ['REPLICAOF', host, String(port)]);
      }
      cluster.narrate(node, `REPLICAOF ${of === 'no one' ? 'NO ONE' : of}`);
      return;
    }
    if (step.mark !== undefined) {
      this.marks.set(step.mark, cluster.history.nextIndex);
      return;
    }
    if (step.sample !== undefined) return cluster.sample({ digests: true });
    if (step.check !== undefined) return this.check(step.check, where);
    assert(false, `${where}: a step the schema accepted but the runner does not know`);
  }

  private async startWriter(spec: NonNullable<Step['writer']>, where: string): Promise<void> {
    const name = spec.name ?? WRITER_DEFAULT;
    const node = this.text(spec.node);
    const opt = (value: string | number | undefined, fallback: number, what: string): number =>
      value === undefined ? fallback : this.num(value, `${where}.writer.${what}`);
    const writer = new RegisterWriter(
      await this.cluster.client(node),
      this.cluster.backend.timers,
      this.context.random,
      () => this.cluster.backend.now(),
      {
        keys: opt(spec.keys, 100, 'keys'),
        intervalMs:
          spec['interval-ms'] === undefined
            ? 5
            : this.ms(spec['interval-ms'], `${where}.writer.interval-ms`),
        waitEvery: opt(spec['wait-every'], 0, 'wait-every'),
        waitReplicas: opt(spec['wait-replicas'], 1, 'wait-replicas'),
        waitTimeoutMs:
          spec['wait-timeout-ms'] === undefined
            ? 100
            : this.ms(spec['wait-timeout-ms'], `${where}.writer.wait-timeout-ms`),
      },
    );
    this.writers.set(name, writer);
    if (spec.load !== undefined) {
      let loaded: boolean | undefined;
      writer.load(LOAD_BATCH, (ok) => {
        loaded = ok;
      });
      await this.cluster.waitFor(`${name}'s initial load`, () => loaded !== undefined);
      if (loaded !== true) throw new Error(`${name}'s initial load was refused`);
      return;
    }
    writer.start();
  }

  private async setKeys(spec: NonNullable<Step['set']>, where: string): Promise<void> {
    const node = this.text(spec.node);
    const keys = this.num(spec.keys, `${where}.set.keys`);
    const prefix = this.text(spec.prefix ?? 'key:');
    const value = this.text(spec.value ?? 'v');
    const client = await this.cluster.client(node);
    for (let i = 0; i < keys; i++) {
      let done = false;
      client.op('write', ['SET', `${prefix}${i}`, value], { key: `${prefix}${i}`, value }, () => {
        done = true;
      });
      await this.cluster.waitFor(`SET ${prefix}${i} on ${node}`, () => done);
    }
    client.close();
  }

  private async wait(spec: NonNullable<Step['wait']>, where: string): Promise<void> {
    const cluster = this.cluster;
    const bound =
      spec['bound-ms'] === undefined
        ? undefined
        : this.ms(spec['bound-ms'], `${where}.wait.bound-ms`);
    if (spec['caught-up'] !== undefined) {
      const master = spec.master === undefined ? cluster.master : this.text(spec.master);
      return cluster.waitCaughtUp(this.names(spec['caught-up']), master, bound);
    }
    if (spec.bgsave !== undefined)
      return cluster.waitBgsave(this.text(spec.bgsave), spec.running ?? false, bound);
    if (spec['link-down'] !== undefined)
      return cluster.waitLinkDown(this.text(spec['link-down']), bound);
    if (spec.serving !== undefined) {
      const node = this.text(spec.serving);
      return cluster.waitFor(`${node} serving`, () => cluster.serving(node), bound);
    }
    if (spec['writer-idle'] !== undefined) {
      const writer = this.writer(this.text(spec['writer-idle']));
      return cluster.waitFor('the writer idle', () => writer.idle, bound);
    }
    if (spec.event !== undefined) {
      const from =
        spec.event.since === undefined
          ? cluster.history.nextIndex
          : markIndex(this.marks, spec.event.since);
      const node = this.text(spec.event.node);
      const kind = spec.event.kind;
      const pattern =
        spec.event.text === undefined ? undefined : new RegExp(this.text(spec.event.text));
      return cluster.waitFor(
        `a ${kind} event on ${node}`,
        () =>
          cluster.history.events.some(
            (e) =>
              e.index >= from &&
              e.node === node &&
              e.kind === kind &&
              (pattern === undefined || pattern.test(e.text)),
          ),
        bound,
      );
    }
    throw new Error(
      `${where}.wait: say what to wait for (caught-up, bgsave, link-down, serving, event, writer-idle)`,
    );
  }

  private async call(spec: NonNullable<Step['call']>, where: string): Promise<void> {
    const node = this.text(spec.node);
    const argv = spec.command.map((word) => this.text(word));
    if (spec.async === true) {
      const client = await this.cluster.client(node);
      client.op('admin', argv, {}, () => client.close());
      return;
    }
    const reply = await this.cluster.call(node, argv);
    if (spec.reply !== undefined) {
      const want = this.text(spec.reply);
      const got = textOf(reply);
      this.context.expect(
        got === want,
        `${argv.join(' ')} on ${node} replied ${got} (expected ${want}) [${where}]`,
      );
    }
  }

  private async check(spec: Check, where: string): Promise<void> {
    const node = this.text(spec.node);
    const cluster = this.cluster;
    const parts: string[] = [];
    let ok = true;
    if (spec.info !== undefined) {
      const reply = await cluster.call(node, ['INFO', 'everything']);
      const value = infoField(reply, spec.info) ?? '(missing)';
      if (spec.equals !== undefined) {
        const want = this.text(spec.equals);
        ok &&= value === want;
        parts.push(`${spec.info} is ${value} (expected ${want})`);
      }
      if (spec.min !== undefined) {
        const min = this.num(spec.min, `${where}.check.min`);
        ok &&= Number(value) >= min;
        parts.push(`${spec.info} ${value} >= ${min}`);
      }
      if (spec.max !== undefined) {
        const max = this.num(spec.max, `${where}.check.max`);
        ok &&= Number(value) <= max;
        parts.push(`${spec.info} ${value} <= ${max}`);
      }
    }
    if (spec.keys !== undefined) {
      const want = this.num(spec.keys, `${where}.check.keys`);
      const size = textOf(await cluster.call(node, ['DBSIZE']));
      ok &&= Number(size) === want;
      parts.push(`holds ${size} keys (expected ${want})`);
    }
    for (const key of spec.has ?? []) {
      const n = textOf(await cluster.call(node, ['EXISTS', this.text(key)]));
      ok &&= n === '1';
      parts.push(`has ${this.text(key)}: ${n === '1' ? 'yes' : 'no'}`);
    }
    for (const key of spec.lacks ?? []) {
      const n = textOf(await cluster.call(node, ['EXISTS', this.text(key)]));
      ok &&= n === '0';
      parts.push(`lacks ${this.text(key)}: ${n === '0' ? 'yes' : 'no'}`);
    }
    for (const [key, value] of Object.entries(spec.get ?? {})) {
      const got = textOf(await cluster.call(node, ['GET', this.text(key)]));
      ok &&= got === this.text(value);
      parts.push(`${this.text(key)} = ${got} (expected ${this.text(value)})`);
    }
    const line = spec.line === undefined ? '' : `${this.text(spec.line)}: `;
    this.context.expect(ok, `${line}${node} ${parts.join(', ')}`);
  }
}

function textOf(reply: RespValue | undefined): string {
  if (reply === undefined) return '(no reply)';
  return replyText(reply) ?? '(nil)';
}

function verifyExpectation(
  entry: Expectation,
  view: VerifyView,
  marks: ReadonlyMap<string, number>,
  params: Readonly<Record<string, string>>,
): void {
  const text = (value: string | number): string =>
    typeof value === 'number' ? String(value) : interpolate(value, params);
  const num = (value: string | number): number => Number(text(value));
  const label = entry.line === undefined ? '' : `${text(entry.line)}: `;
  const bounds = (n: number, spec: Bounds): boolean =>
    (spec.count === undefined || n === num(spec.count)) &&
    (spec.min === undefined || n >= num(spec.min)) &&
    (spec.max === undefined || n <= num(spec.max));
  const wanted = (spec: Bounds): string =>
    [
      spec.count === undefined ? '' : `exactly ${text(spec.count)}`,
      spec.min === undefined ? '' : `at least ${text(spec.min)}`,
      spec.max === undefined ? '' : `at most ${text(spec.max)}`,
    ]
      .filter((s) => s !== '')
      .join(', ');
  if (entry.event !== undefined) {
    const spec = entry.event;
    const node = text(spec.node);
    const from = spec.since === undefined ? 0 : markIndex(marks, spec.since);
    const to = spec.until === undefined ? Number.POSITIVE_INFINITY : markIndex(marks, spec.until);
    const pattern = spec.text === undefined ? undefined : new RegExp(text(spec.text));
    const found = view.events.filter(
      (e) =>
        e.index >= from &&
        e.index < to &&
        e.node === node &&
        e.kind === spec.kind &&
        (pattern === undefined || pattern.test(e.text)),
    );
    const rule = wanted(spec) || 'at least 1';
    const ok =
      spec.count === undefined && spec.min === undefined && spec.max === undefined
        ? found.length > 0
        : bounds(found.length, spec);
    const window = `${spec.since === undefined ? '' : ` after ${spec.since}`}${spec.until === undefined ? '' : ` before ${spec.until}`}`;
    view.expect(
      ok,
      `${label}${found.length} ${spec.kind} event(s) on ${node}${window} (expected ${rule})${found[0] === undefined ? '' : `: ${found[0].text}`}`,
    );
    return;
  }
  if (entry.order !== undefined) {
    let at = -1;
    const seen: string[] = [];
    let ok = true;
    for (const item of entry.order) {
      const node = text(item.node);
      const pattern = item.text === undefined ? undefined : new RegExp(text(item.text));
      const next = view.events.find(
        (e) =>
          e.index > at &&
          e.node === node &&
          e.kind === item.kind &&
          (pattern === undefined || pattern.test(e.text)),
      );
      if (next === undefined) {
        ok = false;
        seen.push(`no ${item.kind} on ${node} after that`);
        break;
      }
      at = next.index;
      seen.push(`${item.kind}@${(next.time / 1000).toFixed(3)}s`);
    }
    view.expect(ok, `${label}in order: ${seen.join(' -> ')}`);
    return;
  }
  if (entry.checker !== undefined) {
    const spec = entry.checker;
    const pattern = spec.text === undefined ? undefined : new RegExp(text(spec.text));
    const found = view.findings.filter(
      (f) =>
        f.checker === spec.name &&
        f.severity === spec.severity &&
        (pattern === undefined || pattern.test(f.text)),
    );
    const ok =
      spec.min === undefined && spec.max === undefined
        ? found.length > 0
        : bounds(found.length, spec);
    view.expect(
      ok,
      `${label}${spec.name}: ${found.length} ${spec.severity} finding(s) (expected ${wanted(spec) || 'at least 1'})${found[0] === undefined ? '' : `: ${found[0].text.split('\n')[0]}`}`,
    );
    return;
  }
  if (entry.latency !== undefined) {
    const spec = entry.latency;
    const from = spec.since === undefined ? 0 : markIndex(marks, spec.since);
    const to = spec.until === undefined ? Number.POSITIVE_INFINITY : markIndex(marks, spec.until);
    const invoked = new Map<number, number>();
    let slowest = 0;
    for (const op of view.ops) {
      if (op.f !== 'write' && op.f !== 'incr' && op.f !== 'del') continue;
      if (op.type === 'invoke') {
        invoked.set(op.process, op.time);
        continue;
      }
      // A write belongs to the window its reply arrives in: the one whatever delayed it is in.
      const start = invoked.get(op.process);
      invoked.delete(op.process);
      if (start === undefined || op.index < from || op.index >= to) continue;
      if (op.type === 'ok') slowest = Math.max(slowest, op.time - start);
    }
    const min =
      spec['min-ms'] === undefined
        ? undefined
        : parseTimeMs(text(spec['min-ms']), 'latency.min-ms');
    const max =
      spec['max-ms'] === undefined
        ? undefined
        : parseTimeMs(text(spec['max-ms']), 'latency.max-ms');
    const ok = (min === undefined || slowest >= min) && (max === undefined || slowest <= max);
    const window = `${spec.since === undefined ? '' : ` after ${spec.since}`}${spec.until === undefined ? '' : ` before ${spec.until}`}`;
    view.expect(
      ok,
      `${label}the slowest write reply${window} took ${slowest} ms (expected${min === undefined ? '' : ` >= ${min} ms`}${max === undefined ? '' : ` <= ${max} ms`})`,
    );
    return;
  }
  if (entry.lost !== undefined) {
    const spec = entry.lost;
    const pattern = spec.to === undefined ? undefined : new RegExp(text(spec.to));
    const lost = view.findings.filter(
      (f) =>
        f.checker === 'lost-writes' &&
        f.severity !== 'held' &&
        (pattern === undefined || pattern.test(f.text)),
    );
    const ok = bounds(lost.length, spec);
    view.expect(
      ok,
      `${label}${lost.length} acknowledged write(s) lost${spec.to === undefined ? '' : ` to ${spec.to}`} (expected ${wanted(spec) || 'any number'})`,
    );
  }
}

interface Bounds {
  readonly count?: string | number | undefined;
  readonly min?: string | number | undefined;
  readonly max?: string | number | undefined;
}

function markIndex(marks: ReadonlyMap<string, number>, name: string): number {
  const index = marks.get(name);
  if (index === undefined) throw new Error(`no mark step named ${name} ran`);
  return index;
}
