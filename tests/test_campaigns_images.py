"""A camera-sized synthetic photo: resized and compressed for the page, the posters and the press kit."""

from __future__ import annotations

import io
import zipfile

import pytest
import yaml
from PIL import Image
from test_campaigns_outputs import SLUG, folder, make_project
from test_campaigns_validation import CAMPAIGN, edit, problems

from observatorio.campaigns import write_pages

PHOTO = "synthetic-photo.jpg"


def synthetic_photo(width: int = 4000, height: int = 3000) -> bytes:
    """A noisy 12 MP JPEG at quality 97 (about 13 MB), with a camera orientation tag and GPS-like metadata."""
    noise = Image.effect_noise((width, height), 60)
    picture = Image.merge("RGB", [noise, Image.linear_gradient("L").resize((width, height)), noise])
    exif = Image.Exif()
    exif[0x0112] = 6  # rotated: the camera was held upright
    exif[0x010F] = "Synthetic camera"
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=97, exif=exif)
    return buffer.getvalue()


def add_photo(root, data: bytes) -> None:
    (root / "campaigns" / SLUG / PHOTO).write_bytes(data)
    photo = {
        "file": PHOTO,
        "alt": {"pt": "Fotografia sintética de ruído.", "en": "A synthetic photo of noise."},
        "licence": "CC0, synthetic test image",
        "credit": "Synthetic test image",
    }
    edit(root, lambda d: d["images"].insert(0, photo))


@pytest.fixture(scope="module")
def photo_build(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("photo")
    root = make_project(tmp)
    original = synthetic_photo()
    assert len(original) > 10_000_000
    add_photo(root, original)
    docs = tmp / "docs"
    write_pages(root, docs)
    return root, docs, original


@pytest.mark.slow
def test_the_page_gets_a_web_sized_copy_without_metadata(photo_build):
    _, docs, _ = photo_build
    data = (folder(docs) / PHOTO).read_bytes()
    assert len(data) < 800_000
    with Image.open(io.BytesIO(data)) as web:
        assert web.size == (1200, 1600)  # turned upright, 1600 px on the long side
        assert not web.getexif()


@pytest.mark.slow
def test_posters_and_press_kit_stay_small(photo_build):
    _, docs, original = photo_build
    for paper in ("a4", "a3"):
        assert (folder(docs) / f"{SLUG}-poster-{paper}-pt.pdf").stat().st_size < 4_000_000
    kit = (folder(docs) / f"{SLUG}-press-kit-pt.zip").read_bytes()
    assert len(kit) < len(original)  # the photo as it was, in the kit and both posters, made 3 × 13 MB
    with zipfile.ZipFile(io.BytesIO(kit)) as archive, Image.open(archive.open(f"{SLUG}/{PHOTO}")) as printed:
        assert printed.size == (2250, 3000)


def test_a_photo_over_the_limit_is_refused(tmp_path):
    root = make_project(tmp_path)
    add_photo(root, synthetic_photo(1200, 900))
    config = root / "mkdocs.yml"
    data = yaml.safe_load(config.read_text(encoding="utf-8")) if config.is_file() else {}
    data.setdefault("extra", {}).setdefault("observatorio", {})["settings"] = {"campaigns.image_web_kb": 50}
    config.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    text = problems(root)
    assert "images[0].file: `synthetic-photo.jpg` still takes" in text and "the budget is 50 KB" in text


def test_a_file_that_is_not_an_image_is_refused(tmp_path):
    root = make_project(tmp_path)
    add_photo(root, b"not a photo")
    text = problems(root)
    assert f"{CAMPAIGN}, line" in text and "images[0].file: `synthetic-photo.jpg` cannot be read as an image" in text
