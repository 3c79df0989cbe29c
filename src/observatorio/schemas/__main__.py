"""`python -m observatorio.schemas`: write the reference pages docs/reference/<kind>.md from the schemas."""

from pathlib import Path

from . import write_reference

for path in write_reference(Path("docs") / "reference"):
    print(path)
