"""One search index per language, with accent-free spellings so "imigracao" finds "imigração".

mkdocs-static-i18n writes a single index with every language's pages; this module splits it
into `/search/search_index.json` (default language) and `/<code>/search/search_index.json`, and
adds a `folded` field holding each page's words without diacritics.

Material adds a trailing wildcard to every query word, so a stop word such as "de" would match
"declaração" as a prefix, and lunr's stop word filter never sees wildcard words. So each
language's stop words are made part of the tokenizer's `separator`: they are neither indexed
nor searched, in page text and in queries alike.

Words are stemmed with the Lunr stemmer of the page's language that Material bundles
(`lunr.<code>.min.js`, served by the site itself). Lunr does not stem wildcard words, so the pages
run Material's worker through `assets/javascripts/workers/search-stemmed.js` (`use_stemming_worker`),
which indexes each word beside its stem and searches each query word both as typed and as its stem.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

from .errors import UserError
from .i18n import Language

WORD = re.compile(r"\w+", re.UNICODE)
TAG = re.compile(r"<[^>]+>")

# Short function words that prefix-match content words ("de" -> "declaração", "in" -> "income").
STOP_WORDS = {
    "pt": ("a", "à", "ao", "aos", "as", "às", "com", "da", "das", "de", "do", "dos", "e", "é", "em", "na", "nas",
           "no", "nos", "o", "os", "ou", "para", "pela", "pelas", "pelo", "pelos", "por", "que", "se", "um", "uma"),
    "en": ("a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "is", "it", "of", "on", "or",
           "the", "to", "with"),
}
# Generic words of country names ("Países Baixos"): left out of the profiles' search names, which
# weigh a thousand times a title, so that "principal país de origem" finds publications and data
# before the Netherlands. The profile's title still holds the whole name.
GENERIC_IN_NAMES = frozenset({"país", "países", "country", "countries"})
SEPARATOR = r"[\s\-]+"  # Material's default
LETTER = "0-9A-Za-zÀ-ÖØ-öø-ÿ"


def separator(code: str) -> str:
    """Material's separator plus the language's stop words as whole words, in any letter case.

    Material compiles it without flags, so case is spelled out per letter ("[dD][eE]").
    """
    words = "|".join("".join(f"[{c.lower()}{c.upper()}]" for c in word) for word in sorted(STOP_WORDS.get(code, ()), key=len, reverse=True))
    return f"{SEPARATOR}|(?<![{LETTER}])(?:{words})(?![{LETTER}])" if words else SEPARATOR


def stems_in_browser(code: str) -> bool:
    """Whether Material bundles a Lunr stemmer for `code` (English is built into Lunr)."""
    from material import templates

    return code == "en" or (Path(templates.__file__).parent / "assets" / "javascripts" / "lunr" / "min" / f"lunr.{code}.min.js").is_file()


def search_names(tags: list[str]) -> list[str]:
    """A profile's search names without the generic words of country names."""
    kept = (" ".join(w for w in tag.split() if w.lower() not in GENERIC_IN_NAMES) for tag in tags)
    return [tag for tag in dict.fromkeys(kept) if tag]


def fold(text: str) -> str:
    """`text` without diacritics: "Imigração" -> "Imigracao"."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def folded_words(*texts: str) -> str:
    """The distinct words of `texts` that change when folded, folded, in first-seen order."""
    seen: dict[str, None] = {}
    for text in texts:
        for word in WORD.findall(TAG.sub(" ", text or "")):
            plain = fold(word)
            if plain != word:
                seen.setdefault(plain.lower(), None)
    return " ".join(seen)


def split_by_language(site_dir: Path, langs: tuple[Language, ...]) -> None:
    path = site_dir / "search" / "search_index.json"
    index = json.loads(path.read_text(encoding="utf-8"))
    prefixes = [lang.prefix() for lang in langs if not lang.default]
    for lang in langs:
        prefix = lang.prefix()
        docs = []
        for doc in index["docs"]:
            location = doc["location"]
            if lang.default and any(location.startswith(p) for p in prefixes):
                continue
            if not lang.default and not location.startswith(prefix):
                continue
            entry = {**doc, "location": location[len(prefix):], "folded": folded_words(doc.get("title", ""), doc.get("text", ""))}
            if "tags" in doc:
                entry["tags"] = search_names(doc["tags"])
            docs.append(entry)
        pipeline = ["stopWordFilter", "stemmer"] if stems_in_browser(lang.code) else ["stopWordFilter"]
        config = {**index["config"], "lang": [lang.code], "separator": separator(lang.code), "pipeline": pipeline,
                  "fields": {**index["config"]["fields"], "folded": {"boost": 1.0}}}
        _write(language_index(site_dir, lang), {"config": config, "docs": docs})


def language_index(site_dir: Path, lang: Language) -> Path:
    return site_dir / lang.prefix() / "search" / "search_index.json"


def _write(target: Path, index: dict) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def read_languages(site_dir: Path, langs: tuple[Language, ...]) -> dict[str, list[dict]]:
    """Every language's index entries, as the last complete build left them."""
    return {lang.code: json.loads(language_index(site_dir, lang).read_text(encoding="utf-8"))["docs"] for lang in langs}


def _page(entry: dict) -> str:
    return entry["location"].split("#", 1)[0]


def merge_languages(site_dir: Path, langs: tuple[Language, ...], previous: dict[str, list[dict]]) -> None:
    """After MkDocs rendered only some pages: their new entries replace theirs in the previous, complete index.

    Each page's entries take the place its old ones had, so the result is what a full build writes.
    """
    for lang in langs:
        path = language_index(site_dir, lang)
        index = json.loads(path.read_text(encoding="utf-8"))
        fresh: dict[str, list[dict]] = {}
        for entry in index["docs"]:
            fresh.setdefault(_page(entry), []).append(entry)
        docs, placed = [], set()
        for entry in previous[lang.code]:
            page = _page(entry)
            if page not in fresh:
                docs.append(entry)
            elif page not in placed:
                docs += fresh[page]
                placed.add(page)
        docs += [entry for page, entries in fresh.items() if page not in placed for entry in entries]
        _write(path, {"config": index["config"], "docs": docs})


CONFIG_SCRIPT = re.compile(r'(<script id="__config" type="application/json">)(.*?)(</script>)', re.DOTALL)
MATERIAL_WORKER = re.compile(r"^(?P<folder>.*assets/javascripts/workers/)(?P<name>search\.[0-9a-f]+\.min\.js)$")
STEMMING_WORKER = "search-stemmed.js"


def configure_search(html: str, lang: Language) -> str:
    """Material's page configuration with search in the page's language and stemmed queries.

    `base` points at the language's own root, so search and sitemap stay in that language, and
    `search` at the worker that stems queries (`site/assets/javascripts/workers/search-stemmed.js`),
    which loads Material's worker named in its query string.
    """

    def replace(match: re.Match) -> str:
        config = json.loads(match.group(2))
        worker = MATERIAL_WORKER.match(config["search"])
        if worker is None:
            raise UserError(f"Material's search worker is not where the site expects it ({config['search']!r}): "
                            "the Material version changed; update observatorio.search_index.MATERIAL_WORKER.")
        config["search"] = f"{worker['folder']}{STEMMING_WORKER}?material={worker['name']}"
        if not lang.default:
            config["base"] = localised_base(config["base"], lang)
        return match.group(1) + json.dumps(config, ensure_ascii=False) + match.group(3)

    return CONFIG_SCRIPT.sub(replace, html, count=1)


def localised_base(base: str, lang: Language) -> str:
    """`base` moved to the language's root; Material resolves URLs with new URL(x, base), so it ends with a slash."""
    if base in ("", "."):
        return f"{lang.code}/"
    return f"{base.rstrip('/')}/{lang.code}/" if base != "/" else f"/{lang.code}/"
