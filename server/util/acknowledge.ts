/**
 * A socket.io acknowledgement as a client sent it: the last argument of its event, if it
 * is a function. A client may send anything in its place, so it arrives unknown; one
 * that is not a function gets no answer through it.
 */
export function acknowledgement(ack: unknown): ((answer: unknown) => void) | null {
  if (typeof ack !== 'function') return null;
  return (answer) => { Reflect.apply(ack, undefined, [answer]); };
}
