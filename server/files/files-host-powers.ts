import { ROOM_EVENTS, type FileLimits, type HostCall, type HostFilesView, type WireError } from '../../protocol/index.ts';
import type { RoomSocket } from '../http/room-namespace.ts';
import type { Session } from '../sessions/session.ts';
import type { AuditSink } from '../audit/audit-sink.ts';
import { HostRefusal, onHostEvent } from '../host/host-handler.ts';
import type { FilesService } from './files-service.ts';

export interface FileHostPowersDeps {
  files: FilesService;
  audit: AuditSink;
  sessionOf(id: string): Session | undefined;
}

/**
 * The host's file controls on their /room socket, each checked and audited like every
 * host power: `host:files` (the stored files with who sent them, the limits, where files
 * land, free disk), `host:files_settings` (drops on/off, caps, quota, disk floor) and
 * `host:file_delete`.
 */
export function registerFileHostPowers(socket: RoomSocket, sessionId: string, deps: FileHostPowersDeps): void {
  const { files } = deps;
  const ctx = {
    current: () => deps.sessionOf(sessionId),
    onRefused: (session: Session | undefined, event: HostCall, error: WireError) => {
      deps.audit.record({ kind: 'host_refused', sessionId, name: session?.name, ip: session?.ip, action: event, ok: false, code: error.code, detail: error.message });
    },
  };
  const audit = (host: Session, action: string, detail: string, target?: string): void => {
    deps.audit.record({ kind: 'host', sessionId: host.id, name: host.name, ip: host.ip, action, target: target ?? null, ok: true, detail });
  };

  onHostEvent(socket, ROOM_EVENTS.hostFiles, ctx, async (host): Promise<HostFilesView> => {
    const dest = await files.destination(host, { fresh: false });
    return {
      files: files.roomFiles().map((f) => ({ ...files.view(f, host), senders: f.senders.map((s) => ({ ...s })), path: f.path })),
      limits: files.index.limits,
      folders: { drops: files.dropsDir, set: dest.where === 'set' ? dest.root : null },
      freeBytes: await files.freeBytes(),
      uploadsRunning: files.transfers.count('uploads'),
    };
  });

  onHostEvent(socket, ROOM_EVENTS.hostFilesSettings, ctx, (host, change): FileLimits => {
    const limits = files.index.setLimits(change);
    audit(host, ROOM_EVENTS.hostFilesSettings, Object.entries(change).map(([k, v]) => `${k}=${String(v)}`).join(' ') || 'no change');
    return limits;
  });

  onHostEvent(socket, ROOM_EVENTS.hostFileDelete, ctx, async (host, { fileId }) => {
    const referenced = async (file: string): Promise<boolean | null> => {
      const listing = await files.setFiles.current();
      return listing === null ? null : listing.clips.some((c) => c.path === file);
    };
    const result = await files.deleteFile(fileId, referenced);
    if ('code' in result) throw new HostRefusal(result);
    audit(host, ROOM_EVENTS.hostFileDelete, `deleted ${result.name} (${result.bytes} bytes)`, fileId);
    return { fileId };
  });
}
