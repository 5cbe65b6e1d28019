"""Writing an output file whole or not at all: every artefact of every stage goes through here.

A failed write (a crash, a full disk) leaves the previous file, never an empty or partial one.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path


def _umask() -> int:
    # os.umask can only be read by setting it; set it straight back (one thread at a time is enough here).
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_output(path: Path) -> Iterator[Path]:
    """Yield a temporary path next to `path`; rename it onto `path` only when the block succeeds.

    The file gets the mode a plainly created file would have (0644 under the usual umask), not
    mkstemp's 0600, so staff reading a shared output folder can open it.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp_name = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=path.suffix, dir=path.parent)
    os.close(handle)
    try:
        yield Path(tmp_name)
        os.chmod(tmp_name, 0o666 & ~_umask())
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


def write_json(path: Path, document: dict) -> Path:
    """Write `document` as UTF-8 JSON (Vietnamese text kept readable), atomically; returns `path`."""
    with atomic_output(Path(path)) as tmp:
        tmp.write_text(json.dumps(document, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    return Path(path)
