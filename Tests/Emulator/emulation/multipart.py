"""A streaming multipart/form-data parser: file parts go straight to disk, in chunks.

(`cgi` is deprecated and `email` parses whole messages in memory, hence this small parser.)
"""

import email.message
import email.utils
import os
import uuid

MAX_HEADER_BYTES = 16 * 1024
MAX_FIELD_BYTES = 1024 * 1024


class MultipartError(ValueError):
    pass


class FilePart:
    def __init__(self, filename, content_type, path, size):
        self.filename = filename
        self.content_type = content_type
        self.path = path
        self.size = size


def _params(header_value):
    message = email.message.Message()
    message["content-type"] = header_value
    return message


def _param(message, key):
    value = message.get_param(key)
    return None if value is None else email.utils.collapse_rfc2231_value(value)


def boundary_of(content_type):
    if not content_type or not content_type.lower().startswith("multipart/form-data"):
        raise MultipartError("Content-Type must be multipart/form-data")
    boundary = _param(_params(content_type), "boundary")
    if not boundary:
        raise MultipartError("multipart Content-Type has no boundary")
    return boundary.encode("latin-1")


class _Stream:
    """A byte buffer over a BodyReader with search-and-consume helpers."""

    def __init__(self, body):
        self.body = body
        self.buffer = b""

    def fill(self):
        data = self.body.read()
        if not data:
            raise MultipartError("multipart body ended early")
        self.buffer += data

    def read_until(self, marker, limit):
        while True:
            index = self.buffer.find(marker)
            if index >= 0:
                found, self.buffer = self.buffer[:index], self.buffer[index + len(marker):]
                return found
            if len(self.buffer) > limit:
                raise MultipartError("multipart part header or field is too large")
            self.fill()

    def copy_until(self, marker, sink, limit):
        """Writes everything before `marker` into `sink`; returns the byte count."""
        total, keep = 0, len(marker) - 1
        while True:
            index = self.buffer.find(marker)
            if index >= 0:
                sink.write(self.buffer[:index])
                self.buffer = self.buffer[index + len(marker):]
                return total + index
            if len(self.buffer) > keep:
                flush = self.buffer[:-keep]
                sink.write(flush)
                total += len(flush)
                self.buffer = self.buffer[-keep:]
                if limit is not None and total > limit:
                    raise MultipartError(f"file is larger than {limit} bytes")
            self.fill()

    def take(self, count):
        while len(self.buffer) < count:
            self.fill()
        taken, self.buffer = self.buffer[:count], self.buffer[count:]
        return taken


class _FieldSink:
    def __init__(self):
        self.parts = []
        self.size = 0

    def write(self, data):
        self.size += len(data)
        if self.size > MAX_FIELD_BYTES:
            raise MultipartError("form field is too large")
        self.parts.append(data)


def parse(body, content_type, directory, max_file_bytes=None):
    """Parses the form: returns ({field: str}, {field: FilePart}); files land in `directory`."""
    delimiter = b"--" + boundary_of(content_type)
    stream = _Stream(body)
    stream.read_until(delimiter + b"\r\n", MAX_HEADER_BYTES)
    fields, files = {}, {}
    try:
        while True:
            raw_headers = stream.read_until(b"\r\n\r\n", MAX_HEADER_BYTES).decode("latin-1")
            headers = email.message.Message()
            for line in raw_headers.split("\r\n"):
                name, sep, value = line.partition(":")
                if sep:
                    headers[name.strip()] = value.strip()
            disposition = _params(headers.get("Content-Disposition", "form-data"))
            name = _param(disposition, "name")
            filename = _param(disposition, "filename")
            if not name:
                raise MultipartError("multipart part without a name")
            end = b"\r\n" + delimiter
            if filename is not None:
                path = os.path.join(directory, uuid.uuid4().hex)
                try:
                    with open(path, "wb") as sink:
                        size = stream.copy_until(end, sink, max_file_bytes)
                except Exception:
                    os.unlink(path)
                    raise
                part_type = headers.get("Content-Type", "application/octet-stream")
                files[name] = FilePart(filename, part_type, path, size)
            else:
                sink = _FieldSink()
                stream.copy_until(end, sink, None)
                fields[name] = b"".join(sink.parts).decode("utf-8", errors="replace")
            if stream.take(2) == b"--":
                break  # closing delimiter
        body.drain()
    except Exception:
        for part in files.values():
            os.unlink(part.path)
        raise
    return fields, files


def discard(part):
    """Deletes a file part's bytes (a part the route does not use)."""
    try:
        os.unlink(part.path)
    except FileNotFoundError:
        pass
