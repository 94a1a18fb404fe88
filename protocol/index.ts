/**
 * The contract, for Node parts (server, host agent, cli, tests, bench): every module of
 * protocol/, runtime schemas included. The page imports protocol/browser.ts instead.
 */
export * from './version.ts';
export * from './errors.ts';
export * from './audit-kinds.ts';
export * from './error-schema.ts';
export * from './roles.ts';
export * from './role-schema.ts';
export * from './endpoints.ts';
export * from './command.ts';
export * from './set-doc.ts';
export * from './control.ts';
export * from './access.ts';
export * from './agent-messages.ts';
export * from './script-lines.ts';
export * from './script-auth.ts';
export * from './room-events.ts';
export * from './intent.ts';
export * from './volume-law.ts';
export * from './room-socket.ts';
export * from './page-readers.ts';
export * from './notes-awareness.ts';
export * from './notes-caret-schema.ts';
export * from './notes-limits.ts';
export * from './doc-close-codes.ts';
export * from './entity-readers.ts';
export * from './discovery.ts';
export * from './actions/action.ts';
export * from './actions/catalogue.ts';
export * from './health.ts';
export * from './gesture-flow.ts';
export * from './files.ts';
export * from './file-schemas.ts';
export * from './meter-frames.ts';
