import { z } from 'zod';
import { FILE_ID_PATTERN } from './files.ts';

/** A stored file's id (SHA-256 of its content, hex). */
export const FileIdSchema = z.string().regex(FILE_ID_PATTERN, 'a stored file id is 64 hex digits');

const GiB = 1024 ** 3;

/** `host:files_settings`: any subset of the limits. */
export const HostFilesSettingsSchema = z.object({
  dropsEnabled: z.boolean().optional(),
  maxFileBytes: z.number().int().min(64 * 1024).max(64 * GiB).optional(),
  dailyQuotaBytes: z.number().int().min(0).max(1024 * GiB).optional(),
  diskFloorBytes: z.number().int().min(0).max(1024 * GiB).optional(),
}).strict();

/** `host:file_delete`. */
export const HostFileDeleteSchema = z.object({ fileId: FileIdSchema }).strict();
