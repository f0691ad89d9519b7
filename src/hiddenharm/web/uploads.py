"""Uploaded submissions checked before anything reads them as data.

A zip is checked from its central directory first (entries, names, declared sizes and
ratios: a zip bomb with honest headers is refused without inflating a byte), then each
entry is inflated as a stream into nowhere, counting, and stopped at the first byte past
the limit (a zip whose headers lie is refused after reading at most the limit). The
messages say the limit, so that a person can act on them.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

SUFFIXES = (".zip", ".csv", ".parquet")
CHUNK = 1 << 20


class UploadRefused(Exception):
    """The upload breaks a limit (status 413) or a rule (422); the message says which and
    what to do."""

    def __init__(self, message: str, status: int = 413):
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Limits:
    max_entries: int
    max_unzipped: int
    max_ratio: int

    @classmethod
    def from_settings(cls) -> Limits:
        from django.conf import settings

        return cls(
            settings.HH_MAX_ZIP_ENTRIES, settings.HH_MAX_UNZIPPED_BYTES, settings.HH_MAX_ZIP_RATIO
        )


def check_suffix(name: str) -> str:
    suffix = Path(name or "").suffix.lower()
    if suffix not in SUFFIXES:
        raise UploadRefused("The file must be a .zip, a .csv or a .parquet file.", 422)
    return suffix


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):,.0f} MB"


def _unsafe_name(name: str) -> bool:
    p = PurePosixPath(name.replace("\\", "/"))
    return name.startswith(("/", "\\")) or ".." in p.parts or (":" in (p.parts or [""])[0])


def check_zip(file, limits: Limits) -> None:
    """Refuse a zip over the limits (UploadRefused). `file` is a path or a binary file
    object; it is left at position 0."""
    try:
        with zipfile.ZipFile(file) as z:
            infos = z.infolist()
            if len(infos) > limits.max_entries:
                raise UploadRefused(
                    f"The zip holds {len(infos):,} entries: the limit is {limits.max_entries:,} "
                    "(a submission needs episodes.csv, reviews.csv and children.csv)."
                )
            declared = 0
            for info in infos:
                if _unsafe_name(info.filename):
                    raise UploadRefused(
                        f"The zip has an entry named {info.filename[:80]!r}, which points "
                        "outside the zip: zip the files themselves, without absolute paths or '..'.",
                        422,
                    )
                declared += info.file_size
                if info.compress_size and info.file_size / info.compress_size > limits.max_ratio:
                    raise UploadRefused(
                        f"An entry of the zip inflates more than {limits.max_ratio} times its "
                        "packed size, as a zip bomb does: it was not opened."
                    )
            if declared > limits.max_unzipped:
                raise UploadRefused(
                    f"The zip's files come to {_mb(declared)} unpacked: the limit is "
                    f"{_mb(limits.max_unzipped)} (HH_MAX_UNZIPPED_BYTES)."
                )
            _inflate_counting(z, infos, limits)
    except zipfile.BadZipFile:
        raise UploadRefused("The file is not a readable .zip.", 422) from None
    finally:
        if hasattr(file, "seek"):
            file.seek(0)


def _inflate_counting(z: zipfile.ZipFile, infos, limits: Limits) -> None:
    """Inflate every entry into nowhere, stopping at the first byte past the limits."""
    total = 0
    for info in infos:
        if info.is_dir():
            continue
        written = 0
        try:
            with z.open(info) as stream:
                while chunk := stream.read(CHUNK):
                    written += len(chunk)
                    total += len(chunk)
                    if total > limits.max_unzipped or written > info.file_size:
                        raise UploadRefused(
                            "The zip inflates past its declared sizes or past "
                            f"{_mb(limits.max_unzipped)}: it was refused."
                        )
        except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError) as e:
            raise UploadRefused(f"The zip cannot be read ({type(e).__name__}).", 422) from None
        except RuntimeError:  # an encrypted entry
            raise UploadRefused("The zip is encrypted: send it without a password.", 422) from None
