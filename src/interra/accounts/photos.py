"""A person's photo: checked, shrunk and stripped of its metadata before it is stored.

The uploaded file is never stored as is: it is decoded (JPEG, PNG or WebP only), turned
upright, reduced to at most ``MAX_SIDE`` pixels and re-encoded as a fresh JPEG, so that no
EXIF, GPS, XMP or ICC data (nor anything hidden in the original file) survives. Stored
files get a random name, so a photo that is not public cannot be guessed from a person's id.
"""

import io
import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

UPLOAD_TO = "people/"
MAX_BYTES = 5 * 1024 * 1024
MAX_SIDE = 600
MAX_PIXELS = 40_000_000  # refuse decompression bombs well before Pillow's own limit
FORMATS = ("JPEG", "PNG", "WEBP")
ACCEPT = "image/jpeg,image/png,image/webp"

ERRORS = {
    "too_big": _("This photo is too big: the limit is 5 MB."),
    "invalid": _("This file is not a photo we can use: choose a JPEG, PNG or WebP image."),
    "too_many_pixels": _("This photo has too many pixels: choose a smaller one."),
}


def process_upload(uploaded) -> ContentFile:
    """Check an uploaded photo and return it re-encoded, ready to assign to ``User.photo``.

    Raises ``ValidationError`` with a translated message for a file that is too big, is
    not a JPEG, PNG or WebP image, or cannot be decoded.
    """
    if uploaded.size is None or uploaded.size > MAX_BYTES:
        raise ValidationError(ERRORS["too_big"], code="too_big")
    try:
        uploaded.seek(0)
        with Image.open(uploaded, formats=FORMATS) as image:
            if image.width * image.height > MAX_PIXELS:
                raise ValidationError(ERRORS["too_many_pixels"], code="too_many_pixels")
            image.draft("RGB", (MAX_SIDE * 2, MAX_SIDE * 2))  # JPEG: decode at lower size
            image = ImageOps.exif_transpose(image)  # upright, before the EXIF goes
            image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
            data = _flatten_to_jpeg(image)
    except ValidationError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError,
            SyntaxError) as exc:
        raise ValidationError(ERRORS["invalid"], code="invalid") from exc
    finally:
        uploaded.seek(0)
    return ContentFile(data, name=f"{uuid.uuid4().hex}.jpg")


def _flatten_to_jpeg(image: Image.Image) -> bytes:
    """Paint the pixels on a new white canvas (no metadata travels) and encode as JPEG."""
    if image.mode not in ("RGB", "RGBA"):
        has_alpha = image.mode in ("LA", "PA") or "transparency" in image.info
        image = image.convert("RGBA" if has_alpha else "RGB")
    canvas = Image.new("RGB", image.size, "white")
    canvas.paste(image, mask=image.getchannel("A") if image.mode == "RGBA" else None)
    out = io.BytesIO()
    canvas.save(out, format="JPEG", quality=85, optimize=True, progressive=True)
    return out.getvalue()


def delete_on_commit(name: str) -> None:
    """Remove a stored photo once the transaction that dropped it has committed."""
    if not name:
        return

    def _delete():
        if default_storage.exists(name):
            default_storage.delete(name)

    transaction.on_commit(_delete)
