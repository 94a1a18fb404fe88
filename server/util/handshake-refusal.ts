import type { WireError } from '../../protocol/index.ts';

/**
 * A socket.io middleware refusal: socket.io hands `data` to the client's `connect_error`,
 * so the refusal crosses the wire as `{ code, message, ... }` like every other error.
 */
export class HandshakeRefusal extends Error {
  constructor(readonly data: WireError) {
    super(data.message);
  }
}
