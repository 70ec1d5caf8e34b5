"""Pictures staff upload (exercise photos now, clinician photos next): checked, cleaned, resized.

`check_picture` runs in a form's clean_<field>: it opens the upload with Pillow and reads
only the header, so a renamed non-image, an oversized file or a 50-megapixel photo is
refused with a message before anything is decoded. `store_picture` then writes, once at
upload, the renditions pages use: WebP and a JPEG fallback at a phone and a desktop width,
re-encoded from the pixels alone, so EXIF (camera GPS positions, names) never reaches
storage. Everything goes through a Django Storage (never a file path), so the files may
live on disk or in an object store alike. A page renders a `Picture` with
templates/education/picture.html: `<picture>` with srcset, sizes, width and height (so the
browser reserves the space and nothing shifts) and loading="lazy".
"""

import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.core.files.storage import Storage
from django.db import models
from django.utils.crypto import get_random_string
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 15 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a 40-megapixel camera; 50 MP and up is refused
MIN_SIDE = 320
FORMATS = {"JPEG", "PNG", "WEBP"}
# A phone screen, and the page's content column on a desktop at 2x.
WIDTHS = (480, 960, 1440)


@dataclass(frozen=True)
class Picture:
    """A stored picture: its size (for width/height) and the rendition names by format."""

    width: int
    height: int
    webp: list[tuple[int, str]]
    jpeg: list[tuple[int, str]]
    storage: Storage = field(compare=False)

    @classmethod
    def from_json(cls, data: dict, storage: Storage) -> "Picture | None":
        if not data:
            return None
        return cls(
            width=data["width"],
            height=data["height"],
            webp=[(width, name) for width, name in data["webp"]],
            jpeg=[(width, name) for width, name in data["jpeg"]],
            storage=storage,
        )

    def to_json(self) -> dict:
        return {"width": self.width, "height": self.height, "webp": self.webp, "jpeg": self.jpeg}

    def fallback(self) -> str:
        """The largest JPEG: what a browser without srcset support shows."""
        return self.jpeg[-1][1]

    def fallback_url(self) -> str:
        return self.storage.url(self.fallback())

    def webp_srcset(self) -> str:
        return ", ".join(f"{self.storage.url(name)} {width}w" for width, name in self.webp)

    def jpeg_srcset(self) -> str:
        return ", ".join(f"{self.storage.url(name)} {width}w" for width, name in self.jpeg)

    def smallest_url(self) -> str:
        return self.storage.url(self.jpeg[0][1])

    def poster_url(self) -> str:
        """One JPEG for a <video poster>, which takes no srcset: sharp on a phone, not more."""
        return self.storage.url(next((n for w, n in self.jpeg if w >= 960), self.fallback()))

    def height_at(self, width: int) -> int:
        """The height that keeps the shape at `width`, for a thumbnail's height attribute."""
        return round(self.height * width / self.width)


def check_picture(upload: File) -> None:
    """Refuse anything but a real JPEG, PNG or WebP photo of sensible size, with a clear message."""
    if upload.size > MAX_BYTES:
        raise ValidationError(
            "This file is %(size)d MB; pictures can be up to %(max)d MB. "
            "Export it smaller from your photo app and try again.",
            code="file_too_large",
            params={"size": upload.size // (1024 * 1024), "max": MAX_BYTES // (1024 * 1024)},
        )
    try:
        upload.seek(0)
        with Image.open(upload) as image:  # reads the header only
            kind, (width, height) = image.format, image.size
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        raise ValidationError(
            "This file is not a picture we can read. Upload a JPEG, PNG or WebP photo.",
            code="not_an_image",
        ) from None
    finally:
        upload.seek(0)
    if kind not in FORMATS:
        raise ValidationError(
            "Pictures must be JPEG, PNG or WebP; this one is %(kind)s.",
            code="image_format",
            params={"kind": kind},
        )
    if width * height > MAX_PIXELS:
        raise ValidationError(
            "This picture is %(mp)d megapixels; up to %(max)d are accepted. "
            "Resize it and try again.",
            code="too_many_pixels",
            params={"mp": width * height // 1_000_000, "max": MAX_PIXELS // 1_000_000},
        )
    if min(width, height) < MIN_SIDE:
        raise ValidationError(
            "This picture is %(width)d×%(height)d pixels; it needs at least %(min)d on each "
            "side to look sharp on a phone.",
            code="too_small",
            params={"width": width, "height": height, "min": MIN_SIDE},
        )


def _encode(image: Image.Image, kind: str) -> ContentFile:
    buffer = io.BytesIO()
    if kind == "WEBP":
        image.save(buffer, "WEBP", quality=80, method=4)
    else:
        image.save(buffer, "JPEG", quality=82, optimize=True, progressive=True)
    return ContentFile(buffer.getvalue())


def upload_place(model: type[models.Model], name: str) -> tuple[str, Storage]:
    """The folder and storage of a model's file field (its `upload_to` is a plain folder)."""
    field = model._meta.get_field(name)
    if not isinstance(field, models.FileField) or not isinstance(field.upload_to, str):
        raise TypeError(f"{model.__name__}.{name} is not a file field with a folder")
    return field.upload_to, field.storage


def store_picture(*, upload: File, folder: str, storage: Storage) -> Picture:
    """Write the renditions of a checked upload to `storage` under `folder`; keep no original."""
    upload.seek(0)
    with Image.open(upload) as opened:
        image = ImageOps.exif_transpose(opened)  # upright, as the camera meant it
        if image.mode != "RGB":
            # JPEG has no transparency: flatten onto white, as the page's background is.
            background = Image.new("RGB", image.size, "white")
            rgba = image.convert("RGBA")
            background.paste(rgba, mask=rgba.getchannel("A"))
            image = background
    width, height = image.size
    stem = f"{folder.rstrip('/')}/{get_random_string(10).lower()}"
    widths = sorted({*(w for w in WIDTHS if w < width), min(width, WIDTHS[-1])})
    webp, jpeg = [], []
    for target in widths:
        resized = image.resize((target, round(height * target / width)), Image.Resampling.LANCZOS)
        webp.append((target, storage.save(f"{stem}-{target}.webp", _encode(resized, "WEBP"))))
        jpeg.append((target, storage.save(f"{stem}-{target}.jpg", _encode(resized, "JPEG"))))
    final_height = round(height * widths[-1] / width)
    return Picture(width=widths[-1], height=final_height, webp=webp, jpeg=jpeg, storage=storage)
