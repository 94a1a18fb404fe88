import { open } from 'node:fs/promises';
import { fileTypeFromBuffer } from 'file-type';
import { parseFile } from 'music-metadata';
import { wireError, type AudioFormat, type WireError } from '../../protocol/index.ts';
import { declaredPcmEnd } from './pcm-structure.ts';

/** What the file's bytes say it is. */
export interface AudioProbe {
  format: AudioFormat;
  codec: string;
  sampleRate: number;
  channels: number;
  seconds: number;
}

/** file-type needs at most this many leading bytes to recognise a format. */
export const SNIFF_BYTES = 4100;

const FORMAT_OF_MIME: Record<string, AudioFormat> = {
  'audio/wav': 'wav', 'audio/vnd.wave': 'wav', 'audio/x-wav': 'wav',
  'audio/aiff': 'aiff', 'audio/x-aiff': 'aiff',
  'audio/flac': 'flac', 'audio/x-flac': 'flac',
  'audio/mpeg': 'mp3',
  'audio/ogg': 'ogg', 'audio/ogg; codecs=opus': 'ogg', 'audio/opus': 'ogg',
  'audio/x-m4a': 'm4a', 'audio/mp4': 'm4a', 'audio/m4a': 'm4a',
};

const MAX_SECONDS = 6 * 3600;

/** The format the leading bytes show (magic numbers, via file-type), or null when not audio Live reads. */
export async function sniffFormat(head: Uint8Array): Promise<AudioFormat | null> {
  const type = await fileTypeFromBuffer(head);
  return type ? FORMAT_OF_MIME[type.mime] ?? null : null;
}

export async function readHead(file: string, bytes: number): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/**
 * The whole check of a received file, from its own bytes: its format (file-type's magic
 * numbers), then its header parsed by music-metadata (rate, channels, length), then for
 * WAV and AIFF whether the file holds what the header promises. The name the sender gave
 * plays no part.
 */
export async function probeAudio(file: string, size: number): Promise<AudioProbe | WireError> {
  const head = await readHead(file, 64 * 1024);
  const format = await sniffFormat(head.subarray(0, SNIFF_BYTES));
  if (!format) return wireError('NOT_AUDIO', 'the file is not WAV, AIFF, FLAC, MP3, OGG or M4A audio (judged from its bytes, not its name)');
  if (format === 'wav' || format === 'aiff') {
    const end = declaredPcmEnd(head, format);
    if (end !== null && end > size) return wireError('BAD_AUDIO', `the ${format.toUpperCase()} header promises ${end} bytes but the file has ${size}: it was cut short`);
  }
  let parsed;
  try {
    parsed = await parseFile(file, { duration: false, skipCovers: true });
  } catch (err) {
    return wireError('BAD_AUDIO', `the ${format.toUpperCase()} file is damaged: ${(err as Error).message}`);
  }
  const f = parsed.format;
  const sampleRate = f.sampleRate ?? 0;
  const channels = f.numberOfChannels ?? 0;
  const seconds = f.duration ?? (f.numberOfSamples && sampleRate ? f.numberOfSamples / sampleRate : 0);
  if (!(sampleRate >= 8000 && sampleRate <= 768_000) || !(channels >= 1 && channels <= 64)) {
    return wireError('BAD_AUDIO', `the ${format.toUpperCase()} header gives no usable sample rate or channel count`);
  }
  if (!(seconds > 0 && seconds <= MAX_SECONDS)) return wireError('BAD_AUDIO', `the ${format.toUpperCase()} header gives no usable length`);
  return { format, codec: f.codec ?? f.container ?? format, sampleRate, channels, seconds };
}
