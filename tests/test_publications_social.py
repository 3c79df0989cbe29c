"""Social cards: the key figure a page marks, and the PNG's exact size."""

from __future__ import annotations

import struct

from observatorio.publications.social import HEIGHT, WIDTH, Cards, key_figure


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_key_figure_is_the_marked_value_and_its_sentence():
    page = (
        "<p>Intro.</p>\n<ul>\n<li>Primeira frase. Em 2024 valiam <strong><span class=\"key-figure\">12,3 %</span> do PIB</strong> "
        "<span class=\"citation\" data-cites=\"wdi\">(Banco Mundial 2026)</span> (<a href=\"#fig-x\">Figura 1</a>). Outra frase.</li>\n</ul>"
    )
    figure = key_figure(page)
    assert figure.value == "12,3 %"
    assert figure.label == "Em 2024 valiam 12,3 % do PIB."


def test_no_key_figure():
    assert key_figure("<p>Sem número marcado.</p>") is None


def test_card_is_exactly_1200_by_630():
    data = {"org": "Observatório das Migrações de Cabo Verde", "kind": "Nota de política",
            "title": "Um título bastante longo para ver se a composição aguenta duas ou três linhas sem sair do cartão",
            "value": "16 515", "label": "Imigrantes a viver em Cabo Verde em 2024 (dados sintéticos de teste).",
            "date": "28 de novembro de 2026", "site": "observatorio-migracoes.cv", "lang": "pt"}
    cards = Cards()
    assert png_size(cards.render("teste", data)) == (WIDTH, HEIGHT) == (1200, 630)
    assert png_size(cards.render("teste", {**data, "value": "", "label": ""})) == (1200, 630)
