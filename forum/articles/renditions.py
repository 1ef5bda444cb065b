"""Smaller copies of uploaded images ("renditions"), made once, when the image is saved.

Pages offer them to the browser in `srcset`, so a phone fetches a 400-pixel picture instead
of the 1600-pixel original. A page never opens an image file or asks the storage whether a
file exists: beside each image field, a JSON field records the renditions made from it
(storage name, width and height of each) and the name of the original they were made from.
Comparing that name with the field's is how `save()` notices a new, replaced or cleared
image; the renditions of the old one are deleted once the transaction commits.

Renditions are WebP: every browser in use shows it, and it is a quarter to a third smaller
than JPEG for the same look. The original stays the `<img src>`, for the rare browser without
`srcset` (which is also one without WebP). Widths never exceed the original's: a narrower
original gives fewer renditions, the largest at its own width.

    record = refresh(article.hero_image, article.hero_renditions, widths=WIDTHS)
    picture(article.hero_image, record, width=1600, height=900).srcset
    # "/media/articles/2026/m6-400w.webp 400w, /media/articles/2026/m6-800w.webp 800w, ..."
"""

import io
import posixpath
from dataclasses import dataclass
from functools import partial

from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image, ImageOps

# Cards are 360-720 CSS pixels wide and the hero up to 960: 400 and 800 serve 1x and 2x
# screens, 1200 a phone's 3x screen, 1600 the hero on a 2x screen.
WIDTHS = (400, 800, 1200, 1600)
# The author box shows portraits at 96 CSS pixels: 1x, 2x and 3x screens.
PORTRAIT_WIDTHS = (96, 192, 288)
QUALITY = 80

# Every image field that has renditions: (model, image field, record field, widths). The
# models' save(), the data migration and `build_renditions` all read this list.
FIELDS = (
    ("articles.Article", "hero_image", "hero_renditions", WIDTHS),
    ("articles.ArticleImage", "image", "image_renditions", WIDTHS),
    ("articles.Author", "photo", "photo_renditions", PORTRAIT_WIDTHS),
)


@dataclass(frozen=True)
class Picture:
    """What an `<img>` needs: the original as `src`, the renditions as `srcset`, and the
    dimensions that reserve its space before it loads."""

    src: str
    srcset: str
    width: int | None
    height: int | None


def picture(field_file, record: dict, *, width: int | None, height: int | None) -> Picture:
    """The `<img>` attributes of the image in `field_file`, from the stored record alone."""
    files = record.get("files", []) if record.get("source") == field_file.name else []
    srcset = ", ".join(f"{field_file.storage.url(f['name'])} {f['width']}w" for f in files)
    return Picture(src=field_file.url, srcset=srcset, width=width, height=height)


def describe(record: dict) -> str:
    """The renditions in words, for the admin: "400, 800 and 1600 pixels wide (WebP)"."""
    widths = [str(f["width"]) for f in record.get("files", [])]
    if not widths:
        return "The original only (smaller copies are made when the image is saved)"
    listed = ", ".join(widths[:-1]) + " and " + widths[-1] if len(widths) > 1 else widths[0]
    return f"{listed} pixels wide (WebP), beside the original"


def refresh(field_file, record: dict, *, widths: tuple[int, ...]) -> dict:
    """The record for the image now in `field_file`: `record` itself if it was made from this
    very file, else a new one (empty when the field is empty), the old renditions deleted
    once the transaction commits."""
    name = field_file.name or ""
    if record.get("source", "") == name:
        return record
    if name and not field_file._committed:
        # A fresh upload is stored under its final name first (as save() would a moment
        # later), so the renditions are named after it and the record points at it.
        field_file.save(name, field_file.file, save=False)
        name = field_file.name
    discard(field_file.storage, record)
    return make(field_file, widths=widths) if name else {}


def make(field_file, *, widths: tuple[int, ...]) -> dict:
    """Write the renditions of the stored image in `field_file` beside it; their record."""
    storage = field_file.storage
    with storage.open(field_file.name, "rb") as source, Image.open(source) as original:
        image = ImageOps.exif_transpose(original)
        image = image.convert("RGBA" if has_alpha(image) else "RGB")
        icc_profile = original.info.get("icc_profile")
    base = posixpath.splitext(field_file.name)[0]
    files = []
    for width in rendition_widths(image.width, widths):
        height = max(1, round(image.height * width / image.width))
        resized = image.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
        buffer = io.BytesIO()
        resized.save(buffer, "WEBP", quality=QUALITY, method=6, icc_profile=icc_profile)
        stored = storage.save(f"{base}-{width}w.webp", ContentFile(buffer.getvalue()))
        files.append({"name": stored, "width": width, "height": height})
    return {"source": field_file.name, "files": files}


def rendition_widths(original: int, widths: tuple[int, ...]) -> list[int]:
    """The widths narrower than the original, up to the largest, which is at most the
    original's own: never an enlargement."""
    largest = min(original, widths[-1])
    return [w for w in widths if w < largest] + [largest]


def has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info


def discard(storage, record: dict) -> None:
    """Delete the renditions in `record` once the current transaction commits (at once
    outside one): a rolled-back save keeps the files its rows still name."""
    if names := file_names(record):
        transaction.on_commit(partial(delete_files, storage, names))


def file_names(record: dict) -> list[str]:
    """The files of the renditions in `record`."""
    return [f["name"] for f in record.get("files", [])]


def delete_files(storage, names: list[str]) -> None:
    for name in names:
        storage.delete(name)


def build_missing(
    model, image_field: str, record_field: str, *, widths, force: bool = False
) -> tuple[int, list[str]]:
    """Make the renditions that rows of `model` lack (all of them again with `force`).

    Returns the number of images done and the names of originals that could not be read
    (missing from the storage or not an image), which are left without renditions rather
    than stopping a migration. Rows are written with update(), so nothing else changes.
    """
    done, unreadable = 0, []
    for row in model._default_manager.exclude(**{image_field: ""}).iterator():
        field_file = getattr(row, image_field)
        record = getattr(row, record_field)
        if record.get("source") == field_file.name and not force:
            continue
        try:
            new = make(field_file, widths=widths)
        except OSError:  # FileNotFoundError, and Pillow's UnidentifiedImageError
            unreadable.append(field_file.name)
            continue
        discard(field_file.storage, record)
        model._default_manager.filter(pk=row.pk).update(**{record_field: new})
        done += 1
    return done, unreadable
