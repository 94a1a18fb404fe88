import path from 'node:path';
import { PACKAGE_ROOT } from '../../server/util/package-root.ts';

/** True when this file runs compiled (an installed package), false under tsx (a checkout). */
const COMPILED = import.meta.url.endsWith('.js');

/**
 * How `node` runs one of our own TypeScript entry points as a child: the compiled file
 * in an installed package; in a checkout, the source through tsx, resolved from this
 * package and never from the folder Roomtone was started in (a global install run from
 * anywhere else restarted its agent forever for want of a tsx there).
 */
export function nodeEntryArgs(entry: 'host-agent/main'): string[] {
  if (COMPILED) return [path.join(PACKAGE_ROOT, 'dist', `${entry}.js`)];
  return ['--import', import.meta.resolve('tsx'), path.join(PACKAGE_ROOT, `${entry}.ts`)];
}
