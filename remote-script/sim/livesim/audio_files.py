"""Audio files as the simulated Live sees them.

Live decodes what `ClipSlot.create_audio_clip` is given and records real files. The
simulator does the least that keeps it honest: it reads a file's length from its own
header (WAV, AIFF, FLAC, Ogg Vorbis/Opus, MP4/M4A, MP3) and refuses what it cannot read,
and a recording writes a real short WAV where Live would put it, so takes exist on disk.
"""
import array
import math
import os
import struct
import tempfile
import wave

HEAD_BYTES = 1 << 16


class AudioInfo(object):
    __slots__ = ('seconds', 'rate', 'frames')

    def __init__(self, seconds, rate):
        self.seconds = float(seconds)
        self.rate = float(rate)
        self.frames = int(round(self.seconds * self.rate))


def read_info(path):
    """AudioInfo from the file's header, or None when it is no audio file Live reads."""
    try:
        size = os.path.getsize(path)
        with open(path, 'rb') as f:
            head = f.read(HEAD_BYTES)
            f.seek(max(0, size - HEAD_BYTES))
            tail = f.read(HEAD_BYTES)
    except (IOError, OSError):
        return None
    for reader in (_wav, _aiff, _flac, _ogg, _mp4, _mp3):
        try:
            info = reader(head, tail, size)
        except (struct.error, ValueError, IndexError, ZeroDivisionError):
            info = None
        if info is not None and info.rate > 0 and info.seconds > 0:
            return info
    return None


def _wav(head, tail, size):
    if head[:4] not in (b'RIFF', b'RF64') or head[8:12] != b'WAVE':
        return None
    pos, rate, align, data = 12, None, None, None
    while pos + 8 <= len(head):
        cid, n = head[pos:pos + 4], struct.unpack('<I', head[pos + 4:pos + 8])[0]
        if cid == b'fmt ':
            rate = struct.unpack('<I', head[pos + 12:pos + 16])[0]
            align = struct.unpack('<H', head[pos + 20:pos + 22])[0]
        elif cid == b'data':
            data = min(n, size - pos - 8)
            break
        pos += 8 + n + (n & 1)
    if not rate or not align or data is None:
        return None
    return AudioInfo(data // align / float(rate), rate)


def _extended80(b):
    exp = ((b[0] & 0x7F) << 8) | b[1]
    mant = struct.unpack('>Q', b[2:10])[0]
    return mant * 2.0 ** (exp - 16383 - 63) if exp else 0.0


def _aiff(head, tail, size):
    if head[:4] != b'FORM' or head[8:12] not in (b'AIFF', b'AIFC'):
        return None
    pos = 12
    while pos + 8 <= len(head):
        cid, n = head[pos:pos + 4], struct.unpack('>I', head[pos + 4:pos + 8])[0]
        if cid == b'COMM':
            frames = struct.unpack('>I', head[pos + 10:pos + 14])[0]
            rate = _extended80(head[pos + 16:pos + 26])
            return AudioInfo(frames / rate, rate)
        pos += 8 + n + (n & 1)
    return None


def _flac(head, tail, size):
    at = 0
    if head[:3] == b'ID3':
        at = 10 + _syncsafe(head[6:10])
    if head[at:at + 4] != b'fLaC':
        return None
    info = head[at + 8:at + 8 + 34]
    bits = int.from_bytes(info[10:18], 'big')
    rate = bits >> 44
    total = bits & ((1 << 36) - 1)
    return AudioInfo(total / float(rate), rate)


def _ogg(head, tail, size):
    if head[:4] != b'OggS':
        return None
    body = head[27 + head[26]:]
    last = tail.rfind(b'OggS')
    if last < 0:
        return None
    granule = struct.unpack('<q', tail[last + 6:last + 14])[0]
    if body[:7] == b'\x01vorbis':
        rate = struct.unpack('<I', body[12:16])[0]
        return AudioInfo(granule / float(rate), rate)
    if body[:8] == b'OpusHead':
        pre_skip = struct.unpack('<H', body[10:12])[0]
        rate = struct.unpack('<I', body[12:16])[0] or 48000
        return AudioInfo((granule - pre_skip) / 48000.0, rate)
    return None


def _boxes(data, start, end):
    pos = start
    while pos + 8 <= end:
        n = struct.unpack('>I', data[pos:pos + 4])[0]
        kind = data[pos + 4:pos + 8]
        header = 8
        if n == 1:
            n = struct.unpack('>Q', data[pos + 8:pos + 16])[0]
            header = 16
        if n < header:
            return
        yield kind, pos + header, min(pos + n, end)
        pos += n


def _mp4(head, tail, size):
    if head[4:8] != b'ftyp':
        return None
    # moov may sit after mdat (at the end of the file): look in both ends
    for data in (head, tail):
        at = data.find(b'mvhd')
        if at < 4:
            continue
        version = data[at + 4]
        if version == 1:
            scale, duration = struct.unpack('>IQ', data[at + 24:at + 36])
        else:
            scale, duration = struct.unpack('>II', data[at + 16:at + 24])
        rate = 44100.0
        mp4a = data.find(b'mp4a')
        if mp4a > 0:
            rate = struct.unpack('>I', data[mp4a + 28:mp4a + 32])[0] >> 16
        return AudioInfo(duration / float(scale), rate)
    return None


MP3_RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}
MP3_KBPS_V1_L3 = (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320)
MP3_KBPS_V2_L3 = (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160)


def _syncsafe(b):
    return (b[0] << 21) | (b[1] << 14) | (b[2] << 7) | b[3]


def _mp3(head, tail, size):
    at = 10 + _syncsafe(head[6:10]) if head[:3] == b'ID3' else 0
    while at + 4 <= len(head) and not (head[at] == 0xFF and head[at + 1] & 0xE0 == 0xE0):
        at += 1
    if at + 4 > len(head):
        return None
    h = struct.unpack('>I', head[at:at + 4])[0]
    version, layer = (h >> 19) & 3, (h >> 17) & 3
    if version == 1 or layer != 1:   # MPEG 1/2/2.5, layer III only
        return None
    rate = MP3_RATES[version][(h >> 10) & 3]
    kbps = (MP3_KBPS_V1_L3 if version == 3 else MP3_KBPS_V2_L3)[(h >> 12) & 15]
    per_frame = 1152 if version == 3 else 576
    for tag in (b'Xing', b'Info'):
        x = head.find(tag, at, at + 64)
        if x > 0 and struct.unpack('>I', head[x + 4:x + 8])[0] & 1:
            frames = struct.unpack('>I', head[x + 8:x + 12])[0]
            return AudioInfo(frames * per_frame / float(rate), rate)
    if not kbps:
        return None
    return AudioInfo((size - at) * 8.0 / (kbps * 1000), rate)


# ---- clips placed from files and recorded takes ----------------------------------------

def place(clip, info, tempo):
    """Give an audio clip the file's real length: its loop spans the file at this tempo."""
    beats = info.seconds * float(tempo) / 60.0
    p = clip._p
    p['loop_end'] = beats
    p['end_marker'] = beats
    p['sample_frames'] = info.frames
    p['sample_rate_hz'] = info.rate


def recordings_dir(song):
    """Where Live records: the saved set's Samples/Recorded, else a temporary folder."""
    set_path = song._p.get('file_path') or ''
    if set_path:
        return os.path.join(os.path.dirname(set_path), 'Samples', 'Recorded')
    return os.path.join(tempfile.gettempdir(), 'roomtone-sim-%d' % os.getpid(), 'Recorded')


def take_path(song, track_name, index):
    safe = ''.join(ch if ch.isalnum() or ch in ' -_' else '_' for ch in track_name) or 'Track'
    folder = recordings_dir(song)
    n = 0
    while True:
        suffix = ' [%d]' % n if n else ''
        path = os.path.join(folder, '%s %d%s.wav' % (safe, index + 1, suffix))
        if not os.path.exists(path):
            return path
        n += 1


TAKE_RATE = 44100
TAKE_MAX_SECONDS = 60.0


def write_take(clip, seconds):
    """A real WAV for a finished recording: a quiet 220 Hz tone, as long as the take."""
    path = clip._p.get('file_path')
    if not path:
        return
    seconds = max(0.05, min(TAKE_MAX_SECONDS, float(seconds)))
    frames = int(seconds * TAKE_RATE)
    step = 2.0 * math.pi * 220.0 / TAKE_RATE
    samples = array.array('h', (int(3000 * math.sin(i * step)) for i in range(frames)))
    if samples.itemsize != 2:   # pragma: no cover - 'h' is 2 bytes on every platform Live runs on
        return
    folder = os.path.dirname(path)
    if not os.path.isdir(folder):
        os.makedirs(folder)
    w = wave.open(path, 'wb')
    try:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(TAKE_RATE)
        w.writeframes(samples.tobytes())
    finally:
        w.close()
    clip._p['sample_frames'] = frames
    clip._p['sample_rate_hz'] = float(TAKE_RATE)
