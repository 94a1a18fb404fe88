/**
 * Files carried between the room and the studio: resumable uploads (tus 1.0.0 over
 * HTTPS), the room's stored drops, the takes the set references, and the host's file
 * controls. Zod-free, so the page imports it; the messages and their schemas are in
 * file-schemas.ts.
 * docs/files.md explains it for musicians, docs/protocol.md ("Files") for clients.
 */

import { API_PREFIX } from './endpoints.ts';

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
  uploads: `${API_PREFIX}/files/uploads`,
  /** GET: FilesListing, the room's drops and this session's limits. */
  files: `${API_PREFIX}/files`,
  /** GET: TakesListing, the audio files the set references. */
  takes: `${API_PREFIX}/files/takes`,
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
