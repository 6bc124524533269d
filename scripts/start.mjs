#!/usr/bin/env node
// `npm start`: the main job. Runs the flagship scenario in the simulator and prints its timeline and
// verdict; extra words go to `replisim run` (e.g. `npm start -- --seed 7`). `npm run server` starts a
// real replisim-server instead.
import { runCli } from '../scenarios/dist/cli.js';

// `npm start -- --seed 7` arrives without the `--`; `node scripts/start.mjs -- --seed 7` keeps it.
const words = process.argv.slice(2).filter((word) => word !== '--');
process.exitCode = await runCli(['run', ...words]);
