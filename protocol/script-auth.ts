import { createHmac } from 'node:crypto';

/**
 * The agent's proof on the Remote Script's port (H9, docs/protocol.md): the script's
 * hello carries a fresh `nonce`; the agent's hello carries `proof`, HMAC-SHA256 of the
 * nonce under the secret both read from the file next to the script, in lowercase hex.
 * The Python side is remote-script/Roomtone/agent_auth.py. Node-only: not in the
 * protocol index the browser imports.
 */
export function scriptProof(secret: string, nonce: string): string {
  return createHmac('sha256', secret).update(nonce).digest('hex');
}

/** The file name of the secret next to the installed script. */
export const SCRIPT_SECRET_FILE = 'agent.secret';
