"""The data catalogue: `data/datapackage.yaml` (a Frictionless Data Package) and its resources.

`load_package` reads and checks the descriptor, `validate` checks every file against its table
schema with the `frictionless` library, and `load_resource` returns a typed pandas DataFrame.
Every problem becomes a `UserError` naming the file, the row as a spreadsheet shows it (the header
is row 1), the field and the rule.
"""

from __future__ import annotations

import copy
import csv
import functools
import io
import os
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

from . import steps
from .errors import UserError
from .files import sha256
from .paths import project_root
from .safe_read import MAX_DATA_BYTES, checked_file, read_text, read_yaml
from .safe_read import yaml_error as _yaml_error

DESCRIPTOR = Path("data") / "datapackage.yaml"
READS_LOG = "OBSERVATORIO_READS_LOG"  # set by the Quarto engine: a file to which `read_typed` adds each file read
MAX_LISTED_ERRORS = 20
NAME = re.compile(r"^[a-z0-9]+(?:_[a-z0-9]+)*$")  # dataset names: used in addresses and file names

BOOLEANS = {"true": True, "True": True, "TRUE": True, "1": True, "false": False, "False": False, "FALSE": False, "0": False}

# pandas dtypes for Table Schema types; anything else is read as text.
PANDAS_TYPES = {"integer": "Int64", "number": "Float64", "boolean": "boolean", "string": "string", "year": "Int64"}


@dataclass(frozen=True)
class Resource:
    """One dataset of the catalogue, with the metadata the site and the publications need."""

    name: str
    path: Path  # the CSV file, under the project root's data/ (links inside it are not followed)
    descriptor: dict

    @property
    def public(self) -> bool:
        """Whether it may be published: only a YAML `true` (the schema refuses anything but a boolean)."""
        value = self.descriptor.get("public")
        if not isinstance(value, bool):
            raise UserError(f"{DESCRIPTOR}: resource `{self.name}`: `public` must be true or false (a YAML boolean, without quotes), not {value!r}.")
        return value

    @property
    def fields(self) -> list[dict]:
        return self.descriptor["schema"]["fields"]

    @property
    def sources(self) -> list[dict]:
        return self.descriptor.get("sources") or []

    @property
    def licenses(self) -> list[dict]:
        return self.descriptor.get("licenses") or []

    def text(self, key: str, lang: str):
        """A translated property (`titles`, `descriptions`, `definitions`, `caveats`) in `lang`."""
        values = self.descriptor.get(key) or {}
        if lang not in values:
            raise UserError(f"{DESCRIPTOR}: resource `{self.name}` has no `{key}.{lang}`. Add the {lang} text.")
        return values[lang]

    def title(self, lang: str) -> str:
        return self.text("titles", lang)


@dataclass(frozen=True)
class Package:
    root: Path
    descriptor: dict
    resources: tuple[Resource, ...]

    def resource(self, name: str) -> Resource:
        for resource in self.resources:
            if resource.name == name:
                return resource
        known = ", ".join(r.name for r in self.resources)
        raise UserError(f"{DESCRIPTOR}: no dataset named `{name}`. Known datasets: {known}.")

    def public_resources(self) -> list[Resource]:
        return [r for r in self.resources if r.public]


def yaml_error(path: Path, exc: yaml.YAMLError) -> UserError:
    return _yaml_error(str(path), exc)


def read_descriptor(root: Path) -> dict:
    """`data/datapackage.yaml`, read safely and checked against its schema (`schemas/datapackage.schema.json`)."""
    path = root / DESCRIPTOR
    if not path.is_file():
        raise UserError(f"{path}: missing. Every project has a data catalogue; see the README's researcher guide.")
    descriptor = read_yaml(path, root, "datapackage")
    if not isinstance(descriptor, dict) or not isinstance(descriptor.get("resources"), list):
        raise UserError(f"{DESCRIPTOR}: must be a mapping with a `resources` list.")
    return descriptor


def _check_resource_entry(index: int, entry) -> None:
    where = f"{DESCRIPTOR}: resources[{index}]"
    if not isinstance(entry, dict):
        raise UserError(f"{where}: must be a mapping with name, path and schema.")
    for key in ("name", "path", "schema"):
        if key not in entry:
            raise UserError(f"{where}: missing `{key}`.")
    if not isinstance(entry["name"], str) or not NAME.match(entry["name"]):
        raise UserError(f"{where}: `name: {entry['name']}` is not a dataset name; write lowercase letters and digits joined by `_` (e.g. `immigrant_stock`): it is used in addresses and file names.")
    if "public" not in entry:
        raise UserError(f"{where} (`{entry['name']}`): missing `public: true|false`; say whether it may be published.")


def _file_mtimes(root: Path) -> tuple:
    data = root / "data"
    return tuple(sorted((str(p), p.stat().st_mtime_ns) for p in data.rglob("*") if p.is_file()))


def load_package(root: Path | None = None) -> Package:
    """The catalogue of the project at `root` (default: the current project)."""
    root = Path(root or project_root()).resolve()
    return _load_package(root, _file_mtimes(root))


@functools.lru_cache(maxsize=4)
def _load_package(root: Path, _stamp: tuple) -> Package:
    descriptor = read_descriptor(root)
    seen: set[str] = set()
    resources = []
    for index, entry in enumerate(descriptor["resources"]):
        _check_resource_entry(index, entry)
        name = entry["name"]
        if name in seen:
            raise UserError(f"{DESCRIPTOR}: resources[{index}]: the name `{name}` is used twice. Names must be unique.")
        seen.add(name)
        path = root / "data" / entry["path"]  # not resolved: data/ may be a link (Quarto's staging project)
        if not path.is_file():
            raise UserError(f"{DESCRIPTOR}: resources[{index}] (`{name}`): file data/{entry['path']} not found.")
        checked_file(root / "data" / entry["path"], root, MAX_DATA_BYTES)
        resources.append(Resource(name=name, path=path, descriptor=entry))
    return Package(root=root, descriptor=descriptor, resources=tuple(resources))


def validate(root: Path | None = None) -> Package:
    """Check every resource against its schema; raise one UserError listing every problem."""
    return validate_with_reason(root)[0]


def validate_with_reason(root: Path | None = None) -> tuple[Package, str]:
    """`validate`, and a line saying whether it ran and why (for the build summary).

    A validation is recorded under build/ with a digest of every data file, the catalogue, this
    module and the frictionless version; while they are unchanged it is not run again.
    """
    package = load_package(root)
    return _validate(package.root, _file_mtimes(package.root))


def validation_inputs(root: Path) -> steps.Inputs:
    """What a validation depends on: every file under data/ (read safely), the code and frictionless."""
    inputs = steps.Inputs(root)
    for path in sorted((root / "data").rglob("*")):
        if path.is_file():
            inputs.items[steps.relative(root, path)] = sha256(checked_file(path, root, MAX_DATA_BYTES))
    return inputs.libraries("frictionless").code()


@functools.lru_cache(maxsize=4)
def _validate(root: Path, _stamp: tuple) -> tuple[Package, str]:
    from frictionless import FrictionlessException
    from frictionless import Package as FrictionlessPackage

    package = load_package(root)
    record = root / "build" / "data-validated.json"
    inputs = validation_inputs(root)
    because = steps.why(steps.load(record), inputs)
    if because is None:
        return package, "unchanged since the last validation, not validated again"
    try:
        report = FrictionlessPackage.from_descriptor(copy.deepcopy(package.descriptor), basepath=str(root / "data")).validate()
    except FrictionlessException as exc:
        raise UserError(f"{DESCRIPTOR}: not a valid data package: {exc.error.message}") from None
    problems = []
    for task in report.tasks:
        resource = package.resource(task.name)
        relative = resource.path.relative_to(root)
        rows = _rows(resource, root)
        problems += header_problems(relative, rows)
        for error in task.errors:
            problems.append(describe_error(relative, resource, error))
        problems += non_finite_numbers(relative, resource, rows)
    if problems:
        listed = problems[:MAX_LISTED_ERRORS]
        more = len(problems) - len(listed)
        tail = f"\n  … and {more} more" if more else ""
        raise UserError(
            f"data validation failed ({len(problems)} problem{'s' if len(problems) > 1 else ''}):\n  "
            + "\n  ".join(listed)
            + tail
            + "\nFix the files (or the schema in data/datapackage.yaml) and build again."
        )
    steps.save(record, "data validation", inputs)
    return package, f"validated ({because})"


NON_FINITE = {"inf", "infinity", "nan", "snan"}
NUMERIC_TYPES = ("number", "integer", "year")


def _rows(resource: Resource, root: Path) -> list[list[str]]:
    """The CSV's cells as text, read safely (inside the project, within the size limit, UTF-8 or an error naming the line)."""
    return list(csv.reader(io.StringIO(read_text(resource.path, root, MAX_DATA_BYTES), newline="")))


def header_problems(relative: Path, rows: list[list[str]]) -> list[str]:
    """Column names with spaces around them (frictionless would match them to the schema silently)."""
    header = rows[0] if rows else []
    return [f"{relative}, row 1 (header): column `{label}` has spaces around its name; write `{label.strip()}` "
            "(rule: columns must match the schema in data/datapackage.yaml)" for label in header if label != label.strip()]


def non_finite_numbers(relative: Path, resource: Resource, rows: list[list[str]]) -> list[str]:
    """Cells of numeric fields that spell infinity or not-a-number (`inf`, `-Infinity`, `NaN`...), which frictionless accepts."""
    if not rows:
        return []
    numeric = {field["name"] for field in resource.fields if field.get("type") in NUMERIC_TYPES}
    columns = [(index, label.strip()) for index, label in enumerate(rows[0]) if label.strip() in numeric]
    problems = []
    for number, row in enumerate(rows[1:], start=2):
        for index, name in columns:
            cell = row[index] if index < len(row) else ""
            if cell.strip().lstrip("+-").lower() in NON_FINITE:
                problems.append(f"{relative}, row {number}, field `{name}`: \"{cell}\" is not a finite number "
                                "(rule: numbers must be finite; leave the cell empty where the value is missing)")
    return problems


def describe_error(relative: Path, resource: Resource, error) -> str:
    """One line naming file, row (header = row 1), field and rule for a frictionless error."""
    row = getattr(error, "row_number", None)
    field = getattr(error, "field_name", None)
    cell = getattr(error, "cell", None)
    kind = error.type
    where = str(relative) + (f", row {row}" if row else "") + (f", field `{field}`" if field else "")
    if kind == "type-error":
        field_type = _field(resource, field).get("type", "?")
        return f"{where}: \"{cell}\" is not a valid {field_type} (rule: type {field_type})"
    if kind == "constraint-error":
        return f"{where}: \"{cell}\" breaks the rule {error.note}"
    if kind == "primary-key":
        keys = ", ".join(resource.descriptor["schema"].get("primaryKey", []))
        return f"{where}: duplicate key ({keys}): {error.note} (rule: primary key must be unique)"
    if kind == "foreign-key":
        return f"{where}: unknown code ({error.note}) (rule: must be an ISO 3166 alpha-3 code listed in data/raw/countries.csv)"
    if kind in ("missing-label", "incorrect-label", "blank-label", "duplicate-label", "extra-label"):
        return f"{relative}, row 1 (header): {error.message} (rule: columns must match the schema in data/datapackage.yaml)"
    if kind in ("missing-cell", "extra-cell", "blank-row"):
        return f"{where}: {error.message}"
    return f"{where}: {error.message}"


def _field(resource: Resource, name: str | None) -> dict:
    for field in resource.fields:
        if field["name"] == name:
            return field
    return {}


def load_resource(name: str, root: Path | None = None) -> pd.DataFrame:
    """The resource `name` as a typed DataFrame (nullable Int64/Float64/string columns)."""
    package = validate(root)
    resource = package.resource(name)
    return read_typed(resource)


def read_typed(resource: Resource) -> pd.DataFrame:
    log = os.environ.get(READS_LOG)
    if log:  # the built-in engine records reads inside its kernel instead (`reports.kernel`)
        with open(log, "a", encoding="utf-8") as out:
            out.write(f"{resource.path}\n")
    frame = pd.read_csv(resource.path, dtype=str, keep_default_na=False, encoding="utf-8")
    for field in resource.fields:
        column = field["name"]
        values = frame[column].replace("", pd.NA)
        kind = field.get("type", "string")
        if kind in ("integer", "number", "year"):
            values = pd.to_numeric(values)
        elif kind == "boolean":
            values = values.map(BOOLEANS, na_action="ignore")
        frame[column] = values.astype(PANDAS_TYPES.get(kind, "string"))
    frame.attrs["resource"] = resource.name
    return frame
