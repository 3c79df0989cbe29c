"""What a campaign build writes: pixel sizes, page sizes, the press kit, the pages, drafts, cache."""

from __future__ import annotations

import io
import shutil
import struct
import zipfile
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from observatorio.campaigns import write_pages

REPO = Path(__file__).resolve().parents[1]
FIXTURE = REPO / "tests" / "fixtures" / "campaigns" / "synthetic-project"
SLUG = "synthetic-campaign"
MM = 72 / 25.4


def make_project(tmp_path: Path) -> Path:
    """The synthetic project, plus the repository's real UI strings and logo."""
    root = tmp_path / "project"
    shutil.copytree(FIXTURE, root)
    (root / "site" / "i18n").mkdir(parents=True)
    for name in ("pt.yml", "en.yml"):
        shutil.copy(REPO / "site" / "i18n" / name, root / "site" / "i18n" / name)
    (root / "site" / "assets" / "images").mkdir(parents=True)
    shutil.copy(REPO / "site" / "assets" / "images" / "logo.svg", root / "site" / "assets" / "images" / "logo.svg")
    return root


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("campaign")
    root = make_project(tmp)
    docs = tmp / "docs"
    report = write_pages(root, docs)
    return root, docs, report


def folder(docs: Path) -> Path:
    return docs / "campanhas" / SLUG


@pytest.mark.parametrize("lang", ["pt", "en"])
@pytest.mark.parametrize("message", [1, 2])
@pytest.mark.parametrize("size", [(1080, 1080), (1200, 630), (1080, 1920)])
def test_cards_have_exact_pixel_sizes(built, lang, message, size):
    _, docs, _ = built
    path = folder(docs) / f"{SLUG}-card-{message}-{size[0]}x{size[1]}-{lang}.png"
    assert png_size(path.read_bytes()) == size


@pytest.mark.parametrize("lang", ["pt", "en"])
@pytest.mark.parametrize("paper, mm", [("a4", (210, 297)), ("a3", (297, 420))])
def test_posters_are_single_page_pdfs_of_exact_paper_size(built, lang, paper, mm):
    _, docs, _ = built
    reader = PdfReader(folder(docs) / f"{SLUG}-poster-{paper}-{lang}.pdf")
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert float(box.width) == pytest.approx(mm[0] * MM, abs=0.05)
    assert float(box.height) == pytest.approx(mm[1] * MM, abs=0.05)
    assert reader.metadata.title == ("Campanha sintética de teste" if lang == "pt" else "Synthetic test campaign")
    preview = png_size((folder(docs) / f"{SLUG}-poster-{paper}-{lang}.png").read_bytes())
    assert preview == (round(mm[0] * MM * 96 / 72), round(mm[1] * MM * 96 / 72))


def test_posters_embed_the_font_and_keep_the_diacritics(built):
    _, docs, _ = built
    reader = PdfReader(folder(docs) / f"{SLUG}-poster-a4-pt.pdf")
    page = reader.pages[0]
    fonts = {str(f["/BaseFont"]) for f in page["/Resources"]["/Font"].values()}
    assert any("SourceSansPro" in f for f in fonts), fonts
    for font in page["/Resources"]["/Font"].values():
        descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"] if "/DescendantFonts" in font else font["/FontDescriptor"]
        assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), "font not embedded"
    text = "".join(page.extract_text().split())  # no spaces or line breaks (pypdf's spacing varies)
    for word in ("Ação", "coração", "São Tomé", "Põe", "13 579", "2,5 %"):
        assert "".join(word.split()) in text, word


@pytest.mark.parametrize("lang", ["pt", "en"])
def test_press_kit_contents(built, lang):
    _, docs, _ = built
    captions = "legendas-pt.txt" if lang == "pt" else "captions-en.txt"
    data = (folder(docs) / f"{SLUG}-press-kit-{lang}.zip").read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        expected = sorted(
            [f"{SLUG}/{SLUG}-card-{m}-{s}-{lang}.png" for m in (1, 2) for s in ("1080x1080", "1200x630", "1080x1920")]
            + [f"{SLUG}/{SLUG}-poster-{p}-{lang}.{e}" for p in ("a4", "a3") for e in ("pdf", "png")]
            + [f"{SLUG}/synthetic.svg", f"{SLUG}/{captions}", f"{SLUG}/{SLUG}-posts-{lang}.csv", f"{SLUG}/logo.svg"]
            + [f"{SLUG}/{SLUG}-{'comunicado-de-imprensa' if lang == 'pt' else 'press-release'}-{lang}.{e}" for e in ("pdf", "txt")]
        )
        assert names == expected  # sorted, nothing else (no other language)
        assert all(info.date_time == (1980, 1, 1, 0, 0, 0) for info in archive.infolist())
        for name in names:
            if name.endswith(".png"):
                assert png_size(archive.read(name))[0] in (1080, 1200, 794, 1123)
        text = archive.read(f"{SLUG}/{captions}").decode("utf-8")
    if lang == "pt":
        assert "Cartão da campanha «Campanha sintética de teste»: Ação e coração em São Tomé. 13\u00a0579 pessoas sintéticas em 2024." in text
        assert "Um quadrado amarelo sintético." in text and "Licença: CC BY 4.0, synthetic test image" in text
        for network in ("[Instagram (cartão 1080×1080)]", "[Facebook (cartão 1200×630)]", "[X (cartão 1200×630, até 280 caracteres)]", "[LinkedIn (cartão 1200×630)]", "Stories do Instagram"):
            assert network in text
        assert "https://example.org/campanhas/synthetic-campaign/" in text
        assert "Fonte: Synthetic Statistics Office, Synthetic Migrant Stock 2024 (Table 1) (2024). https://example.org/stock" in text
    else:
        assert "Card of the campaign “Synthetic test campaign”: A synthetic headline. 13,579 synthetic people in 2024." in text
        assert "https://example.org/en/campanhas/synthetic-campaign/" in text
        assert "#Synthetic #Test" in text
    for card in [n.split("/")[-1] for n in names if "-card-" in n]:
        assert card in text  # every card has its alt text


def test_pages_and_listing(built):
    _, docs, _ = built
    pt = (folder(docs) / "index.md").read_text(encoding="utf-8")
    en = (folder(docs) / "index.en.md").read_text(encoding="utf-8")
    assert pt.startswith('---\ntitle: "Campanha sintética de teste"\n')
    assert en.startswith('---\ntitle: "Synthetic test campaign"\n')
    assert "Viviam 13\u00a0579 pessoas sintéticas, 2,5\u00a0% da população." in pt
    assert "13,579 synthetic people lived here, 2.5% of the population." in en
    assert "Fonte: [Synthetic Statistics Office, Synthetic Migrant Stock 2024 (Table 1) (2024)](https://example.org/stock)" in pt
    assert f"[{SLUG}-press-kit-pt.zip]({SLUG}-press-kit-pt.zip)" in pt
    assert f"({SLUG}-poster-a3-en.pdf)" in en and f"({SLUG}-card-2-1080x1920-en.png)" in en
    assert "&#35;Sintético &#35;Teste" in pt  # hashtags never become headings
    for name in [line.split("](")[1].split(")")[0] for line in pt.splitlines() if "](" in line and "http" not in line]:
        assert (folder(docs) / name).is_file(), name  # every local link points at a written file
    listing = (docs / "campanhas" / "index.md").read_text(encoding="utf-8")
    assert f"## [Campanha sintética de teste]({SLUG}/index.md)" in listing
    listing_en = (docs / "campanhas" / "index.en.md").read_text(encoding="utf-8")
    assert f"## [Synthetic test campaign]({SLUG}/index.en.md)" in listing_en


def test_report_and_cache(built):
    root, docs, report = built
    assert report == [f"campaign {SLUG}: rendered 31 files (first build)"]
    assert write_pages(root, docs) == [f"campaign {SLUG}: unchanged, 31 files from the cache"]


def test_a_change_rerenders_and_says_why(tmp_path):
    root = make_project(tmp_path)
    docs = tmp_path / "docs"
    write_pages(root, docs)
    path = root / "campaigns" / SLUG / "campaign.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("Leia mais.", "Leia tudo."), encoding="utf-8")
    assert write_pages(root, docs) == [f"campaign {SLUG}: rendered 31 files (changed: campaigns/{SLUG}/campaign.yml)"]


def test_rebuilds_are_byte_identical(tmp_path):
    root = make_project(tmp_path)
    first, second = tmp_path / "one", tmp_path / "two"
    write_pages(root, first)
    shutil.rmtree(root / "build")  # no cache: render everything again
    write_pages(root, second)
    names = sorted(p.name for p in (first / "campanhas" / SLUG).iterdir())
    assert names == sorted(p.name for p in (second / "campanhas" / SLUG).iterdir())
    for name in names:
        assert (first / "campanhas" / SLUG / name).read_bytes() == (second / "campanhas" / SLUG / name).read_bytes(), name


def _make_draft(root: Path) -> None:
    path = root / "campaigns" / SLUG / "campaign.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["status"] = "draft"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_drafts_are_not_built_for_the_public_site(tmp_path):
    root = make_project(tmp_path)
    docs = tmp_path / "docs"
    write_pages(root, docs)  # published first
    _make_draft(root)
    report = write_pages(root, docs)
    assert f"campaign {SLUG}: draft, not built (drafts appear only in the preview)" in report
    assert f"campaign {SLUG}: removed from the site (draft or deleted)" in report
    assert not (docs / "campanhas" / SLUG).exists()
    listing = (docs / "campanhas" / "index.md").read_text(encoding="utf-8")
    assert SLUG not in listing and "Ainda não há campanhas publicadas." in listing


def test_drafts_build_for_preview_but_are_not_listed(tmp_path):
    root = make_project(tmp_path)
    _make_draft(root)
    docs = tmp_path / "docs"
    report = write_pages(root, docs, preview=True)
    assert report == [f"campaign {SLUG} (draft, preview only): rendered 31 files (first build)"]
    page = (docs / "campanhas" / SLUG / "index.md").read_text(encoding="utf-8")
    assert "search:\n  exclude: true" in page and "Rascunho: esta campanha não está publicada." in page
    assert SLUG not in (docs / "campanhas" / "index.md").read_text(encoding="utf-8")
    assert SLUG not in (docs / "campanhas" / "index.en.md").read_text(encoding="utf-8")


def test_a_broken_draft_does_not_block_the_public_build_but_is_reported_elsewhere(tmp_path):
    from observatorio.campaigns import validate_all
    from observatorio.errors import UserError

    root = make_project(tmp_path)
    draft = root / "campaigns" / "rascunho-partido"
    draft.mkdir()
    (draft / "campaign.yml").write_text("status: draft\nname: {pt: Rascunho}\n", encoding="utf-8")
    report = write_pages(root, tmp_path / "docs")
    assert "campaign rascunho-partido: draft, not built (drafts appear only in the preview)" in report
    with pytest.raises(UserError, match=r"campaigns/rascunho-partido/campaign.yml, linha 2: name.en: falta"):
        validate_all(root)
    with pytest.raises(UserError, match=r"rascunho-partido"):
        write_pages(root, tmp_path / "preview", preview=True)


def test_listing_shows_a_card_of_each_published_campaign(built):
    _, docs, _ = built
    listing = (docs / "campanhas" / "index.en.md").read_text(encoding="utf-8")
    assert f"]({SLUG}/{SLUG}-card-1-web-en.png){{ width=\"240\" height=\"240\" loading=\"eager\" fetchpriority=\"high\"" in listing


@pytest.mark.parametrize("lang", ["pt", "en"])
def test_pages_show_web_sized_cards_linked_to_the_full_size_ones(built, lang):
    """A phone shows a card at about 360 px: the page loads a 720 px copy and links to the 1080 px card."""
    _, docs, _ = built
    page = (folder(docs) / ("index.md" if lang == "pt" else "index.en.md")).read_text(encoding="utf-8")
    for message in (1, 2):
        web = folder(docs) / f"{SLUG}-card-{message}-web-{lang}.png"
        assert png_size(web.read_bytes()) == (720, 720)
        assert web.stat().st_size < (folder(docs) / f"{SLUG}-card-{message}-1080x1080-{lang}.png").stat().st_size / 2
        loading = 'loading="eager" fetchpriority="high"' if message == 1 else 'loading="lazy"'
        assert f"]({web.name}){{ width=\"360\" height=\"360\" {loading} .campaign-card }}]({SLUG}-card-{message}-1080x1080-{lang}.png)" in page
    with zipfile.ZipFile(folder(docs) / f"{SLUG}-press-kit-{lang}.zip") as archive:
        assert not [name for name in archive.namelist() if "-web-" in name]  # the kit holds the full-size cards only


@pytest.mark.parametrize("lang", ["pt", "en"])
def test_suggested_posts_are_whole_sentences_in_one_csv(built, lang):
    import csv

    from observatorio.campaigns.presskit import NETWORKS, POST_LIMITS

    _, docs, _ = built
    with zipfile.ZipFile(io.BytesIO((folder(docs) / f"{SLUG}-press-kit-{lang}.zip").read_bytes())) as archive:
        raw = archive.read(f"{SLUG}/{SLUG}-posts-{lang}.csv").decode("utf-8")
        names = archive.namelist()
    assert raw.startswith("\ufeffnetwork,message,language,text,image,link,characters,limit\r\n")
    rows = list(csv.DictReader(io.StringIO(raw.lstrip("\ufeff"))))
    assert [(r["network"], r["message"]) for r in rows] == [(n, str(m)) for m in (1, 2) for n in NETWORKS]
    for row in rows:
        assert f"{SLUG}/{row['image']}" in names and row["language"] == lang
        assert int(row["characters"]) <= POST_LIMITS[row["network"]] == int(row["limit"])
        assert row["link"] in row["text"] or row["network"] == "stories"
    x = next(r["text"] for r in rows if r["network"] == "x")
    if lang == "en":
        assert x.startswith("A synthetic headline. ")  # the headline ends as a sentence before the call to action
        assert x.endswith("#Synthetic #Test")


def test_press_release_pdf_and_text_with_the_press_contact(built):
    _, docs, _ = built
    with zipfile.ZipFile(io.BytesIO((folder(docs) / f"{SLUG}-press-kit-pt.zip").read_bytes())) as archive:
        pdf = PdfReader(io.BytesIO(archive.read(f"{SLUG}/{SLUG}-comunicado-de-imprensa-pt.pdf")))
        text = archive.read(f"{SLUG}/{SLUG}-comunicado-de-imprensa-pt.txt").decode("utf-8")
        captions = archive.read(f"{SLUG}/legendas-pt.txt").decode("utf-8")
    printed = " ".join(page.extract_text() for page in pdf.pages)
    for content in (printed, text):
        assert "Comunicado de imprensa" in content.replace("COMUNICADO DE IMPRENSA", "Comunicado de imprensa")
        assert "com 13\u00a0579 pessoas sintéticas" in content.replace(" 579", "\u00a0579")
        assert "Synthetic Press Officer" in content and "press@example.org" in content
    assert "Segundo parágrafo sintético: ação e coração." in text
    assert "== Contacto para a imprensa ==\n\nSynthetic Press Officer\npress@example.org\n+238 000 0000" in captions


@pytest.mark.parametrize("lang, dates", [("pt", "De18dedezembrode2026a31dejaneirode2027"), ("en", "From18December2026to31January2027")])
def test_posters_carry_the_dates_and_a_qr_code_of_the_page(built, lang, dates):
    root, docs, _ = built
    for paper in ("a4", "a3"):
        page = PdfReader(folder(docs) / f"{SLUG}-poster-{paper}-{lang}.pdf").pages[0]
        text = "".join(page.extract_text().split())
        assert dates in text
        assert "example.org" in text
    from observatorio.campaigns.qr import qr_svg
    from observatorio.campaigns.render import poster_item
    from observatorio.campaigns.validation import check_all, contexts

    ctx = next(c for c in contexts(root, check_all(root)[0]) if c.lang == lang)
    assert ctx.url == "https://example.org/" + ("" if lang == "pt" else "en/") + f"campanhas/{SLUG}/"
    qr = poster_item(ctx, "a4")["qr"]
    assert qr == qr_svg(ctx.url) and qr.startswith("<svg") and 'fill="#fff"' in qr  # the page in the poster's language, on white


@pytest.mark.parametrize("size", ["1080x1080", "1200x630", "1080x1920"])
def test_cards_show_the_campaign_image_in_the_room_the_texts_leave(built, size):
    from PIL import Image

    _, docs, _ = built
    with Image.open(folder(docs) / f"{SLUG}-card-2-{size}-pt.png") as card:
        counts = {colour: n for n, colour in card.convert("RGB").getcolors(maxcolors=1 << 24)}
        yellow = counts.get((0xF7, 0xD1, 0x16), 0) / (card.width * card.height)
    assert yellow > 0.015  # the synthetic image is a solid yellow square; the accent texts alone cover far less
    with zipfile.ZipFile(folder(docs) / f"{SLUG}-press-kit-pt.zip") as archive:
        captions = archive.read(f"{SLUG}/legendas-pt.txt").decode("utf-8")
    card_alt = captions.split(f"{SLUG}-card-2-{size}-pt.png\n", 1)[1].split("\n", 1)[0]
    assert "Um quadrado amarelo sintético." in card_alt  # the alt text says what the image shows


@pytest.mark.parametrize("lang", ["pt", "en"])
def test_link_previews_use_the_first_message_s_1200_by_630_card(built, lang):
    _, docs, _ = built
    page = (folder(docs) / ("index.md" if lang == "pt" else "index.en.md")).read_text(encoding="utf-8")
    meta = yaml.safe_load(page.split("---", 2)[1])
    name = f"{SLUG}-card-1-1200x630-{lang}.png"
    assert meta["social"]["image"].endswith(f"/campanhas/{SLUG}/{name}")
    assert png_size((folder(docs) / name).read_bytes()) == (1200, 630)
    assert meta["social"]["alt"]


def test_a_drafts_folder_name_is_not_on_the_translation_status_page(tmp_path):
    from observatorio.i18n import languages
    from observatorio.translations import status_page

    root = make_project(tmp_path)
    assert SLUG in status_page(root, languages(root)[0])  # a published campaign is listed
    _make_draft(root)
    for lang in languages(root):
        assert SLUG not in status_page(root, lang)
