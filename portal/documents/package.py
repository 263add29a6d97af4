"""The .docx container: safe opening of untrusted zips, and byte-for-byte reproducible output.

A .docx is a zip. An uploaded one may be a zip bomb (a few kilobytes that inflate to
gigabytes), may hold thousands of entries, or may not be a zip at all. :func:`open_package`
checks the central directory against :class:`Limits` *before* anything is decompressed, and
:func:`read_entry` never returns more than an entry's checked size, so memory stays bounded.
Nothing is ever extracted to disk.

:func:`normalise_package` rewrites a zip with fixed timestamps and attributes so that the same
content always gives the same bytes (python-docx stamps each entry with the current time).
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from dataclasses import dataclass
from typing import Any

#: The start of an OLE2 compound file: old .doc files, and password-protected Office files.
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: Fixed timestamp of every entry of a generated document (the earliest a zip can store).
FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class Limits:
    """What a Word package may contain at most."""

    #: Entries in the zip (a plain document has about 15; images add one each).
    max_entries: int = 500
    #: Uncompressed size of one entry.
    max_entry_bytes: int = 32 * 1024 * 1024
    #: Uncompressed size of all entries together.
    max_total_bytes: int = 96 * 1024 * 1024
    #: Compression ratio above which an entry larger than ``ratio_floor`` is refused. Word XML
    #: compresses 5 to 30 times; zip bombs compress a thousand times.
    max_ratio: int = 100
    ratio_floor: int = 256 * 1024


DEFAULT_LIMITS = Limits()


class PackageError(Exception):
    """The file is not an acceptable zip; ``code`` says why, ``params`` give the figures."""

    def __init__(self, code: str, **params: Any) -> None:
        self.code = code
        self.params = params
        super().__init__(f"{code}: {params}" if params else code)


def open_package(data: bytes, limits: Limits = DEFAULT_LIMITS) -> zipfile.ZipFile:
    """Open ``data`` as a zip after checking its directory against ``limits``.

    :raises PackageError: ``ole`` (an old .doc or an encrypted file), ``not_zip``,
        ``too_many_entries``, ``entry_too_large``, ``too_large_uncompressed``,
        ``suspicious_compression``, ``encrypted``, ``bad_name`` or ``duplicate_name``.
    """
    if data.startswith(OLE_MAGIC):
        raise PackageError("ole")
    if not data.startswith(b"PK"):
        raise PackageError("not_zip")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        raise PackageError("not_zip") from None
    infos = archive.infolist()
    if len(infos) > limits.max_entries:
        raise PackageError("too_many_entries", count=len(infos), limit=limits.max_entries)
    total = 0
    names: set[str] = set()
    for info in infos:
        name = info.filename
        if info.flag_bits & 0x1:
            raise PackageError("encrypted", name=name)
        if name.startswith(("/", "\\")) or ".." in name.split("/") or "\\" in name:
            raise PackageError("bad_name", name=name)
        folded = posixpath.normpath(name).lower()
        if folded in names:
            # Two entries that differ only by case are ambiguous: Word and python-docx may
            # not read the same one.
            raise PackageError("duplicate_name", name=name)
        names.add(folded)
        if info.file_size > limits.max_entry_bytes:
            raise PackageError(
                "entry_too_large", name=name, size=info.file_size, limit=limits.max_entry_bytes
            )
        if info.file_size > limits.ratio_floor and info.file_size > limits.max_ratio * max(
            info.compress_size, 1
        ):
            raise PackageError(
                "suspicious_compression",
                name=name,
                ratio=info.file_size // max(info.compress_size, 1),
                limit=limits.max_ratio,
            )
        total += info.file_size
        if total > limits.max_total_bytes:
            raise PackageError("too_large_uncompressed", limit=limits.max_total_bytes)
    return archive


def read_entry(archive: zipfile.ZipFile, name: str, limit: int) -> bytes:
    """Read one entry, never more than ``limit`` bytes (whatever its header claims).

    :raises PackageError: ``entry_too_large`` or ``corrupt``.
    """
    chunks: list[bytes] = []
    size = 0
    try:
        with archive.open(name) as handle:
            while chunk := handle.read(64 * 1024):
                size += len(chunk)
                if size > limit:
                    raise PackageError("entry_too_large", name=name, size=size, limit=limit)
                chunks.append(chunk)
    except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError, RuntimeError) as exc:
        # A bad CRC, an unknown compression method, a truncated file...
        raise PackageError("corrupt", name=name, detail=str(exc)) from None
    return b"".join(chunks)


def normalise_package(data: bytes) -> bytes:
    """Rewrite a zip with fixed timestamps and attributes, keeping the entries' order."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            # Attributes as Word writes them, whatever the platform that renders.
            entry.create_system = 0
            entry.external_attr = 0
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()
