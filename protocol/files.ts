/**
 * Files carried between the room and the studio: resumable uploads (tus 1.0.0 over
 * HTTPS), the room's stored drops, the takes the set references, and the host's file
 * controls. Zod-free, so the page imports it; the schemas are in file-schemas.ts.
 * docs/files.md explains it for musicians, docs/protocol.md ("Files") for clients.
 */

/** The audio formats Roomtone stores, judged from the file's own bytes, never its name. */
export const AUDIO_FORMATS = ['wav', 'aiff', 'flac', 'mp3', 'ogg', 'm4a'] as const;
export type AudioFormat = (typeof AUDIO_FORMATS)[number];

/** A stored file's id is the SHA-256 of its content: identical content is stored once. */
export const FILE_ID_PATTERN = /^[0-9a-f]{64}$/;
/** A take's id names a file the set references, without saying where it lives. */
export const TAKE_ID_PATTERN = /^[0-9a-f]{32}$/;
/** An upload's id as the server makes it (128 random bits, hex). */
export const UPLOAD_ID_PATTERN = /^[0-9a-f]{32}$/;

export const FILE_ROUTES = {
  /** tus: POST creates; HEAD, PATCH and DELETE `/<uploadId>`; GET `/<uploadId>` answers UploadAnswer once stored. */
  uploads: '/api/files/uploads',
  /** GET: FilesListing, the room's drops and this session's limits. */
  files: '/api/files',
  /** GET: TakesListing, the audio files the set references. */
  takes: '/api/files/takes',
} as const;

export function fileDownloadPath(fileId: string): string {
  return `${FILE_ROUTES.files}/${fileId}/download`;
}

export function takeDownloadPath(takeId: string): string {
  return `${FILE_ROUTES.takes}/${takeId}/download`;
}

export function uploadPath(uploadId: string): string {
  return `${FILE_ROUTES.uploads}/${uploadId}`;
}

/** Upload-Metadata keys a client may send; anything else is dropped. */
export const UPLOAD_METADATA = {
  /** The file's name on the sender's device (cleaned before it names anything on disk). */
  filename: 'filename',
  /** The clip slot it is meant for, for the audit log; placing it is a separate command. */
  slot: 'slot',
} as const;

/** What the host may change; every session's uploads are checked against it. */
export interface FileLimits {
  /** Off: only hosts may send files. */
  dropsEnabled: boolean;
  /** Largest single file, bytes. */
  maxFileBytes: number;
  /** Bytes one session may send per calendar day (hosts are not counted). */
  dailyQuotaBytes: number;
  /** Free space the studio disk must keep after a file is stored, bytes. */
  diskFloorBytes: number;
}

/** A stored drop as every member sees it: who sent it stays with the host. */
export interface StoredFileView {
  id: string;
  /** The cleaned name it is stored under. */
  name: string;
  format: AudioFormat;
  codec: string;
  bytes: number;
  seconds: number;
  sampleRate: number;
  channels: number;
  /** When it was first stored (epoch ms). */
  at: number;
  /** This session sent it. */
  mine: boolean;
  /** A host sent it (a teacher's handout). */
  fromHost: boolean;
  /** Beside the saved set (`Samples/Imported/Roomtone/<who>/`) or in the drops folder. */
  where: 'set' | 'drops';
}

/** This session's standing: what it may still send today. */
export interface FileAllowance {
  dropsEnabled: boolean;
  maxFileBytes: number;
  /** null for hosts (not counted). */
  quotaBytes: number | null;
  usedTodayBytes: number;
  /** Uploads of this session not finished yet (paused or running). */
  unfinished: number;
}

export interface FilesListing {
  files: StoredFileView[];
  allowance: FileAllowance;
}

/** The answer to the upload's last PATCH (and to GET uploads/<id>). */
export interface UploadAnswer {
  file: StoredFileView;
  /** Identical content was already stored: nothing new was written. */
  duplicate: boolean;
}

/** An audio file the set references: a take to download. */
export interface TakeView {
  id: string;
  /** Track name as Live shows it. */
  track: string;
  trackId: string | null;
  /** The session clip's id in the `set` doc; null for an arrangement clip. */
  clipId: string | null;
  /** The clip's name. */
  name: string;
  /** The file's own name (no folders). */
  fileName: string;
  /** Length of the file in seconds, where Live reports its sample rate (Live 12). */
  seconds: number | null;
  /** Still being recorded: not downloadable until it stops. */
  recording: boolean;
  /** The file is on the studio disk and may be downloaded. */
  available: boolean;
  arrangement: boolean;
  /** Set when the file is one of the room's drops. */
  fileId: string | null;
}

export interface TakesListing {
  takes: TakeView[];
  /** Live knows where the set is saved (so drops land beside it). */
  setSaved: boolean;
  liveConnected: boolean;
}

/** The host's row of a stored file: who sent it, and where it is. */
export interface HostFileRow extends StoredFileView {
  senders: Array<{ sessionId: string; name: string; role: string; at: number }>;
  path: string;
}

/** `host:files`: the host's file console. */
export interface HostFilesView {
  files: HostFileRow[];
  limits: FileLimits;
  folders: { drops: string; set: string | null };
  freeBytes: number | null;
  uploadsRunning: number;
}
