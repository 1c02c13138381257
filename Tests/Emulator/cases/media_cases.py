"""Media routes: WAV, MP4 (with a missing, a fake and a real ffmpeg), streamed blobs."""

import io
import os
import resource
import shutil
import socket
import stat
import sys
import tempfile
import unittest
import wave

from .harness import EmulatorCase

GIB = 1 << 30


def read_streamed_body(port, path, method="GET"):
    """(headers text, body byte count) reading with a fixed buffer: nothing is kept."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     "Connection: close\r\n\r\n".encode())
        buffer = bytearray(1 << 20)
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = sock.recv(4096)
            if not chunk:
                break
            head += chunk
        header_bytes, _, rest = head.partition(b"\r\n\r\n")
        count = len(rest)
        view = memoryview(buffer)
        while True:
            received = sock.recv_into(view)
            if not received:
                return header_bytes.decode(), count
            count += received


class MediaTests(EmulatorCase):
    options = {"ffmpeg": "/nonexistent/ffmpeg"}

    def test_tone_is_a_real_stereo_wav(self):
        answer = self.call("GET", "/media/tone.wav?seconds=1.5")
        self.assertEqual(answer.header("Content-Type"), "audio/wav")
        self.assertEqual(int(answer.header("Content-Length")), len(answer.body))
        with wave.open(io.BytesIO(answer.body)) as track:
            self.assertEqual((track.getnchannels(), track.getsampwidth(), track.getframerate()),
                             (2, 2, 44100))
            self.assertEqual(track.getnframes(), 66150)
            self.assertNotEqual(track.readframes(100), bytes(400))  # not silence

    def test_head_announces_the_length_without_a_body(self):
        get = self.call("GET", "/media/tone.wav?seconds=2")
        head = self.call("HEAD", "/media/tone.wav?seconds=2")
        self.assertEqual((head.status, head.body), (200, b""))
        self.assertEqual(head.header("Content-Length"), str(len(get.body)))
        self.assertEqual(self.stats("media")["requests"]["HEAD /tone.wav"], 1)

    def test_bad_parameters_are_400(self):
        for path in ("/media/tone.wav?seconds=0", "/media/tone.wav?seconds=abc",
                     "/media/tone.wav?seconds=nan", "/media/tone.wav?seconds=601",
                     "/media/blob.bin?bytes=-1", "/media/clip.mp4?seconds=61"):
            with self.subTest(path=path):
                self.assertEqual(self.call("GET", path).status, 400)

    def test_blob_bytes_follow_the_documented_formula(self):
        size = 200_000
        body = self.call("GET", f"/media/blob.bin?bytes={size}").body
        expected = bytes((i ^ (i >> 8) ^ (i >> 16) ^ (i >> 24)) & 0xFF for i in range(size))
        self.assertEqual(body, expected)
        self.assertEqual(self.call("GET", "/media/blob.bin?bytes=0").body, b"")

    def test_one_gibibyte_blob_streams_without_memory_growth(self):
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
        head, count = read_streamed_body(self.port, f"/media/blob.bin?bytes={GIB}")
        self.assertIn(f"Content-Length: {GIB}", head)
        self.assertEqual(count, GIB)
        growth_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
        self.assertLess(growth_kib, 64 * 1024)
        head_only = self.call("HEAD", f"/media/blob.bin?bytes={GIB}")
        self.assertEqual(head_only.header("Content-Length"), str(GIB))

    def test_clip_without_ffmpeg_is_a_503_saying_so(self):
        answer = self.call("GET", "/media/clip.mp4?seconds=2")
        self.assertEqual(answer.status, 503)
        self.assertEqual(answer.json["error"]["code"], "ffmpeg_not_installed")

    def test_unknown_stored_file_is_404(self):
        self.assertEqual(self.call("GET", "/media/files/nope/a.wav").status, 404)


FAKE_FFMPEG = """#!{python}
import sys
with open({log!r}, "a") as log:
    log.write(" ".join(sys.argv[1:]) + "\\n")
with open(sys.argv[-1], "wb") as out:
    out.write(b"\\x00\\x00\\x00\\x18ftypisom fake mp4")
"""


class FakeFfmpegTests(EmulatorCase):
    """ffmpeg's command line and the cache, checked with a stand-in executable."""

    @classmethod
    def setUpClass(cls):
        cls.tools = tempfile.mkdtemp(prefix="fake-ffmpeg-")
        cls.log = os.path.join(cls.tools, "calls.log")
        script = os.path.join(cls.tools, "ffmpeg")
        with open(script, "w") as f:
            f.write(FAKE_FFMPEG.format(python=sys.executable, log=cls.log))
        os.chmod(script, os.stat(script).st_mode | stat.S_IXUSR)
        cls.options = {"ffmpeg": script}
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        shutil.rmtree(cls.tools, ignore_errors=True)

    def test_clip_is_made_once_then_served_from_the_cache(self):
        first = self.call("GET", "/media/clip.mp4?seconds=3")
        second = self.call("GET", "/media/clip.mp4?seconds=3")
        self.assertEqual((first.status, first.header("Content-Type")), (200, "video/mp4"))
        self.assertEqual(first.body, second.body)
        with open(self.log) as log:
            calls = log.read().splitlines()
        self.assertEqual(len(calls), 1)
        for part in ("testsrc=duration=3", "sine=frequency=440", "libx264", "aac"):
            self.assertIn(part, calls[0])


@unittest.skipUnless(shutil.which("ffmpeg"), "ffmpeg is not installed")
class RealFfmpegTests(EmulatorCase):
    def test_clip_is_an_mp4(self):
        answer = self.call("GET", "/media/clip.mp4?seconds=1", timeout=60)
        self.assertEqual(answer.status, 200)
        self.assertEqual(answer.body[4:8], b"ftyp")
