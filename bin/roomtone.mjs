#!/usr/bin/env node
// The `roomtone` command: loads tsx and hands over to the TypeScript CLI, so the
// package runs from source without a build step.
import { register } from 'tsx/esm/api';

const COMMANDS = { start: '../cli/start.ts', discover: '../cli/discover.ts' };
const [name = 'start', ...rest] = process.argv.slice(2);
const entry = COMMANDS[name];
if (!entry) {
  process.stderr.write(`Usage: roomtone [${Object.keys(COMMANDS).join('|')}] [options]\n`);
  process.exit(2);
}
process.argv = [process.argv[0], new URL(entry, import.meta.url).pathname, ...rest];
register();
await import(new URL(entry, import.meta.url).href);
