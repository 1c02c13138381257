"""Media bytes the providers' outputs point at: a sine WAV, an MP4 clip, a deterministic blob.

WAVs and MP4s are generated once per length and cached on disk, then streamed from there.
"""

import array
import math
import os
import shutil
import subprocess
import sys
import threading
import wave

SAMPLE_RATE = 44100
CHANNELS = 2
SAMPLE_WIDTH = 2
WAV_HEADER_BYTES = 44  # the wave module writes a canonical 44-byte PCM header
TONE_HZ = 440  # 440 whole periods per second, so one second of samples loops seamlessly
BLOB_BLOCK = 64 * 1024


class FfmpegMissing(Exception):
    pass


class FfmpegFailed(Exception):
    pass


def wav_size(seconds):
    return WAV_HEADER_BYTES + wav_frames(seconds) * CHANNELS * SAMPLE_WIDTH


def wav_frames(seconds):
    return max(1, int(round(seconds * SAMPLE_RATE)))


def _one_second_of_tone():
    samples = array.array("h")
    for i in range(SAMPLE_RATE):
        value = int(0.3 * 32767 * math.sin(2 * math.pi * TONE_HZ * i / SAMPLE_RATE))
        samples.extend((value, value))
    if sys.byteorder == "big":
        samples.byteswap()  # WAV samples are little-endian
    return samples.tobytes()


# byte[i] of blob.bin is (i ^ i>>8 ^ i>>16 ^ i>>24) & 0xFF. Within a 64 KiB block that starts
# at a multiple of 64 KiB, the low 16 bits of i are the offset in the block, so each block is
# the first block XOR a per-block constant: one translate() per block, no per-byte Python.
_BLOB_BASE = bytes((j ^ (j >> 8)) & 0xFF for j in range(BLOB_BLOCK))
_XOR_TABLES = [bytes(x ^ c for x in range(256)) for c in range(256)]


def blob_chunks(size):
    for offset in range(0, size, BLOB_BLOCK):
        block = _BLOB_BASE.translate(_XOR_TABLES[((offset >> 16) ^ (offset >> 24)) & 0xFF])
        yield block[: size - offset] if size - offset < BLOB_BLOCK else block


def file_chunks(path, chunk=256 * 1024):
    def generate():
        with open(path, "rb") as f:
            while True:
                data = f.read(chunk)
                if not data:
                    return
                yield data
    return generate


class MediaLibrary:
    def __init__(self, cache_dir, ffmpeg=None):
        self.cache_dir = cache_dir
        os.makedirs(cache_dir, exist_ok=True)
        self.ffmpeg = ffmpeg  # None: look "ffmpeg" up on PATH when a clip is requested
        self._locks = {}
        self._locks_guard = threading.Lock()
        self._tone = None

    def _lock_for(self, key):
        with self._locks_guard:
            return self._locks.setdefault(key, threading.Lock())

    def tone_path(self, seconds):
        """A cached WAV of `seconds` of 440 Hz, 44.1 kHz stereo 16-bit, written with `wave`."""
        frames = wav_frames(seconds)
        path = os.path.join(self.cache_dir, f"tone-{frames}.wav")
        with self._lock_for(path):
            if not os.path.exists(path):
                if self._tone is None:
                    self._tone = _one_second_of_tone()
                partial = path + ".part"
                with wave.open(partial, "wb") as out:
                    out.setnchannels(CHANNELS)
                    out.setsampwidth(SAMPLE_WIDTH)
                    out.setframerate(SAMPLE_RATE)
                    out.setnframes(frames)
                    left = frames
                    while left:
                        take = min(left, SAMPLE_RATE)
                        out.writeframesraw(self._tone[: take * CHANNELS * SAMPLE_WIDTH])
                        left -= take
                os.replace(partial, path)
        return path

    def clip_path(self, seconds):
        """A cached MP4 (testsrc video + sine audio); needs ffmpeg."""
        ffmpeg = shutil.which(self.ffmpeg or "ffmpeg")
        if ffmpeg is None:
            raise FfmpegMissing(self.ffmpeg or "ffmpeg")
        key = f"{seconds:g}"
        path = os.path.join(self.cache_dir, f"clip-{key}s.mp4")
        with self._lock_for(path):
            if not os.path.exists(path):
                partial = os.path.join(self.cache_dir, f"clip-{key}s.part.mp4")
                command = [
                    ffmpeg, "-hide_banner", "-loglevel", "error", "-y",
                    "-f", "lavfi", "-i", f"testsrc=duration={key}:size=320x240:rate=24",
                    "-f", "lavfi", "-i", f"sine=frequency=440:duration={key}",
                    "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest",
                    "-movflags", "+faststart", partial,
                ]
                try:
                    done = subprocess.run(command, capture_output=True, timeout=120)
                except (OSError, subprocess.TimeoutExpired) as error:
                    raise FfmpegFailed(str(error)) from None
                if done.returncode != 0 or not os.path.exists(partial):
                    raise FfmpegFailed(done.stderr.decode(errors="replace")[-500:])
                os.replace(partial, path)
        return path
