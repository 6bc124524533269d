#!/usr/bin/env node
// Installed as `replisim-server`: runs the compiled entry point (packages/server/dist/bin).
import { main } from '../dist/bin/replisim-server.js';

main(process.argv.slice(2));
