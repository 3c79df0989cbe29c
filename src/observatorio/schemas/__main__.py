"""`python -m observatorio.schemas`: write the reference pages docs/reference/<kind>.md from the schemas,
and docs/settings.md from `observatorio.settings`."""

from pathlib import Path

from .. import settings
from . import write_reference

for path in write_reference(Path("docs") / "reference"):
    print(path)
Path("docs/settings.md").write_text(settings.reference_page(), encoding="utf-8")
print("docs/settings.md")
