import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ACTIONS, AUDIT_KIND_NAMES, ERROR_CODES } from '../../protocol/index.ts';
import { PROTOCOL_DOC, renderProtocolDoc } from '../../scripts/protocol-docs.ts';

const doc = readFileSync(PROTOCOL_DOC, 'utf8');

describe('docs/protocol.md stays in step with protocol/', () => {
  it('documents every error code of the registry in the errors table', () => {
    for (const code of ERROR_CODES) expect(doc, `error ${code}`).toContain(`| \`${code}\` |`);
  });

  it('documents every audit entry kind of the registry', () => {
    for (const kind of AUDIT_KIND_NAMES) expect(doc, `audit kind ${kind}`).toContain(`| \`${kind}\` |`);
  });

  it('documents every action of the catalogue', () => {
    for (const action of ACTIONS) expect(doc, `action ${action.name}`).toContain(`| \`${action.name}\` |`);
  });

  it('has its generated tables up to date (run: npx tsx scripts/protocol-docs.ts)', () => {
    expect(renderProtocolDoc(doc)).toBe(doc);
  });
});
