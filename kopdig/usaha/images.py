"""Photo uploads: check that the file is an image of an allowed type and size, and resize it
(longest side at most ``MAX_SIDE`` pixels, JPEG) with Pillow before it is stored."""

from __future__ import annotations

import io

from django.core.files.base import ContentFile
from PIL import Image, UnidentifiedImageError

from kopdig.lib.errors import DomainError

MAX_BYTES = 5 * 1024 * 1024
MAX_SIDE = 1200
FORMATS = {"JPEG", "PNG", "WEBP"}


def prepare(upload, name: str = "foto") -> ContentFile:
    """A resized JPEG of the uploaded image; DomainError for a non-image or an oversized file."""
    if upload.size > MAX_BYTES:
        raise DomainError("Ukuran foto paling besar 5 MB.")
    data = upload.read()
    try:
        with Image.open(io.BytesIO(data)) as probe:
            probe.verify()
        image = Image.open(io.BytesIO(data))
        if image.format not in FORMATS:
            raise DomainError("Foto harus berformat JPEG, PNG atau WebP.")
        image = image.convert("RGB")
    except (UnidentifiedImageError, OSError, SyntaxError):
        raise DomainError("Berkas ini bukan gambar yang dapat dibaca.") from None
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=82, optimize=True)
    safe = "".join(ch for ch in name if ch.isalnum() or ch in "-_")[:40] or "foto"
    return ContentFile(out.getvalue(), name=f"{safe}.jpg")
