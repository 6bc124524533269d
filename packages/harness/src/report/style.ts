/** The report's CSS, inlined into report.html (page.ts). Plain, print-friendly, no web fonts. */
export const STYLE: string = `
body { font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0 16px 48px; color: #1d2330; background: #fff; }
h1 { font-size: 20px; margin: 14px 0 4px; } h2 { font-size: 16px; margin: 18px 0 4px; } h3 { font-size: 14px; margin: 10px 0 4px; }
code { font: 12px ui-monospace, Menlo, Consolas, monospace; background: #f2f4f7; padding: 1px 4px; border-radius: 3px; }
.meta { margin: 2px 0; color: #444; } .small { font-size: 12px; color: #666; font-weight: normal; }
.verdict { font-size: 14px; padding: 2px 8px; border-radius: 4px; color: #fff; vertical-align: middle; }
.verdict-held { background: #2e7d32; } .verdict-violated { background: #c62828; } .verdict-undecided { background: #ef6c00; }
.undecided { color: #ef6c00; font-weight: bold; }
.toolbar { position: sticky; top: 0; z-index: 2; background: #fff; padding: 6px 0; border-bottom: 1px solid #ddd; }
.toolbar button { margin-right: 6px; } #zoom-level { margin: 0 12px; font-variant-numeric: tabular-nums; } .hint { color: #777; font-size: 12px; }
svg.panel { width: 100%; height: auto; display: block; border: 1px solid #e3e6eb; background: #fcfcfd; user-select: none; cursor: grab; }
.lane-label { font-weight: 600; font-size: 13px; fill: #1d2330; } .client-label { font-weight: normal; font-size: 11px; fill: #555; }
.lane-line { stroke: #d5d9e0; } .client-line { stroke: #eceef2; }
.tick { stroke: #eef0f3; } .tick-label { font-size: 11px; fill: #888; } .grid { stroke: #eef0f3; } .y-tick { font-size: 11px; fill: #888; text-anchor: end; }
.up { fill: #cfd6df; } .role { fill-opacity: 0.85; } .role-replica { fill-opacity: 0.45; }
.role-text { font-size: 11px; fill: #fff; font-weight: 600; paint-order: stroke; stroke: rgba(0,0,0,0.35); stroke-width: 2px; }
.fault { fill: #d32f2f; fill-opacity: 0.22; stroke: #d32f2f; stroke-dasharray: 3 2; }
.fault-pause { fill: #6d4c41; } .fault-text { font-size: 11px; fill: #b71c1c; } .fault-instant { stroke: #d32f2f; stroke-width: 2; }
.fault-bg { fill: #d32f2f; fill-opacity: 0.07; }
.link-down { stroke: #c62828; } rect.link-down { fill: #c62828; stroke: none; fill-opacity: 0.8; } rect.link-sync { fill: #ff9800; }
.bgsave { fill: #ff9800; fill-opacity: 0.8; } .snapshot-point { stroke: #e65100; stroke-width: 2; }
.glyph { font-size: 16px; font-weight: bold; } .mark-bad { fill: #c62828; } .mark-good { fill: #2e7d32; } .mark-promo { fill: #6a1b9a; } .mark-info { fill: #455a64; font-size: 13px; }
.small, text.small { font-size: 11px; fill: #555; }
.psync-arrow { stroke: #607d8b; stroke-width: 1.5; stroke-dasharray: 4 2; } .head-psync { fill: #607d8b; }
.sync-arrow { stroke-width: 2.5; } .sync-arrow-fullresync { stroke: #c62828; } .sync-arrow-continue { stroke: #2e7d32; }
.head-fullresync { fill: #c62828; } .head-continue { fill: #2e7d32; }
.hit { stroke: transparent; stroke-width: 12; }
.sync-label { font-size: 12px; font-weight: 700; paint-order: stroke; stroke: #fff; stroke-width: 3px; }
.sync-label-fullresync { fill: #c62828; } .sync-label-continue { fill: #2e7d32; }
.refused { font-size: 11px; fill: #c62828; font-style: italic; }
.keepalive { stroke: #90a4ae; stroke-width: 2; stroke-dasharray: 1 4; }
.transfer { fill: #c62828; fill-opacity: 0.35; stroke: #c62828; stroke-width: 0.5; } .transfer-label { font-size: 11px; fill: #b71c1c; font-weight: 600; paint-order: stroke; stroke: #fff; stroke-width: 3px; }
.buffered { fill: #ffb300; }
.stream { fill: #1976d2; fill-opacity: 0.25; } .ack { stroke: #0d47a1; stroke-width: 1; } .stream-label { font-size: 11px; fill: #0d47a1; }
.link-down { stroke: #c62828; stroke-width: 2.5; }
.attempt { fill: none; stroke: #90a4ae; }
.op { fill-opacity: 0.8; } .op-ok { fill: #43a047; } .op-fail { fill: #e53935; } .op-info { fill: #fb8c00; }
.op-band { fill: #43a047; } .op-band-bad { fill: #fb8c00; } .op-arrow { stroke: #9e9e9e; stroke-width: 0.8; }
.lost { fill: #6d4c41; stroke: #fff; stroke-width: 1; } .lost.lost-bad { fill: #c62828; }
.lost-link { stroke: #6d4c41; stroke-width: 1; stroke-dasharray: 2 3; } .lost-link.lost-bad { stroke: #c62828; }
.backlog { fill: #f9a825; fill-opacity: 0.22; stroke: #f9a825; stroke-opacity: 0.5; stroke-width: 0.5; }
.offset-line { fill: none; stroke-width: 2; }
.sync-dot-fullresync { fill: #c62828; } .sync-dot-continue { fill: #2e7d32; }
.psync-lost { stroke: #6a1b9a; stroke-width: 1.5; stroke-dasharray: 5 3; } .psync-lost-label { font-size: 12px; fill: #6a1b9a; font-weight: 600; paint-order: stroke; stroke: #fff; stroke-width: 3px; }
.legend { font-size: 12px; font-weight: 600; } .legend-backlog { fill: #f9a825; }
.lane-line, .tick, .grid, .tick-label, g.label, .axis { pointer-events: none; }
[data-info] { cursor: pointer; } .selected, .selected * { stroke: #000 !important; stroke-width: 2.5; }
#details { position: fixed; right: 16px; bottom: 16px; z-index: 3; max-width: 560px; white-space: pre-wrap; background: #fffde7; border: 1px solid #e0d98c; border-radius: 4px; box-shadow: 0 2px 8px rgba(0,0,0,0.15); padding: 8px 10px; font: 12px/1.45 ui-monospace, Menlo, Consolas, monospace; display: none; }
#details.shown { display: block; }
ul.verdicts { list-style: none; padding: 0; margin: 4px 0; } ul.verdicts li { padding: 2px 0; }
.pass b, .sev-held b { color: #2e7d32; } .fail b, .sev-violation b { color: #c62828; } .sev-undecided b { color: #ef6c00; } .sev-permitted b { color: #6d4c41; }
table { border-collapse: collapse; font-size: 12px; margin: 4px 0; } td, th { border-bottom: 1px solid #eceef2; padding: 3px 8px; text-align: left; vertical-align: top; }
tr[data-goto], li[data-goto] { cursor: pointer; } tr[data-goto]:hover, li[data-goto]:hover { background: #f1f6fe; }
tr.violation td { color: #c62828; } .chip { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 4px; }
.two { display: grid; grid-template-columns: minmax(280px, 1fr) 2fr; gap: 24px; }
.legend-row { font-size: 12px; color: #444; margin: 4px 0 0; } .key { display: inline-block; width: 22px; height: 8px; margin: 0 4px 0 12px; vertical-align: middle; }
.key-psync { border-top: 2px dashed #607d8b; height: 0; } .key-fullresync { background: #c62828; height: 3px; } .key-continue { background: #2e7d32; height: 3px; }
.key-keepalive { border-top: 2px dotted #90a4ae; height: 0; } .key-transfer { background: rgba(198,40,40,0.35); } .key-buffered { background: #ffb300; height: 5px; }
.key-stream { background: rgba(25,118,210,0.25); } .key-glyph { color: #c62828; font-weight: bold; margin: 0 4px 0 12px; }
.key-op-ok { background: #43a047; width: 8px; margin-right: 1px; } .key-op-fail { background: #e53935; width: 8px; margin: 0 1px; } .key-op-info { background: #fb8c00; width: 8px; margin: 0 4px 0 1px; }
footer { margin-top: 24px; color: #888; font-size: 12px; }
`;
