import type { HostLoadMessage, LoadMessage, Role } from '../../protocol/index.ts';

/** What the room looks like right now, identified; only hosts ever see it whole. */
export interface LoadSnapshot {
  /** Sessions with an open socket. */
  online: Array<{ id: string; name: string; role: Role }>;
  inFlightBySession: ReadonlyMap<string, number>;
  inFlightTotal: number;
  queueDepth: number;
  agentLatencyMs: number | null;
  agentConnected: boolean;
  liveConnected: boolean;
  simulated: boolean;
  commandsPerMinute(sessionId: string): number;
  /** Wrong admin PINs against the room's budget; hosts only. */
  pinGuessing(): HostLoadMessage['pinGuessing'];
  /** File transfers moving now, by session (uploads and downloads). */
  transfersBySession: ReadonlyMap<string, { uploads: number; downloads: number }>;
}

/**
 * A member's view: counts only, and counts that leave the receiver out. Built field by
 * field from numbers and booleans, so no name, id, IP or target can ride along.
 */
export function anonymizedLoad(snapshot: LoadSnapshot, forSessionId: string): LoadMessage {
  const mine = snapshot.inFlightBySession.get(forSessionId) ?? 0;
  return {
    othersActive: snapshot.online.filter((s) => s.id !== forSessionId).length,
    othersTasksInFlight: Math.max(0, snapshot.inFlightTotal - mine),
    queueDepth: snapshot.queueDepth,
    agentLatencyMs: snapshot.agentLatencyMs === null ? null : Math.round(snapshot.agentLatencyMs),
    agentConnected: snapshot.agentConnected,
    liveConnected: snapshot.liveConnected,
    simulated: snapshot.simulated,
    othersUploads: othersTransfers(snapshot, forSessionId, 'uploads'),
    othersDownloads: othersTransfers(snapshot, forSessionId, 'downloads'),
  };
}

function othersTransfers(snapshot: LoadSnapshot, forSessionId: string, kind: 'uploads' | 'downloads'): number {
  let n = 0;
  for (const [id, t] of snapshot.transfersBySession) if (id !== forSessionId) n += t[kind];
  return n;
}

/** The host's view: the same counts plus who is doing what. */
export function identifiedLoad(snapshot: LoadSnapshot, forSessionId: string): HostLoadMessage {
  return {
    ...anonymizedLoad(snapshot, forSessionId),
    sessions: snapshot.online.map((s) => ({
      id: s.id, name: s.name, role: s.role,
      tasksInFlight: snapshot.inFlightBySession.get(s.id) ?? 0,
      commandsPerMinute: snapshot.commandsPerMinute(s.id),
      uploads: snapshot.transfersBySession.get(s.id)?.uploads ?? 0,
      downloads: snapshot.transfersBySession.get(s.id)?.downloads ?? 0,
    })),
    pinGuessing: snapshot.pinGuessing(),
  };
}
