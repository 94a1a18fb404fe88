import { MeterRelay, ROOM_EVENTS, type LeasesMessage, type MetersBody, type WireError } from '../../protocol/index.ts';
import { latestOnly } from '../util/latest-only.ts';
import { sessionRoom, type RoomNamespace, type RoomSocket } from './room-namespace.ts';

/**
 * `leases` carries the whole set of held controls, so a burst of gesture starts and ends
 * is one message to every socket (docs/protocol.md G5): 50 people dragging faders
 * change the set hundreds of times a second, and each change went to every socket.
 */
const LEASES_GAP_MS = 50;

/** What the room tells every `/room` socket at once: held controls and meters. */
export class RoomBroadcast {
  private readonly leasesOut = latestOnly<LeasesMessage>((message) => this.namespace.emit(ROOM_EVENTS.leases, message), LEASES_GAP_MS);
  private readonly meterRelay = new MeterRelay(
    (frame) => this.namespace.volatile.emit(ROOM_EVENTS.meters, frame),
    (frame) => this.namespace.emit(ROOM_EVENTS.meters, frame),
  );

  constructor(private readonly namespace: RoomNamespace) {}

  leases(message: LeasesMessage): void {
    this.leasesOut(message);
  }

  /**
   * Levels change 20 times a second: a socket that cannot take one now skips it
   * (volatile); the whole merged frame goes reliably when Live returns and when the
   * stream pauses (MeterRelay).
   */
  meters(body: MetersBody): void {
    this.meterRelay.receive(body);
  }

  /** Live or the agent went away: its levels must not outlive the link that measured them. */
  metersGone(): void {
    this.meterRelay.reset();
  }

  /** A new socket starts from the whole frame, not silent meters and bar 1. */
  greet(socket: RoomSocket): void {
    const frame = this.meterRelay.state.full();
    if (frame) socket.emit(ROOM_EVENTS.meters, frame);
  }

  /** Closes every `/room` socket of a session (leave, kick, expiry, a new token). */
  disconnect(sessionId: string): void {
    this.namespace.in(sessionRoom(sessionId)).disconnectSockets(true);
  }

  /** The server is stopping: every page hears why (SERVER_STOPPING) before its socket closes. */
  stopping(error: WireError): void {
    this.namespace.emit(ROOM_EVENTS.stopping, error);
  }

  close(): void {
    this.leasesOut.close();
    this.meterRelay.close();
  }
}
