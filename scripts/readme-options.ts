// Rewrites README.md's option table from cli/options/option-table.ts (npm run docs:options).
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { withOptionTable } from '../cli/options/readme-table.ts';

const readme = fileURLToPath(new URL('../README.md', import.meta.url));
writeFileSync(readme, withOptionTable(readFileSync(readme, 'utf8')));
