#!/usr/bin/env node
import { main } from '../dist/bin/replisim.js';

process.exitCode = main(process.argv.slice(2));
