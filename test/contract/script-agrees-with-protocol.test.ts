import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ACTIONS, ENTITY_KINDS, ERROR_CODES, PROTOCOL_VERSION, DEFAULT_SCRIPT_PORT, SCRIPT_LINE_LIMIT } from '../../protocol/index.ts';
import { ROOT } from '../../testkit/root.ts';

const PythonContractSchema = z.object({
  handlers: z.array(z.string()),
  specs: z.array(z.object({ name: z.string(), target: z.string(), mode: z.string(), prop: z.string().nullable() })),
  version: z.number(),
  errors: z.array(z.string()),
  kinds: z.array(z.string()),
  port: z.number(),
  limit: z.number(),
});

/** What the Python side declares, read by importing the real package next to the fake Live. */
function pythonContract(): z.infer<typeof PythonContractSchema> {
  const code = [
    'import json, sys',
    `sys.path.insert(0, ${JSON.stringify(path.join(ROOT, 'remote-script', 'sim'))})`,
    `sys.path.insert(0, ${JSON.stringify(path.join(ROOT, 'remote-script'))})`,
    'from Roomtone import protocol',
    'from Roomtone.actions import HANDLERS, SPECS',
    'specs = [{"name": s.name, "target": s.target, "mode": s.mode, "prop": s.prop} for s in SPECS.values()]',
    'print(json.dumps({"handlers": sorted(HANDLERS), "specs": specs, "version": protocol.PROTOCOL_VERSION, "errors": list(protocol.ERROR_CODES),',
    '  "kinds": list(protocol.ENTITY_KINDS), "port": protocol.DEFAULT_SCRIPT_PORT, "limit": protocol.SCRIPT_LINE_LIMIT}))',
  ].join('\n');
  return PythonContractSchema.parse(JSON.parse(execFileSync('python3', ['-c', code], { encoding: 'utf8' })));
}

describe('the Remote Script and protocol/ agree', () => {
  const py = pythonContract();

  it('implements every action of the catalogue', () => {
    const missing = ACTIONS.map((a) => a.name).filter((n) => !py.handlers.includes(n));
    expect(missing).toEqual([]);
  });

  it('implements no action the catalogue does not list', () => {
    const names = new Set<string>(ACTIONS.map((a) => a.name));
    expect(py.handlers.filter((n) => !names.has(n))).toEqual([]);
  });

  it('gives each action the catalogue’s target kind, mode and property', () => {
    const python = new Map(py.specs.map((s) => [s.name, s]));
    const disagreements = ACTIONS.flatMap((a) => {
      const s = python.get(a.name);
      const ours = { target: a.target, mode: a.mode, prop: 'prop' in a ? a.prop : null };
      const theirs = s ? { target: s.target, mode: s.mode, prop: s.prop } : null;
      return JSON.stringify(ours) === JSON.stringify(theirs) ? [] : [`${a.name}: catalogue ${JSON.stringify(ours)}, Remote Script ${JSON.stringify(theirs)}`];
    });
    expect(disagreements).toEqual([]);
  });

  it('speaks the same protocol version, line limit and default port', () => {
    expect(py.version).toBe(PROTOCOL_VERSION);
    expect(py.limit).toBe(SCRIPT_LINE_LIMIT);
    expect(py.port).toBe(DEFAULT_SCRIPT_PORT);
  });

  it('uses only registered error codes and entity kinds', () => {
    expect(py.errors.filter((c) => !(ERROR_CODES as string[]).includes(c))).toEqual([]);
    expect([...py.kinds].sort()).toEqual([...ENTITY_KINDS].sort());
  });
});
