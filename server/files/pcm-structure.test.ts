import { describe, expect, it } from 'vitest';
import { declaredPcmEnd } from './pcm-structure.ts';
import { fixture, wavBytes } from '../../testkit/audio.ts';

describe('declaredPcmEnd', () => {
  it('reads where a WAV or AIFF says its samples end', () => {
    const wav = wavBytes(0.1);
    expect(declaredPcmEnd(wav, 'wav')).toBe(wav.length);
    const ffmpegWav = fixture('tone.wav'); // a LIST chunk before data
    expect(declaredPcmEnd(ffmpegWav, 'wav')).toBe(ffmpegWav.length);
    const aiff = fixture('tone.aiff');
    expect(declaredPcmEnd(aiff, 'aiff')).toBe(aiff.length);
  });

  it('still reads the promise of a truncated file, so the check can refuse it', () => {
    const wav = wavBytes(0.1);
    expect(declaredPcmEnd(wav.subarray(0, 100), 'wav')).toBe(wav.length);
  });
});
