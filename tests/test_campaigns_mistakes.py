"""The mistakes communications staff really make in a campaign file, each caught in plain Portuguese.

Each case changes the real campaign (a copy) as a person would, and checks the Portuguese message,
the line it points at (the line holding the mistake, not where the parser gave up) and, in the
slow end-to-end run, that `observatorio build` stops with exit status 1 and leaves `_site/`
byte-identical.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import copy_built, copy_project, tree_digest

from observatorio.campaigns import validate_all
from observatorio.cli import main
from observatorio.errors import UserError

CAMPAIGN = "campaigns/morabeza-para-todos/campaign.yml"
FOLDER = Path(CAMPAIGN).parent
HEADLINE_PT = 'pt: "Morabeza é para todos"\n      en: "Morabeza is for everyone"\n    body'
CTA_PT = 'pt: "Trate quem chega como gostaria de ser tratado."'


def replace(old: str, new: str):
    def change(root: Path) -> None:
        path = root / CAMPAIGN
        text = path.read_text(encoding="utf-8")
        assert old in text, old
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return change


def windows_1252(root: Path) -> None:
    path = root / CAMPAIGN
    path.write_bytes(path.read_text(encoding="utf-8").encode("cp1252", errors="replace"))


def big_photo(root: Path) -> None:
    (root / FOLDER / "foto.jpg").write_bytes(b"\xff\xd8\xff" + bytes(41_000_000))
    replace("file: ilustracao.svg", "file: foto.jpg")(root)


# (id, change, what the Portuguese message says, text on the line it points at, or None when it names no line)
CASES = [
    ("windows-1252", windows_1252, "não está guardado em UTF-8 (o carácter `ç`", "discriminação"),
    ("emoji", replace(HEADLINE_PT, HEADLINE_PT.replace("todos", "todos 🎉")),
     "não consegue desenhar: `🎉` (U+1F389", "para todos 🎉"),
    ("typed-number", replace("Trabalham, estudam", "Mais de 4000 trabalham, estudam"), "número escrito à mão (`4000`)", "Mais de 4000"),
    ("typed-percentage", replace("Trabalham, estudam", "Uns 3,5 % trabalham, estudam"), "número escrito à mão (`3,5`)", "Uns 3,5 %"),
    ("html", replace(CTA_PT, 'pt: "<b>Trate</b> quem chega."'), "tem HTML (`<b>`, `</b>`)", "<b>Trate</b>"),
    ("script", replace(CTA_PT, 'pt: "Trate quem chega <script>alert()</script>"'), "tem HTML (`<script>`", "<script>"),
    ("unquoted-colon", replace(CTA_PT, "pt: Atenção: todos contam."), "ponha o texto entre aspas: tem dois pontos", "Atenção: todos contam"),
    ("curly-quotes", replace(CTA_PT, "pt: “Atenção: todos contam.”"), "aspas curvas", "“Atenção"),
    ("tab", replace("    column: value\n    format: number\n    label:", "    column: value\n\tformat: number\n    label:"), "tabulação", "\tformat"),
    ("unquoted-hashtags", replace('pt: ["#MorabezaParaTodos", "#CaboVerde", "#Migrações"]', "pt: [#MorabezaParaTodos, #CaboVerde, #Migrações]"),
     "Ponha cada hashtag entre aspas", "[#MorabezaParaTodos"),
    ("hashtag-with-space", replace('"#CaboVerde", "#Migrações"]', '"#Cabo Verde", "#Migrações"]'), "'#Cabo Verde' não é uma hashtag", "#Cabo Verde"),
    ("impossible-date", replace("start: 2026-12-18", "start: 2026-13-18"), "`2026-13-18` não é uma data", "2026-13-18"),
    ("date-day-first", replace("start: 2026-12-18", "start: 18/12/2026"), "tem de ser uma data escrita AAAA-MM-DD (está '18/12/2026')", "18/12/2026"),
    ("end-before-start", replace("end: 2027-01-31", "end: 2026-01-31"), "é anterior à data de início 2026-12-18", "end: 2026-01-31"),
    ("unknown-field", replace("\npalette:", "\npaleta:"), "campo desconhecido `paleta`", "paleta:"),
    ("unknown-message-field", replace("    fact: immigrants_2024\n\n  - headline", "    facto: immigrants_2024\n\n  - headline"),
     "campo desconhecido `facto`. Uma mensagem tem", "facto:"),
    ("status-in-portuguese", replace("status: published", "status: publicado"), "tem de ser `draft` ou `published` (está 'publicado')", "status: publicado"),
    ("missing-translation", replace('      en: "Morabeza is for everyone"\n    body:', "    body:"), "falta. Escreva aqui o título (poucas palavras) em inglês (en)", "headline:"),
    ("missing-image", replace("file: ilustracao.svg", "file: nao-existe.svg"), "o ficheiro `nao-existe.svg` não está em campaigns/morabeza-para-todos/", "nao-existe.svg"),
    ("large-image", big_photo, "`foto.jpg` tem 41.0 MB; o limite é 40 MB", "foto.jpg"),
    ("image-without-credit", replace('    credit: "Observatório das Migrações de Cabo Verde"\n', ""), "falta. Escreva aqui quem fez a imagem", "- file: ilustracao.svg"),
    ("image-without-licence", replace('    licence: "CC BY 4.0, Observatório das Migrações de Cabo Verde"\n', ""), "falta. Escreva aqui a licença", "- file: ilustracao.svg"),
    ("low-contrast", replace('text: "#ffffff"', 'text: "#1a3a8f"'), "tem um contraste de 1.", 'text: "#1a3a8f"'),
    ("colour-by-name", replace('accent: "#f7d116"', "accent: amarelo"), "tem de ser uma cor escrita #RRGGBB entre aspas (está 'amarelo')", "accent: amarelo"),
    ("long-headline", replace(HEADLINE_PT, HEADLINE_PT.replace("Morabeza é para todos", "Morabeza é para todos, " * 6)),
     "demasiado comprido para o cartão 1080×1080", "Morabeza é para todos, Morabeza"),
    ("unknown-fact", replace("{immigrants_2024} pessoas", "{imigrantes_2024} pessoas"), "`{imigrantes_2024}` não é um facto desta campanha", "{imigrantes_2024}"),
    ("unknown-message-fact", replace("    fact: immigrants_2024\n", "    fact: imigrantes\n"), "`imigrantes` não é um facto desta campanha", "fact: imigrantes"),
    ("unknown-dataset", replace("dataset: immigrant_stock\n", "dataset: imigrantes\n"), "não há nenhum conjunto de dados chamado `imigrantes`", "dataset: imigrantes"),
    ("text-starting-with-at", replace(CTA_PT, "pt: @observatorio trate bem quem chega."), "não pode começar por `@` sem aspas", "@observatorio"),
]


def changed_lines(root: Path) -> list[str]:
    data = (root / CAMPAIGN).read_bytes()
    try:
        return data.decode("utf-8").splitlines()
    except UnicodeDecodeError:
        return data.decode("cp1252").splitlines()


def check_message(text: str, lines: list[str], expected: str, marker: str | None) -> None:
    assert expected in text, text
    assert "Traceback" not in text
    if marker is None:
        return
    found = re.search(re.escape(CAMPAIGN) + r", linha (\d+):", text)
    assert found, text
    assert marker in lines[int(found.group(1)) - 1], (lines[int(found.group(1)) - 1], text)


def test_the_matrix_covers_at_least_twenty_five_mistakes():
    assert len(CASES) >= 25 and len({c[0] for c in CASES}) == len(CASES)


@pytest.fixture(scope="module")
def campaign_project(tmp_path_factory):
    return copy_project(tmp_path_factory.mktemp("mistakes") / "project", parts=("data", "site", "mkdocs.yml", "campaigns"))


@pytest.mark.parametrize("case, change, expected, marker", CASES, ids=[c[0] for c in CASES])
def test_each_mistake_is_named_in_portuguese_at_its_line(campaign_project, case, change, expected, marker):
    root = campaign_project
    saved = {p: p.read_bytes() for p in (root / FOLDER).iterdir()}
    try:
        change(root)
        lines = changed_lines(root)
        with pytest.raises(UserError) as info:
            validate_all(root)
    finally:
        for extra in set((root / FOLDER).iterdir()) - set(saved):
            extra.unlink()
        for path, content in saved.items():
            path.write_bytes(content)
    check_message(str(info.value), lines, expected, marker)


@pytest.fixture(scope="module")
def own_built(built_site, tmp_path_factory):
    """A copy of the shared build of its own: the cases edit its sources (tests on other workers read the shared one)."""
    root = copy_built(built_site, tmp_path_factory.mktemp("mistakes") / "project")
    return root, root / "_site"


@pytest.mark.slow
@pytest.mark.parametrize("case, change, expected, marker", CASES, ids=[c[0] for c in CASES])
def test_each_mistake_stops_the_build_and_keeps_the_site(own_built, case, change, expected, marker):
    root, site = own_built
    before = tree_digest(site)
    saved = {p: p.read_bytes() for p in (root / FOLDER).iterdir()}
    try:
        change(root)
        lines = changed_lines(root)
        result = CliRunner().invoke(main, ["--root", str(root), "build"])
    finally:
        for extra in set((root / FOLDER).iterdir()) - set(saved):
            extra.unlink()
        for path, content in saved.items():
            path.write_bytes(content)
    assert result.exit_code == 1, f"{case}: exit {result.exit_code}\n{result.output}\n{result.exception!r}"
    check_message(result.output, lines, expected, marker)
    assert tree_digest(site) == before
