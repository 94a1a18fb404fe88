import { describe, expect, it } from 'vitest';
import { cleanSegment, numberedName, storedFileName } from './file-names.ts';

describe('file names from devices', () => {
  it('keeps only the last segment and cleans what no studio OS accepts', () => {
    expect(storedFileName('../../etc/cron.d/evil.wav', 'wav')).toBe('evil.wav');
    expect(storedFileName('C:\\Users\\ada\\riff.WAV', 'wav')).toBe('riff.wav');
    expect(storedFileName('take<1>:"?*|.mp3', 'mp3')).toBe('take 1.mp3');
    expect(storedFileName('..', 'flac')).toBe('audio.flac');
    expect(storedFileName('.hidden.wav', 'wav')).toBe('hidden.wav');
    expect(storedFileName('riff.exe', 'wav')).toBe('riff.wav'); // the bytes decide the extension
    expect(storedFileName('CON.wav', 'wav')).toBe('_CON.wav');
    expect(storedFileName('a\u202egnp.wav', 'wav')).toBe('agnp.wav'); // no bidi override
    expect(storedFileName('tail dots... ', 'aiff')).toBe('tail dots.aif');
  });

  it('bounds a name to 96 UTF-8 bytes without splitting a character', () => {
    const long = storedFileName(`${'é'.repeat(80)}.wav`, 'wav');
    expect(Buffer.byteLength(long.replace(/\.wav$/, ''))).toBeLessThanOrEqual(96);
    expect(long).toMatch(/^é+\.wav$/);
  });

  it('makes a display name one harmless folder', () => {
    expect(cleanSegment('../../..', 'guest')).toBe('guest');
    expect(cleanSegment('Ada / Bass', 'guest')).toBe('Bass');
    expect(cleanSegment('  Mrs. Smith  ', 'guest')).toBe('Mrs. Smith');
  });

  it('numbers a taken name before its extension', () => {
    expect(numberedName('riff.wav', 2)).toBe('riff 2.wav');
    expect(numberedName('riff', 3)).toBe('riff 3');
  });
});
