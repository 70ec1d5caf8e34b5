"""Copying uploads already on local disk into the object store, when a site moves there."""

from dataclasses import dataclass
from pathlib import Path

from django.core.files import File
from django.core.files.storage import Storage


@dataclass(frozen=True)
class CopyReport:
    copied: list[str]
    already_there: list[str]


def copy_local_media(*, source: Path, target: Storage) -> CopyReport:
    """Copy every file under `source` into `target` under the same name.

    A file already in the store with the same size is left alone, so the command can run
    again after an interrupted copy, or once more just before the switch.
    """
    copied, already_there = [], []
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        name = path.relative_to(source).as_posix()
        if target.exists(name) and target.size(name) == path.stat().st_size:
            already_there.append(name)
            continue
        with path.open("rb") as handle:
            saved = target.save(name, File(handle, name=name))
        if saved != name:
            raise RuntimeError(f"{name} was stored as {saved}: a different file has its name")
        copied.append(name)
    return CopyReport(copied=copied, already_there=already_there)
