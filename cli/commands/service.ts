import type { Resolved } from '../options/resolve.ts';
export async function runServiceInstall(_r: Resolved, _raw: string[]): Promise<number> { return 0; }
export async function runServiceUninstall(_r: Resolved): Promise<number> { return 0; }
export async function runServiceStatus(_r: Resolved): Promise<number> { return 0; }
