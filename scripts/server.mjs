#!/usr/bin/env node
// `npm run server`: runs replisim-server in the foreground on 127.0.0.1:6379, or the next free port if
// 6379 is taken (a redis-server may already be running), and prints how to connect to it.
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../packages/server/dist/bin/replisim-server.js';

const PORT_FIRST = 6379;
const PORTS_TRIED_MAX = 100;

function isFree(port) {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen({ host: '127.0.0.1', port, exclusive: true }, () =>
      probe.close(() => resolve(true)),
    );
  });
}

let port = PORT_FIRST;
while (!(await isFree(port))) {
  port++;
  if (port >= PORT_FIRST + PORTS_TRIED_MAX) {
    process.stderr.write(`no free port in ${PORT_FIRST}-${port}\n`);
    process.exit(1);
  }
}
// The dump goes to a folder of its own, never the repository root (a dump.rdb left there by a
// Ctrl-C would be loaded by the next test that starts a node in the working directory); --dir wins.
const dir = join(tmpdir(), `replisim-server-${port}`);
mkdirSync(dir, { recursive: true });
main(['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, ...process.argv.slice(2)], {
  banner: (bound) =>
    [
      '',
      `replisim-server is listening on 127.0.0.1:${bound}. Try it:`,
      `  redis-cli -p ${bound} set greeting hello`,
      `  redis-cli -p ${bound} get greeting`,
      `  redis-benchmark -p ${bound} -q -t set,get -n 100000`,
      `Snapshots (dump.rdb) go to ${dir} (--dir DIR to choose).`,
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
});
