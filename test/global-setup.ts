import { ensureClientBuilt } from '../cli/start/client-build.ts';

/**
 * Builds the browser client once before any test starts a stack: two stacks starting
 * at once with a stale build would otherwise both rebuild into client/dist.
 */
export default async function setup(): Promise<void> {
  await ensureClientBuilt((msg) => console.log(`[global-setup] ${msg}`));
}
