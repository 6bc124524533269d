#!/usr/bin/env node
// The `replisim` command (linked into node_modules/.bin by npm install).
import { runCli } from '../dist/cli.js';

process.stdout.on('error', (error) => {
  // `replisim ... | head` closes the pipe early: end quietly.
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});
process.exitCode = await runCli(process.argv.slice(2));
