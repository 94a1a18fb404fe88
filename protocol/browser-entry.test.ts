import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const HERE = path.dirname(fileURLToPath(import.meta.url));

/**
 * The modules a file loads at run time: every import and re-export except those
 * written wholly as `import type` / `export type` (`import { type A }` still loads
 * the module under verbatimModuleSyntax).
 */
function runtimeImports(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022);
  const out: string[] = [];
  for (const node of source.statements) {
    if (ts.isImportDeclaration(node) && node.importClause?.phaseModifier !== ts.SyntaxKind.TypeKeyword && ts.isStringLiteral(node.moduleSpecifier)) out.push(node.moduleSpecifier.text);
    if (ts.isExportDeclaration(node) && !node.isTypeOnly && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) out.push(node.moduleSpecifier.text);
  }
  return out;
}

function loadedBy(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string): void => {
    if (files.has(file)) return;
    files.add(file);
    for (const spec of runtimeImports(file)) {
      if (spec.startsWith('.')) visit(path.resolve(path.dirname(file), spec));
      else packages.add(spec);
    }
  };
  visit(entry);
  return { files, packages };
}

describe('protocol/browser.ts, the page’s entry', () => {
  it('loads no package at run time (zod stays out of the page)', () => {
    const { files, packages } = loadedBy(path.join(HERE, 'browser.ts'));
    expect([...packages]).toEqual([]);
    for (const file of files) expect(path.relative(HERE, file).startsWith('..'), file).toBe(false);
  });

  it('is what the client imports of protocol/', async () => {
    const { readdirSync } = await import('node:fs');
    const clientSrc = path.join(HERE, '..', 'client', 'src');
    const offenders: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (entry.name.endsWith('.ts')) {
          for (const spec of runtimeImports(full)) {
            const resolved = spec.startsWith('.') ? path.resolve(dir, spec) : spec;
            if (resolved.startsWith(HERE + path.sep) && resolved !== path.join(HERE, 'browser.ts')) offenders.push(`${path.relative(clientSrc, full)} → ${spec}`);
          }
        }
      }
    };
    walk(clientSrc);
    expect(offenders).toEqual([]);
  });
});
