#!/usr/bin/env node
// The `roomtone` command. An installed package runs the JavaScript compiled before
// packing (dist/); a checkout, which has the TypeScript sources, runs them through tsx,
// loaded from this package rather than from whatever folder the command runs in.
import { existsSync } from 'node:fs';

const source = new URL('../cli/main.ts', import.meta.url);
let main;
if (existsSync(source)) {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import(source.href));
} else {
  ({ main } = await import(new URL('../dist/cli/main.js', import.meta.url).href));
}

const outcome = await main(process.argv.slice(2));
// A started room runs until a signal stops it; any other command ends here, once its
// output has been written (process.exit would cut a piped stdout short).
if (outcome !== 'running') process.stdout.write('', () => process.exit(outcome));
