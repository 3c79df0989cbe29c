"""The campaign studio: a browser form (Decap CMS) that writes `campaigns/<slug>/campaign.yml`.

`observatorio studio` starts three things in one command: the site preview (`site.serve`, drafts
included, live reload), Decap CMS under `/admin/` of that preview (served from `node_modules/`
by `preview`, never copied into the site), and Decap's local backend (`decap-server`, on
localhost) that writes the form's entries into the working copy. Saving an entry changes a
file under `campaigns/`, which the preview watches: it rebuilds, and a mistake shows in the
browser, in Portuguese, over the last good pages. `decap.config` generates the form from the
campaign schema.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import yaml

from .. import preview, settings
from ..campaigns.validation import page_url
from ..errors import UserError
from ..i18n import language_codes, strings
from .decap import available_facts, config

NODE_MODULES = Path("node_modules")
DECAP_DIST = NODE_MODULES / "decap-cms" / "dist"
DECAP_SERVER = NODE_MODULES / "decap-server" / "dist" / "index.js"
OWN_FILES = ("index.html", "studio.js")


@dataclass
class Studio:
    """What `/admin/` serves: Decap's own files from node_modules, the page and the preview script
    from the package, and the form (`config.yml`) and facts (`studio.json`) made afresh on each request,
    so that a fact added to a campaign is offered at the next reload of the studio."""

    root: Path
    backend_url: str
    lang: str

    def file(self, name: str) -> tuple[str, bytes] | None:
        ui = strings(self.root, self.lang)
        if name == "config.yml":
            made = config(self.root, self.lang, self.backend_url, settings.get(self.root, "studio.git_repository"))
            return name, yaml.safe_dump(made, allow_unicode=True, sort_keys=False).encode()
        if name == "studio.json":
            facts = {fact.id: fact.value for fact in available_facts(self.root, ui)}
            page = "/" + page_url(self.root, "{slug}", self.lang).split("//", 1)[-1].split("/", 1)[1]
            data = {"lang": self.lang, "facts": facts, "page": page,
                    "strings": {key: str(ui[f"studio.{key}"]) for key in ("preview_link", "preview_after_save")}}
            return name, json.dumps(data, ensure_ascii=False).encode()
        if name in OWN_FILES:
            text = (resources.files("observatorio") / "templates" / "studio" / name).read_text(encoding="utf-8")
            if name == "index.html":
                text = text.replace("{lang}", self.lang).replace("{title}", str(ui["studio.title"]))
            return name, text.encode()
        path = self.root / DECAP_DIST / name
        if "/" in name or not path.is_file():
            return None
        return name, path.read_bytes()


def check_installed(root: Path) -> str:
    """The `node` program, once Decap CMS and its local backend are installed; else a message saying how."""
    node = shutil.which("node")
    if node is None:
        raise UserError("the studio needs Node.js (the `node` program), which is not installed. "
                        "Install it (Debian: `apt-get install nodejs npm`), then run `npm ci` in the project folder.")
    for path in (DECAP_DIST / "decap-cms.js", DECAP_SERVER):
        if not (root / path).is_file():
            raise UserError(f"{path} is missing: run `npm ci` in the project folder "
                            "(it installs Decap CMS and decap-server at the versions in package-lock.json).")
    return node


def run(root: Path, options, address: str = "127.0.0.1:8000", backend_port: int | None = None) -> None:
    """The site preview with the studio under /admin/ and Decap's local backend; all end together."""
    from ..processes import ended_with_the_build
    from ..site import serve

    root = Path(root).resolve()
    node = check_installed(root)
    port = backend_port or settings.get(root, "studio.backend_port")
    env = {**os.environ, "PORT": str(port), "BIND_HOST": "127.0.0.1", "MODE": "fs", "GIT_REPO_DIRECTORY": str(root)}
    with ended_with_the_build():  # decap-server ends with the studio, on Ctrl+C, a signal or a kill
        backend = subprocess.Popen([node, str(root / DECAP_SERVER)], cwd=root, env=env)
        preview.state.studio = Studio(root, f"http://127.0.0.1:{port}/api/v1", language_codes(root)[0])
        print(f"Studio: http://{address}{preview.ADMIN} (the form writes to campaigns/ in {root})", flush=True)
        try:
            serve(root, options, address=address)
        finally:
            preview.state.studio = None
            backend.terminate()
            backend.wait(timeout=10)
