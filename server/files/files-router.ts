import express, { type NextFunction, type Request, type Response } from 'express';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import {
  FILE_ID_PATTERN, TAKE_ID_PATTERN, UPLOAD_ID_PATTERN, roleAllows, wireError,
  type FilesListing, type TakeView, type TakesListing, type WireError, type UploadAnswer,
} from '../../protocol/index.ts';
import type { Session } from '../sessions/session.ts';
import type { AuditSink } from '../audit/audit-sink.ts';
import type { RequestAuth } from '../http/request-auth.ts';
import { requireSession } from '../http/session-routes.ts';
import { sendError } from '../http/send-error.ts';
import { normaliseIp } from '../util/remote-ip.ts';
import { openServable, sendServable } from './file-download.ts';
import { takeIdOf } from './set-files.ts';
import type { FilesService } from './files-service.ts';

export interface FilesRouterDeps {
  auth: RequestAuth;
  audit: AuditSink;
}

/**
 * Everything under /api/files, owned by this router alone (its own 404 at the end):
 *
 *   GET  /api/files                         FilesListing
 *   GET  /api/files/takes                   TakesListing
 *   GET  /api/files/takes/<take id>/download  a take, with Range
 *   GET  /api/files/<file id>/download      a stored drop, with Range
 *   POST /api/files/uploads                 tus: create (and first bytes)
 *   HEAD|PATCH|DELETE /api/files/uploads/<upload id>   tus
 *   GET  /api/files/uploads/<upload id>     UploadAnswer, once stored
 *
 * No route takes a path: ids are checked against their patterns, then looked up in
 * the room's own records (the stored drops, or what Live says the set references).
 */
export function filesRouter(files: FilesService, deps: FilesRouterDeps): express.Router {
  const router = express.Router();
  router.use(requireSession(deps.auth));
  const session = (res: Response): Session => res.locals.session;

  router.get('/', (_req, res) => {
    const s = session(res);
    const body: FilesListing = { files: files.roomFiles().map((f) => files.view(f, s)), allowance: files.allowance(s) };
    res.setHeader('Cache-Control', 'no-store');
    res.json(body);
  });

  router.get('/takes', async (_req, res, next) => {
    try {
      const listing = await files.setFiles.current();
      const body: TakesListing = { takes: listing ? await takesOf(files, listing.clips) : [], setSaved: Boolean(listing?.setPath), liveConnected: listing !== null };
      res.setHeader('Cache-Control', 'no-store');
      res.json(body);
    } catch (err) {
      next(err);
    }
  });

  router.get('/takes/:takeId/download', (req, res, next) => {
    void download(req, res, deps, files, 'take', async (takeId) => {
      if (!TAKE_ID_PATTERN.test(takeId)) return wireError('NOT_FOUND', 'no such take');
      const listing = await files.setFiles.current();
      if (!listing) return wireError('LIVE_OFFLINE', 'Live is not connected, so the set’s files cannot be looked up');
      const clip = listing.clips.find((c) => c.path && takeIdOf(c.path) === takeId);
      if (!clip) return wireError('NOT_FOUND', 'the set does not reference that take (any more)');
      if (clip.recording) return wireError('BUSY', 'that take is still being recorded; download it once it stops', { retryAfterMs: 2000 });
      return { file: clip.path, root: null };
    }).catch(next);
  });

  // tus owns POST, HEAD, PATCH, DELETE and OPTIONS here; GET of an upload is ours (below).
  router.all(['/uploads', '/uploads/:uploadId'], (req, res, next): void => {
    if (req.method === 'GET') return next();
    const uploadId = typeof req.params.uploadId === 'string' ? req.params.uploadId : undefined;
    const s = session(res);
    if (uploadId !== undefined && !UPLOAD_ID_PATTERN.test(uploadId)) return sendError(res, wireError('NOT_FOUND', 'no such upload'));
    if (req.method === 'POST' && uploadId !== undefined) return sendError(res, wireError('INVALID', 'create uploads at /api/files/uploads'));
    const end = req.method === 'PATCH' || req.method === 'POST' ? files.transfers.begin(s.id, 'uploads', uploadId ?? `new:${Math.random()}`) : null;
    if (end) res.once('close', end);
    files.uploads.handle(req, res, s).catch(next);
  });

  router.get('/uploads/:uploadId', async (req, res, next): Promise<void> => {
    try {
      const s = session(res);
      const uploadId = req.params.uploadId;
      if (!UPLOAD_ID_PATTERN.test(uploadId)) { sendError(res, wireError('NOT_FOUND', 'no such upload')); return; }
      const done = files.index.finished(uploadId);
      if (done && done.sessionId === s.id) {
        const entry = files.index.get(done.fileId);
        if (!entry) { sendError(res, wireError('NOT_FOUND', 'the file this upload became was deleted by the host')); return; }
        const answer: UploadAnswer = { file: files.view(entry, s), duplicate: done.duplicate };
        res.json(answer);
        return;
      }
      if (files.index.upload(uploadId)?.sessionId !== s.id) { sendError(res, wireError('NOT_FOUND', 'no such upload')); return; }
      if (files.uploads.isStoring(uploadId)) { sendError(res, wireError('BUSY', 'the upload is being stored; ask again in a moment', { retryAfterMs: 1000 })); return; }
      const answer = await files.uploads.storeComplete(uploadId, s);
      if ('code' in answer) { sendError(res, answer); return; }
      res.json(answer);
    } catch (err) {
      next(err);
    }
  });

  router.get('/:fileId/download', (req, res, next) => {
    void download(req, res, deps, files, 'drop', (fileId) => {
      const entry = FILE_ID_PATTERN.test(fileId) ? files.index.get(fileId) : undefined;
      if (!entry || !files.roomFiles().includes(entry)) return Promise.resolve(wireError('NOT_FOUND', 'no such stored file in this room'));
      return Promise.resolve({ file: entry.path, root: entry.root });
    }).catch(next);
  });

  router.use((_req: Request, res: Response) => sendError(res, wireError('NOT_FOUND', 'no such files route')));
  router.use((err: Error, _req: Request, res: Response, _next: NextFunction) => {
    if (res.headersSent) return res.destroy();
    sendError(res, wireError('INTERNAL', `the files service failed: ${err.message}`));
  });
  return router;
}

type Resolve = (id: string) => Promise<{ file: string; root: string | null } | WireError>;

/** One download: members only, resolved from the room's records, served by fd, audited either way. */
async function download(req: Request, res: Response, deps: FilesRouterDeps, files: FilesService, what: 'take' | 'drop', resolve: Resolve): Promise<void> {
  const s: Session = res.locals.session;
  const id = String(req.params.takeId ?? req.params.fileId ?? '');
  const audit = (ok: boolean, detail: string, code?: string): void => deps.audit.record({
    kind: 'file_download', sessionId: s.id, name: s.name, ip: normaliseIp(req.socket.remoteAddress), target: id.slice(0, 64), ok, ...(code ? { code } : {}), detail,
  });
  const refuse = (error: WireError): void => {
    audit(false, `${what}: ${error.message}`, error.code);
    sendError(res, error);
  };
  if (!roleAllows(s.role, 'member')) { refuse(wireError('FORBIDDEN', 'downloads are for members; observers watch and listen')); return; }
  const target = await resolve(id);
  if ('code' in target) { refuse(target); return; }
  const file = await openServable(target.file, target.root);
  if ('code' in file) { refuse(file); return; }
  const end = files.transfers.begin(s.id, 'downloads', `${s.id}:${Math.random()}`);
  try {
    const sent = await sendServable(req, res, file);
    audit(sent.complete, `${what} ${file.name}: ${sent.range ? `bytes ${sent.range}` : 'whole file'}, ${sent.bytes} bytes sent${sent.complete ? '' : ' (stopped early)'}`);
  } finally {
    end();
  }
}

async function takesOf(files: FilesService, clips: Array<{ clipId: string | null; trackId: string | null; track: string; name: string; path: string; sampleLength: number; sampleRate: number | null; recording: boolean; arrangement: boolean }>): Promise<TakeView[]> {
  const byPath = new Map(files.roomFiles().map((f) => [f.path, f.id]));
  const seen = new Set<string>();
  const out: TakeView[] = [];
  for (const c of clips) {
    if (!c.path) continue;
    const id = takeIdOf(c.path);
    if (seen.has(id)) continue;
    seen.add(id);
    const available = !c.recording && path.isAbsolute(c.path) && await stat(c.path).then((st) => st.isFile(), () => false);
    out.push({
      id, track: c.track, trackId: c.trackId, clipId: c.clipId, name: c.name, fileName: path.basename(c.path),
      seconds: c.sampleRate ? c.sampleLength / c.sampleRate : null, recording: c.recording, available,
      arrangement: c.arrangement, fileId: byPath.get(c.path) ?? null,
    });
  }
  return out;
}
