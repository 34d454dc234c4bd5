"""Files filed with a selection's dossier (a 破格 justification): PDF, PNG or JPEG only, told by
their first bytes (not by the name a browser sends), at most JINJIE_ATTACHMENT_MAX_BYTES (10 MB by
default), stored under MEDIA_ROOT/selections with a random name and read back only through the
dossier's own check (selectors.attachment_for).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from .workflow import SelectionError

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
_HEAD = 16
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class Kind:
    content_type: str
    extension: str
    label: str


# (signature, kind). JPEG: SOI + a marker; PNG: its 8-byte signature; PDF: "%PDF-".
SIGNATURES: tuple[tuple[bytes, Kind], ...] = (
    (b"%PDF-", Kind("application/pdf", ".pdf", "PDF")),
    (b"\x89PNG\r\n\x1a\n", Kind("image/png", ".png", "PNG")),
    (b"\xff\xd8\xff", Kind("image/jpeg", ".jpg", "JPEG")),
)


def max_bytes() -> int:
    return int(getattr(settings, "JINJIE_ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES))


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:g} MB"


def sniff(head: bytes) -> Kind | None:
    for signature, kind in SIGNATURES:
        if head.startswith(signature):
            return kind
    return None


def folder() -> Path:
    return Path(settings.MEDIA_ROOT) / "selections"


def path_of(stored_name: str) -> Path:
    return folder() / stored_name


@dataclass(frozen=True)
class StoredFile:
    name: str
    stored_name: str
    kind: Kind
    size: int
    sha256: str

    def discard(self) -> None:
        """Remove the file again (the database refused the record it belonged to)."""
        path_of(self.stored_name).unlink(missing_ok=True)


def check_upload(upload) -> None:
    """Refuse what cannot be stored before anything is written (SelectionError, Chinese)."""
    if upload is None or not hasattr(upload, "read"):
        raise SelectionError("请上传附件（PDF、PNG 或 JPEG）")
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes():
        raise SelectionError(f"附件不能超过 {_mb(max_bytes())}（此文件 {_mb(size)}）")
    if size == 0:
        raise SelectionError("附件是空文件")


def store(upload) -> StoredFile:
    """Write the upload under a random name, counting and hashing as it streams; refused (and
    nothing left behind) when its content is not PDF/PNG/JPEG or it grows past the limit."""
    check_upload(upload)
    if hasattr(upload, "seek"):
        upload.seek(0)
    head = upload.read(_HEAD)
    kind = sniff(head or b"")
    if kind is None:
        raise SelectionError("附件只能是 PDF、PNG 或 JPEG 文件（按文件内容判断，而非扩展名）")
    limit = max_bytes()
    folder().mkdir(parents=True, exist_ok=True)
    stored_name = secrets.token_hex(16) + kind.extension
    target = path_of(stored_name)
    digest = hashlib.sha256(head)
    size = len(head)
    try:
        with open(target, "xb") as out:
            out.write(head)
            while chunk := upload.read(_CHUNK):
                size += len(chunk)
                if size > limit:
                    raise SelectionError(f"附件不能超过 {_mb(limit)}")
                digest.update(chunk)
                out.write(chunk)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    raw_name = Path(str(getattr(upload, "name", "") or "附件")).name
    name = "".join(ch for ch in raw_name if ch.isprintable())[:200] or f"附件{kind.extension}"
    return StoredFile(name, stored_name, kind, size, digest.hexdigest())
