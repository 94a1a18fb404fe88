import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { ACTIONS, AUDIT_KINDS, AUDIT_KIND_NAMES, ERRORS, ERROR_CODES } from '../protocol/index.ts';

export const PROTOCOL_DOC = fileURLToPath(new URL('../docs/protocol.md', import.meta.url));

function argsOf(schema: z.ZodType): string {
  const json = z.toJSONSchema(schema, { unrepresentable: 'any', io: 'input' }) as { properties?: Record<string, Prop>; required?: string[] };
  const props = json.properties ?? {};
  const names = Object.keys(props);
  if (names.length === 0) return '—';
  return names.map((name) => {
    const optional = json.required?.includes(name) ? '' : '?';
    return `\`${name}${optional}\`: ${describeProp(props[name]!)}`;
  }).join(', ');
}

interface Prop { type?: string | string[]; enum?: unknown[]; const?: unknown; anyOf?: Prop[]; minimum?: number; maximum?: number; exclusiveMinimum?: number; items?: Prop }

function describeProp(p: Prop): string {
  if (p.enum) return p.enum.map((v) => JSON.stringify(v)).join(' \\| ');
  if (p.anyOf) return p.anyOf.map(describeProp).join(' \\| ');
  if (p.const !== undefined) return JSON.stringify(p.const);
  const type = Array.isArray(p.type) ? p.type.join(' \\| ') : p.type ?? 'value';
  if (type === 'array') return `array of ${p.items ? describeProp(p.items) : 'values'}`;
  const low = p.minimum !== undefined ? String(p.minimum) : p.exclusiveMinimum !== undefined ? `>${p.exclusiveMinimum}` : '';
  const high = p.maximum !== undefined ? String(p.maximum) : '';
  return low || high ? `${type} ${low}..${high}` : type;
}

export function actionsTable(): string {
  const rows = ACTIONS.map((a) => `| \`${a.name}\` | ${a.target} | ${argsOf(a.args)} | ${a.minRole} | ${a.mode} | ${a.summary} |`);
  return ['| action | target | args | least role | mode | what it does |', '|---|---|---|---|---|---|', ...rows].join('\n');
}

export function errorsTable(): string {
  const rows = ERROR_CODES.map((code) => `| \`${code}\` | ${ERRORS[code].status} | ${ERRORS[code].summary} |`);
  return ['| code | HTTP status | meaning |', '|---|---|---|', ...rows].join('\n');
}

export function auditKindsTable(): string {
  const rows = AUDIT_KIND_NAMES.map((kind) => `| \`${kind}\` | ${AUDIT_KINDS[kind]} |`);
  return ['| kind | what happened |', '|---|---|', ...rows].join('\n');
}

export function renderProtocolDoc(text: string): string {
  const put = (doc: string, name: string, body: string): string =>
    doc.replace(new RegExp(`<!-- ${name}:begin -->[\\s\\S]*?<!-- ${name}:end -->`), `<!-- ${name}:begin -->\n${body}\n<!-- ${name}:end -->`);
  return put(put(put(text, 'actions', actionsTable()), 'errors', errorsTable()), 'audit-kinds', auditKindsTable());
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(PROTOCOL_DOC, renderProtocolDoc(readFileSync(PROTOCOL_DOC, 'utf8')));
  console.log('docs/protocol.md: actions, errors and audit kinds tables regenerated');
}
