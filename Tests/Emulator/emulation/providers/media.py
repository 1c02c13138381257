"""`/media/...`: the bytes output URLs point at, plus uploaded files. No auth (like a CDN)."""

import math
import os

from ..http import Response
from ..media import FfmpegFailed, FfmpegMissing, blob_chunks, file_chunks
from .base import ApiError, Provider

MAX_TONE_SECONDS = 600
MAX_CLIP_SECONDS = 60
MAX_BLOB_BYTES = 1 << 40
CDN_HEADERS = {"Accept-Ranges": "none", "Cache-Control": "public, max-age=86400"}


class MediaRoutes(Provider):
    name = "media"

    def add_routes(self):
        self.route("GET", "/tone.wav", self.tone, auth=False, head=True)
        self.route("GET", "/clip.mp4", self.clip, auth=False, head=True)
        self.route("GET", "/blob.bin", self.blob, auth=False, head=True)
        self.route("GET", "/files/{file_id}/{name}", self.stored_file, auth=False, head=True)

    def authorized(self, req):
        return True

    def error(self, ctx, status, code, message, headers=None, **extra):
        return Response.json(status, {"error": {"code": code, "message": message, **extra}},
                             headers)

    def fault_error(self, ctx, fault, status, headers, retry_after):
        return self.error(ctx, status, f"http_{status}", "Injected fault.", headers)

    @staticmethod
    def _number(ctx, key, default, maximum):
        raw = ctx.req.query.get(key)
        try:
            value = default if raw is None else float(raw)
        except ValueError:
            value = math.nan
        if not math.isfinite(value) or value <= 0 or value > maximum:
            raise ApiError(400, "bad_request", f"{key} must be a number in (0, {maximum}].")
        return value

    @staticmethod
    def _file_response(path, content_type, size):
        return Response(200, content_type=content_type, headers=CDN_HEADERS,
                        stream=file_chunks(path), length=size)

    def tone(self, ctx):
        path = self.app.media.tone_path(self._number(ctx, "seconds", 1, MAX_TONE_SECONDS))
        return self._file_response(path, "audio/wav", os.path.getsize(path))

    def clip(self, ctx):
        seconds = self._number(ctx, "seconds", 2, MAX_CLIP_SECONDS)
        try:
            path = self.app.media.clip_path(seconds)
        except FfmpegMissing as missing:
            raise ApiError(503, "ffmpeg_not_installed",
                           f"ffmpeg ({missing}) is not installed on the emulator's machine, so "
                           "clip.mp4 cannot be made; install ffmpeg (apt-get install ffmpeg).")
        except FfmpegFailed as failure:
            raise ApiError(500, "ffmpeg_failed", f"ffmpeg failed: {failure}")
        return self._file_response(path, "video/mp4", os.path.getsize(path))

    def blob(self, ctx):
        raw = ctx.req.query.get("bytes", "1024")
        if not raw.isdecimal() or int(raw) > MAX_BLOB_BYTES:
            raise ApiError(400, "bad_request",
                           f"bytes must be an integer in [0, {MAX_BLOB_BYTES}].")
        size = int(raw)
        return Response(200, content_type="application/octet-stream", headers=CDN_HEADERS,
                        stream=lambda: blob_chunks(size), length=size)

    def stored_file(self, ctx):
        with self.app.lock:
            stored = self.app.files.get(ctx.params["file_id"])
        if stored is None or stored.path is None:
            raise ApiError(404, "not_found", "No such file (or it was never uploaded).")
        return self._file_response(stored.path, stored.content_type, stored.size)
