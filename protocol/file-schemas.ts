import { z } from 'zod';
import { AUDIO_FORMATS, FILE_ID_PATTERN } from './files.ts';

/**
 * The messages of files.ts's routes and host powers, each with its schema: the server
 * builds them typed, Node clients parse them, and the page reads them with the zod-free
 * readers in page-readers.ts (held to these schemas by a test).
 */

/** A stored file's id (SHA-256 of its content, hex). */
export const FileIdSchema = z.string().regex(FILE_ID_PATTERN, 'a stored file id is 64 hex digits');

export const AudioFormatSchema = z.enum(AUDIO_FORMATS);

const GiB = 1024 ** 3;

/** What the host may change; every session's uploads are checked against it. */
export const FileLimitsSchema = z.object({
  /** Off: only hosts may send files. */
  dropsEnabled: z.boolean(),
  /** Largest single file, bytes. */
  maxFileBytes: z.number(),
  /** Bytes one session may send per calendar day (hosts are not counted). */
  dailyQuotaBytes: z.number(),
  /** Free space the studio disk must keep after a file is stored, bytes. */
  diskFloorBytes: z.number(),
});
export type FileLimits = z.infer<typeof FileLimitsSchema>;

/** A stored drop as every member sees it: who sent it stays with the host. */
export const StoredFileViewSchema = z.object({
  id: z.string(),
  /** The cleaned name it is stored under. */
  name: z.string(),
  format: AudioFormatSchema,
  codec: z.string(),
  bytes: z.number(),
  seconds: z.number(),
  sampleRate: z.number(),
  channels: z.number(),
  /** When it was first stored (epoch ms). */
  at: z.number(),
  /** This session sent it. */
  mine: z.boolean(),
  /** A host sent it (a teacher's handout). */
  fromHost: z.boolean(),
  /** Beside the saved set (`Samples/Imported/Roomtone/<who>/`) or in the drops folder. */
  where: z.enum(['set', 'drops']),
});
export type StoredFileView = z.infer<typeof StoredFileViewSchema>;

/** This session's standing: what it may still send today. */
export const FileAllowanceSchema = z.object({
  dropsEnabled: z.boolean(),
  maxFileBytes: z.number(),
  /** null for hosts (not counted). */
  quotaBytes: z.number().nullable(),
  usedTodayBytes: z.number(),
  /** Uploads of this session not finished yet (paused or running). */
  unfinished: z.number(),
});
export type FileAllowance = z.infer<typeof FileAllowanceSchema>;

/** `GET /api/files`. */
export const FilesListingSchema = z.object({ files: z.array(StoredFileViewSchema), allowance: FileAllowanceSchema });
export type FilesListing = z.infer<typeof FilesListingSchema>;

/** The answer to the upload's last PATCH (and to GET uploads/<id>). */
export const UploadAnswerSchema = z.object({
  file: StoredFileViewSchema,
  /** Identical content was already stored: nothing new was written. */
  duplicate: z.boolean(),
});
export type UploadAnswer = z.infer<typeof UploadAnswerSchema>;

/** An audio file the set references: a take to download. */
export const TakeViewSchema = z.object({
  id: z.string(),
  /** Track name as Live shows it. */
  track: z.string(),
  trackId: z.string().nullable(),
  /** The session clip's id in the `set` doc; null for an arrangement clip. */
  clipId: z.string().nullable(),
  /** The clip's name. */
  name: z.string(),
  /** The file's own name (no folders). */
  fileName: z.string(),
  /** Length of the file in seconds, where Live reports its sample rate (Live 12). */
  seconds: z.number().nullable(),
  /** Still being recorded: not downloadable until it stops. */
  recording: z.boolean(),
  /** The file is on the studio disk and may be downloaded. */
  available: z.boolean(),
  arrangement: z.boolean(),
  /** Set when the file is one of the room's drops. */
  fileId: z.string().nullable(),
});
export type TakeView = z.infer<typeof TakeViewSchema>;

/** `GET /api/files/takes`. */
export const TakesListingSchema = z.object({
  takes: z.array(TakeViewSchema),
  /** Live knows where the set is saved (so drops land beside it). */
  setSaved: z.boolean(),
  liveConnected: z.boolean(),
});
export type TakesListing = z.infer<typeof TakesListingSchema>;

/** The host's row of a stored file: who sent it, and where it is. */
export const HostFileRowSchema = StoredFileViewSchema.extend({
  senders: z.array(z.object({ sessionId: z.string(), name: z.string(), role: z.string(), at: z.number() })),
  path: z.string(),
});

/** `host:files`: the host's file console. */
export const HostFilesViewSchema = z.object({
  files: z.array(HostFileRowSchema),
  limits: FileLimitsSchema,
  folders: z.object({ drops: z.string(), set: z.string().nullable() }),
  freeBytes: z.number().nullable(),
  uploadsRunning: z.number(),
});
export type HostFilesView = z.infer<typeof HostFilesViewSchema>;

/** `host:files_settings`: any subset of the limits. */
export const HostFilesSettingsSchema = z.object({
  dropsEnabled: z.boolean().optional(),
  maxFileBytes: z.number().int().min(64 * 1024).max(64 * GiB).optional(),
  dailyQuotaBytes: z.number().int().min(0).max(1024 * GiB).optional(),
  diskFloorBytes: z.number().int().min(0).max(1024 * GiB).optional(),
}).strict();

/** `host:file_delete`. */
export const HostFileDeleteSchema = z.object({ fileId: FileIdSchema }).strict();

export const DeletedFileSchema = z.object({ fileId: z.string() });
