/**
 * The report's model and page from hand-written histories, without a browser: the sync sessions
 * derived from Redis's log events (a full sync with its snapshot size, a partial resync, an attempt
 * with no answer), the moment a partial resync stops being possible, fault spans and heals, client
 * lanes collapsing into buckets, and a page that is self-contained and escapes what it quotes.
 *
 * Method: a History on a settable clock, filled as a run of two nodes would fill it.
 */
import { describe, expect, it } from 'vitest';
import { History } from '../history/history.js';
import type { EventData, NodeEventKind } from '../history/op.js';
import { buildClientLanes, OPS_DRAWN_MAX } from './client-ops.js';
import { buildRunModel } from './model.js';
import { buildOffsetSeries } from './offsets.js';
import { renderReport } from './page.js';
import type { ReportSummary } from './render-tables.js';
import { buildSyncSessions } from './syncs.js';

const R = '10.0.0.2:6379';
const ID = 'a'.repeat(40);

function recorder() {
  let now = 0;
  const history = new History(() => now);
  const at = (t: number, node: string, kind: NodeEventKind, text: string, data?: EventData) => {
    now = t;
    return history.event(node, kind, text, data);
  };
  return { history, at, setNow: (t: number) => (now = t) };
}

/** A master and a replica: a full sync, a cut, a partial resync, a long cut, a full resync. */
function twoNodeRun() {
  const { history, at } = recorder();
  at(0, 'm', 'boot', 'boots', { address: '10.0.0.1:6379' });
  at(0, 'r', 'boot', 'boots', { address: R });
  const masterSample = (t: number, offset: number, first: number) =>
    at(t, 'm', 'offset', 'o', {
      role: 'master',
      replid: ID,
      offset,
      backlogFirst: first,
      backlogHistlen: offset - first + 1,
      'ack:r': offset,
    });
  const replicaSample = (t: number, offset: number, link: string) =>
    at(t, 'r', 'offset', 'o', { role: 'replica', replid: ID, offset, master: 'm', link });
  masterSample(250, 10, 1);
  at(300, 'r', 'link-up', 'MASTER <-> REPLICA sync started');
  at(310, 'm', 'sync-request', 'Full resync requested by replica', { replica: R });
  at(1000, 'm', 'bgsave-start', 'Starting BGSAVE for SYNC', { by: 'sync', offset: 10 });
  at(1005, 'r', 'fullresync', 'Full resync from master', { replid: ID, offset: 10 });
  at(1006, 'r', 'transfer-start', 'receiving streamed RDB', { streamed: true });
  at(1010, 'r', 'rename', 'rename', {
    path: '/data/temp.rdb',
    target: '/data/dump.rdb',
    bytes: 2048,
  });
  at(1012, 'r', 'transfer-end', 'Finished with success');
  at(1014, 'm', 'bgsave-end', 'Background RDB transfer terminated with success', { ok: true });
  replicaSample(1250, 10, 'up');
  masterSample(2000, 100, 1);
  masterSample(3000, 200, 2);
  replicaSample(3000, 200, 'up');
  at(3100, 'cluster', 'fault', 'partition m | r', { fault: 'partition', a: 'm', b: 'r' });
  at(4000, 'r', 'link-down', 'MASTER timeout: no data nor PING received...');
  replicaSample(4250, 200, 'down');
  at(4500, 'r', 'link-up', 'MASTER <-> REPLICA sync started'); // no answer: still cut
  at(5000, 'cluster', 'heal', 'healed: partition m | r');
  at(5100, 'r', 'link-up', 'MASTER <-> REPLICA sync started');
  at(5101, 'r', 'psync', 'Trying a partial resynchronization', { replid: ID, offset: 201 });
  at(5102, 'm', 'sync-request', 'Replica asks for synchronization', { replica: R });
  at(5102, 'm', 'continue', 'Partial resynchronization request accepted', {
    replica: R,
    bytes: 300,
    from: 201,
  });
  at(5103, 'r', 'continue', 'Successful partial resynchronization with master.');
  masterSample(6000, 600, 100);
  replicaSample(6000, 600, 'up');
  at(6100, 'm', 'link-down', 'Connection with replica lost.', { replica: R });
  at(6100, 'r', 'link-down', 'Connection with master lost.');
  masterSample(7000, 900, 700); // the window passed offset 601: no partial resync any more
  at(8000, 'r', 'link-up', 'MASTER <-> REPLICA sync started');
  at(8001, 'r', 'psync', 'Trying a partial resynchronization', { replid: ID, offset: 601 });
  at(8002, 'm', 'sync-request', 'Replica asks for synchronization', { replica: R });
  // Redis names no replica when it refuses for a replid or offset mismatch.
  at(
    8002,
    'm',
    'psync-refused',
    'Partial resynchronization not accepted: Replication ID mismatch',
    {
      reason: 'Replication ID mismatch',
    },
  );
  at(8500, 'm', 'bgsave-start', 'Starting BGSAVE for SYNC', { by: 'sync', offset: 950 });
  at(8505, 'r', 'fullresync', 'Full resync from master', { replid: ID, offset: 950 });
  at(8506, 'r', 'transfer-start', 'receiving 4096 bytes', { bytes: 4096 });
  at(8510, 'r', 'transfer-end', 'Finished with success');
  at(9000, 'narrator', 'note', 'a <script>alert(1)</script> & "quotes"');
  return history;
}

const SUMMARY: ReportSummary = {
  scenario: 'two-nodes',
  seed: 7,
  params: { keys: '10' },
  verdict: 'held',
  exitCode: 0,
  expectations: [{ ok: true, line: 'the replica <resynced>' }],
  findings: [{ checker: 'convergence', severity: 'held', phase: 'liveness', text: 'converged' }],
  replay: 'npx replisim run two-nodes --seed 7',
  durationMs: 10_000,
};

describe('report model', () => {
  const history = twoNodeRun();
  const model = buildRunModel(history.events, 10_000);
  const sessions = buildSyncSessions(history.events, model);

  it('finds every sync attempt with its request, answer, snapshot and stream', () => {
    expect(model.lanes).toEqual(['m', 'r']);
    expect(sessions.map((s) => s.reply?.kind ?? 'none')).toEqual([
      'fullresync',
      'none',
      'continue',
      'fullresync',
    ]);
    const [first, unanswered, partial, full] = sessions;
    expect(first?.master).toBe('m');
    expect(first?.request).toContain('PSYNC ? -1');
    expect(first?.reply?.tSend).toBe(1000); // sent when the BGSAVE for it started
    expect(first?.transfer).toMatchObject({ bytes: 2048, diskless: true, t0: 1006, t1: 1012 });
    expect(first?.stream).toMatchObject({ t0: 1012, t1: 4000, offset0: 10, offset1: 200 });
    expect(first?.stream?.acks).toEqual([2000, 3000]);
    expect(unanswered?.received).toBeUndefined();
    expect(partial?.request).toBe(`PSYNC ${ID} 201`);
    expect(partial?.received?.kind).toBe('sync-request');
    expect(partial?.reply).toMatchObject({ tSend: 5102, tRecv: 5103, backlogBytes: 300 });
    expect(partial?.reply?.masterEvent?.kind).toBe('continue');
    expect(partial?.stream?.end?.text).toBe('Connection with replica lost.');
    expect(full?.refused?.data?.['reason']).toBe('Replication ID mismatch');
    expect(full?.transfer?.bytes).toBe(4096);
    expect(full?.stream?.t1).toBe(10_000);
  });

  it('marks when the backlog stopped holding a disconnected replica’s next offset', () => {
    const series = buildOffsetSeries(history.events, model.lanes, model.up, sessions);
    expect(series.psyncLost).toEqual([{ replica: 'r', t: 7000, wanted: 601, first: 700 }]);
    expect(series.backlog.at(-1)).toMatchObject({ first: 700, end: 901 });
    expect(series.offsetMax).toBe(950);
  });

  it('pairs a fault with its heal and draws BGSAVEs with their snapshot points', () => {
    expect(model.faults).toHaveLength(1);
    expect(model.faults[0]).toMatchObject({ t0: 3100, t1: 5000, nodes: ['m', 'r'] });
    expect(model.bgsaves.map((b) => [b.t0, b.t1, b.offset])).toEqual([
      [1000, 1014, 10],
      [8500, 10_000, 950],
    ]);
    expect(model.links.map((l) => [l.state, l.t0, l.t1])).toEqual([['down', 4250, 6000]]);
  });
});

describe('client lanes', () => {
  it('collapse into buckets past OPS_DRAWN_MAX but keep failed operations one by one', () => {
    const { history, setNow } = recorder();
    for (let i = 0; i < OPS_DRAWN_MAX + 50; i++) {
      setNow(i * 10);
      history.op({ type: 'invoke', f: 'write', process: 1, node: 'm', key: 'k' });
      setNow(i * 10 + 2);
      history.op({ type: i === 7 ? 'fail' : 'ok', f: 'write', process: 1, node: 'm' });
    }
    setNow(5);
    history.op({ type: 'invoke', f: 'read', process: 2, node: 'm', key: 'k' });
    const { lanes } = buildClientLanes(history.ops, 4000);
    const [busy, quiet] = lanes;
    expect(busy?.buckets?.reduce((n, b) => n + b.ok + b.fail + b.info, 0)).toBe(OPS_DRAWN_MAX + 50);
    expect(busy?.drawn.map((op) => op.type)).toEqual(['fail']);
    expect(quiet?.buckets).toBeUndefined();
    expect(quiet?.counts.open).toBe(1);
  });
});

describe('renderReport', () => {
  const history = twoNodeRun();
  const html = renderReport({ ops: history.ops, events: history.events, summary: SUMMARY });

  it('is one self-contained page: no URL, no external script, style or font', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/<script[^>]+src=|<link\b|@import|url\((?!#)/);
  });

  it('draws one answer arrow per answered sync and a lane per node', () => {
    expect(html.match(/class="ev sync sync-fullresync"/g)).toHaveLength(2);
    expect(html.match(/class="ev sync sync-continue"/g)).toHaveLength(1);
    expect(html.match(/<text[^>]*class="lane-label"[^>]*>/g)?.length).toBe(2 * 2);
    expect(html).toContain('RDB 2.0 KB');
    expect(html).toContain('partial resync no longer possible');
    expect(html).toContain('PSYNC refused: replid mismatch');
  });

  it('escapes what it quotes from the run', () => {
    expect(html).not.toContain('<script>alert(1)');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;');
    expect(html).toContain('the replica &lt;resynced&gt;');
  });

  it('lists each lost write with its destroyer, grouped by event, and marks it on its client lane', () => {
    const { history, at, setNow } = recorder();
    at(0, 'm', 'boot', 'boots', { address: '10.0.0.1:6379' });
    setNow(10);
    const write = history.op({ type: 'invoke', f: 'write', process: 1, node: 'm', key: 'k' });
    setNow(12);
    history.op({ type: 'ok', f: 'write', process: 1, node: 'm' });
    const crash = at(50, 'm', 'crash', 'power loss');
    const lost = (severity: 'permitted' | 'violation', text: string) => ({
      checker: 'lost-writes',
      severity,
      phase: 'safety' as const,
      text,
      ops: [write.index],
      events: [crash.index],
    });
    const page = renderReport({
      ops: history.ops,
      events: history.events,
      summary: {
        ...SUMMARY,
        findings: [lost('permitted', 'SET k a was lost'), lost('violation', 'SET k b was lost')],
      },
    });
    expect(page).toContain(
      '2 lost to the crash of m at 0.05 s: <b class="fail">1 NOT permitted</b>',
    );
    expect(page.match(/class="lost lost-bad"/g)).toHaveLength(1);
    expect(page.match(/class="lost"/g)).toHaveLength(1);
    expect(page).toContain('<td><b>NOT permitted</b></td>');
  });

  it('is a pure function of its input', () => {
    expect(renderReport({ ops: history.ops, events: history.events, summary: SUMMARY })).toBe(html);
  });
});
