"""Uploaded files (fal storage, BeatAPI /files, Beatra /uploads), kept on disk.

Every stored file is served back at `/media/files/{id}/{name}`.
"""

import os
import shutil
import time
import uuid
from urllib.parse import quote


class StoredFile:
    def __init__(self, file_id, name, content_type, path=None, size=0):
        self.id = file_id
        self.name = name
        self.content_type = content_type
        self.path = path  # None until the bytes arrive (fal's two-step upload)
        self.size = size
        self.created = int(time.time())

    def url(self, base_url):
        return f"{base_url}/media/files/{self.id}/{quote(self.name, safe='')}"


class FileStore:
    def __init__(self, root):
        self.root = root
        os.makedirs(root, exist_ok=True)
        self._files = {}

    def scratch_path(self):
        return os.path.join(self.root, uuid.uuid4().hex)

    def add(self, stored):
        self._files[stored.id] = stored
        return stored

    def get(self, file_id):
        return self._files.get(file_id)

    def clear(self):
        self._files.clear()
        shutil.rmtree(self.root, ignore_errors=True)
        os.makedirs(self.root, exist_ok=True)
