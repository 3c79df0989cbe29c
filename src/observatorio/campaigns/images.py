"""A campaign's photos, resized and compressed for each use, within a size budget.

A photo straight from a camera (11.6 MB, 6000 px) would otherwise be published as it is: in the
page, in every poster and in the press kit. Each use gets its own copy:
- `web`: the campaign page (`campaigns.image_web_px` on the long side);
- `print`: posters and the press kit (`campaigns.image_print_px`: an A3 poster's image at 300 dpi).
Copies keep the file's format (JPEG stays JPEG, PNG stays PNG), are turned upright from the
camera's orientation tag and carry no metadata (no camera, date or GPS position).
SVG drawings are used as they are. Copies are cached under `build/campaigns/<slug>/images/`.
"""

from __future__ import annotations

import functools
import io
from pathlib import Path

from .. import settings, steps
from .model import Campaign, Image, Problem, Reader

USES = {"web": "campaigns.image_web_px", "print": "campaigns.image_print_px"}
BUDGETS = {"web": "campaigns.image_web_kb", "print": "campaigns.image_print_kb"}
RASTER = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG"}
JPEG_QUALITY = 82


def is_raster(image: Image) -> bool:
    return Path(image.file).suffix.lower() in RASTER


def resized(data: bytes, suffix: str, longest: int) -> bytes:
    """`data` at most `longest` pixels on its long side, upright, without metadata, compressed."""
    from PIL import Image as Pil
    from PIL import ImageOps

    with Pil.open(io.BytesIO(data)) as original:
        picture = ImageOps.exif_transpose(original)
        picture.thumbnail((longest, longest), Pil.Resampling.LANCZOS)
        buffer = io.BytesIO()
        if RASTER[suffix] == "JPEG":
            picture.convert("RGB").save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
        else:
            picture.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def copy_path(root: Path, campaign: Campaign, image: Image, use: str) -> Path:
    """The file to use for `image` in `use` (relative to the project): the original SVG, or a cached copy."""
    source = campaign.folder / image.file
    if not is_raster(image):
        return source.relative_to(root)
    suffix = source.suffix.lower()
    longest = settings.get(root, USES[use])
    data = source.read_bytes()
    key = steps.checksum(data, use, longest, JPEG_QUALITY)[:16]
    target = root / "build" / "campaigns" / campaign.slug / "images" / f"{Path(image.file).stem}-{use}-{key}{suffix}"
    if not target.is_file():
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(".tmp")
        tmp.write_bytes(resized(data, suffix, longest))
        tmp.replace(target)
    return target.relative_to(root)


def copy_bytes(root: Path, campaign: Campaign, image: Image, use: str) -> bytes:
    return (root / copy_path(root, campaign, image, use)).read_bytes()


@functools.lru_cache(maxsize=16)
def _copy_size(data_hash: str, path: Path, suffix: str, longest: int) -> int:
    return len(resized(path.read_bytes(), suffix, longest))


def copy_size(root: Path, campaign: Campaign, image: Image, use: str) -> int:
    """Bytes the copy for `use` will take, computed in memory (checks write nothing), kept for the next preview rebuild."""
    path = campaign.folder / image.file
    digest = steps.checksum(path.read_bytes())
    return _copy_size(digest, path, path.suffix.lower(), settings.get(root, USES[use]))


def check_images(root: Path, campaign: Campaign) -> list[Problem]:
    """Each photo opens, is not larger than the source limit, and its copies fit their budgets.

    A photo that fails is dropped from `campaign.images` (like a missing file), so that the layout
    checks that follow never try to draw it; its problem stops the build anyway.
    """
    from PIL import Image as Pil
    from PIL import UnidentifiedImageError

    r = Reader.of(campaign)
    limit = settings.get(root, "campaigns.image_max_mb")
    bad = []
    for image in campaign.images:
        if not is_raster(image):
            continue
        path = f"images[{image.index}].file"
        size = (campaign.folder / image.file).stat().st_size
        if size > limit * 1_000_000:
            r.add(path, "image_too_large", name=image.file, mb=f"{size / 1e6:.1f}", limit=limit)
            bad.append(image)
            continue
        try:
            with Pil.open(campaign.folder / image.file) as opened:
                opened.verify()
        except (UnidentifiedImageError, OSError, Pil.DecompressionBombError) as exc:
            r.add(path, "image_unreadable", name=image.file, error=exc)
            bad.append(image)
            continue
        for use, budget in BUDGETS.items():
            kb = copy_size(root, campaign, image, use) / 1000
            allowed = settings.get(root, budget)
            if kb > allowed:
                px = settings.get(root, USES[use])
                r.add(path, "image_budget", name=image.file, kb=f"{kb:.0f}", px=px, use=use, allowed=allowed)
    campaign.images = [image for image in campaign.images if image not in bad]
    return r.problems
