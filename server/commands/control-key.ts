import type { Command } from '../../protocol/index.ts';

/**
 * The identity of one control in Live: action + target + args.index (a send or a macro
 * has several controls on one entity). Leases and coalescing both key on it.
 */
export function controlKey(command: Pick<Command, 'action' | 'target' | 'args'>): string {
  const index = typeof command.args.index === 'number' ? String(command.args.index) : '';
  return `${command.action}|${command.target ?? 'song'}|${index}`;
}
