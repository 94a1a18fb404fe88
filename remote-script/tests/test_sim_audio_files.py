"""The simulator's audio files: lengths read from real encoders' output (the fixtures
were made by ffmpeg, 0.5 s of a 440 Hz tone at 22050 Hz), files placed on slots with
their real length, and recordings that write real WAV files."""
import os
import shutil
import tempfile
import unittest
import wave

from . import simpath

from livesim import audio_files
from livesim import world as W
from .test_sim_behaviour import until

FIXTURES = os.path.join(os.path.dirname(simpath.ROOT), 'test', 'fixtures', 'audio')


class ReadInfo(unittest.TestCase):
    def test_every_format_roomtone_accepts(self):
        for name in ('tone.wav', 'tone.aiff', 'tone.flac', 'tone.mp3', 'tone.ogg', 'tone.opus', 'tone.m4a'):
            with self.subTest(name=name):
                info = audio_files.read_info(os.path.join(FIXTURES, name))
                self.assertIsNotNone(info, name)
                # encoders pad (MP3 frames, AAC priming): within a few frames of 0.5 s
                self.assertAlmostEqual(info.seconds, 0.5, delta=0.08)
                self.assertGreater(info.rate, 0)

    def test_what_is_not_audio_is_refused(self):
        fd, path = tempfile.mkstemp(suffix='.wav')
        try:
            os.write(fd, b'\x7fELF' + b'\0' * 4000)
            os.close(fd)
            self.assertIsNone(audio_files.read_info(path))
            self.assertIsNone(audio_files.read_info(path + '.missing'))
        finally:
            os.remove(path)


class Placing(unittest.TestCase):
    def test_a_placed_file_gets_its_real_length(self):
        w = W.World('12.3.6', seed=1)
        slot = [t for t in w.song.tracks if t.name == 'Guitar'][0].clip_slots[0]
        c = slot.create_audio_clip(os.path.join(FIXTURES, 'tone.flac'))
        self.assertEqual(c.sample_length, 11025)
        self.assertEqual(c.sample_rate, 22050.0)
        self.assertAlmostEqual(c.length, 1.0)   # 0.5 s at 120 BPM
        self.assertEqual(c.name, 'tone')


class Recording(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix='roomtone-sim-set-')

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def record_a_take(self, version):
        w = W.World(version, seed=1)
        song = w.song
        if version != '11.0.0':
            song._p['file_path'] = os.path.join(self.dir, 'Band Project', 'Band.als')
        guitar = [t for t in song.tracks if t.name == 'Guitar'][0]
        guitar.arm = True
        slot = [s for s in guitar.clip_slots if not s.has_clip][0]
        slot.fire()
        until(w, lambda: slot.has_clip and slot.clip.is_recording)
        until(w, lambda: w.clock > 3.0, max_seconds=20)
        song.stop_playing()
        until(w, lambda: not slot.clip.is_recording)
        return song, slot.clip

    def test_a_recording_writes_a_real_wav_beside_the_saved_set(self):
        song, clip = self.record_a_take('12.3.6')
        path = clip.file_path
        self.assertTrue(path.startswith(os.path.join(self.dir, 'Band Project', 'Samples', 'Recorded')), path)
        r = wave.open(path, 'rb')
        try:
            self.assertEqual(r.getnframes(), clip.sample_length)
            self.assertEqual(r.getframerate(), int(clip.sample_rate))
            seconds = r.getnframes() / float(r.getframerate())
        finally:
            r.close()
        self.assertAlmostEqual(seconds, clip.length * 60.0 / song.tempo, delta=0.01)

    def test_an_unsaved_set_records_into_a_temporary_folder(self):
        song, clip = self.record_a_take('11.0.0')
        self.assertTrue(os.path.isfile(clip.file_path), clip.file_path)
        self.assertTrue(clip.file_path.startswith(tempfile.gettempdir()))
        os.remove(clip.file_path)


if __name__ == '__main__':
    unittest.main()
