import type { Resolved } from '../options/resolve.ts';
export async function runDoctor(_r: Resolved): Promise<number> { return 0; }
