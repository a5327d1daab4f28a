"""Write, verify and load model packages: a folder with ``manifest.json`` and its files.

Every file is listed in the manifest with its sha256; loading checks them all first, so the
stream and the API only ever run the exact bytes that were evaluated.
"""

from __future__ import annotations

import bz2
import gzip
import hashlib
import json
import lzma
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from pydantic import ValidationError

from converters.exceptions import (
    PackageFormatError,
    PackageIncompleteError,
    PackageIntegrityError,
)
from converters.features.spec import FEATURE_NAMES
from converters.manifest import (
    MANIFEST_NAME,
    MAX_MANIFEST_BYTES,
    Compression,
    Manifest,
    PackagedFile,
)
from converters.package_files import read_exact, read_limited
from converters.river_network import Basin

NETWORKS_FILE = "networks.json"

_COMPRESSORS: dict[Compression, tuple[str, Callable[[bytes], bytes]]] = {
    "none": ("", lambda b: b),
    # mtime=0 keeps the bytes, and so the digest, the same for the same model
    "gzip": (".gz", lambda b: gzip.compress(b, compresslevel=9, mtime=0)),
    "bzip2": (".bz2", lambda b: bz2.compress(b, compresslevel=9)),
    "lzma": (".xz", lzma.compress),
}


def model_file_name(compression: Compression) -> str:
    """The model's file name inside a package stored with ``compression``."""
    return "model.onnx" + _COMPRESSORS[compression][0]


def compress(data: bytes, compression: Compression) -> bytes:
    return _COMPRESSORS[compression][1](data)


def decompress(data: bytes, compression: Compression, size: int) -> bytes:
    """Decompress a one-stream ``data`` that must expand to exactly ``size`` bytes.

    Decompression stops after ``size + 1`` bytes, so a bomb costs no more memory than the
    manifest announced (issue 13).

    Raises:
        ValueError: the data expands to another size, does not end, or has trailing bytes.
    """
    if compression == "none":
        if len(data) != size:
            raise ValueError(f"{len(data)} bytes, not {size}")
        return data
    decompressor = {
        # wbits 16 + MAX_WBITS: a gzip header and trailer around the deflate stream
        "gzip": lambda: zlib.decompressobj(16 + zlib.MAX_WBITS),
        "bzip2": bz2.BZ2Decompressor,
        "lzma": lzma.LZMADecompressor,
    }[compression]()
    if compression == "gzip":
        out = decompressor.decompress(data, size + 1)
        ended = decompressor.eof and not decompressor.unconsumed_tail
    else:
        out = decompressor.decompress(data, max_length=size + 1)
        ended = decompressor.eof
    if len(out) > size:
        raise ValueError(f"expands past the recorded {size} bytes")
    if not ended or decompressor.unused_data or len(out) != size:
        raise ValueError(f"expands to {len(out)} bytes, not one stream of {size}")
    return out


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def basin_to_dict(basin: Basin) -> dict[str, object]:
    """A basin as JSON: reaches keep only their downstream index (a sparse adjacency)."""
    return {
        "basin_id": basin.basin_id,
        "reach_ids": list(basin.reach_ids),
        "downstream": basin.downstream.tolist(),
        "length_km": basin.length_km.tolist(),
        "slope": basin.slope.tolist(),
        "local_area_km2": basin.local_area_km2.tolist(),
        "bankfull_m3s": basin.bankfull_m3s.tolist(),
        "centroid_xy_km": basin.centroid_xy_km.tolist(),
        "gauge_ids": list(basin.gauge_ids),
        "gauge_xy_km": basin.gauge_xy_km.tolist(),
    }


def basin_from_dict(data: Mapping[str, object]) -> Basin:
    """Rebuild a basin written by :func:`basin_to_dict`."""

    def array(key: str, dtype: type) -> np.ndarray:
        return np.asarray(data[key], dtype=dtype)

    return Basin(
        basin_id=str(data["basin_id"]),
        reach_ids=tuple(data["reach_ids"]),  # type: ignore[arg-type]
        downstream=array("downstream", np.int64),
        length_km=array("length_km", np.float64),
        slope=array("slope", np.float64),
        local_area_km2=array("local_area_km2", np.float64),
        bankfull_m3s=array("bankfull_m3s", np.float64),
        centroid_xy_km=array("centroid_xy_km", np.float64).reshape(-1, 2),
        gauge_ids=tuple(data["gauge_ids"]),  # type: ignore[arg-type]
        gauge_xy_km=array("gauge_xy_km", np.float64).reshape(-1, 2),
    )


@dataclass(frozen=True, eq=False)
class ModelPackage:
    """A verified package, ready for a scorer."""

    path: Path
    manifest: Manifest
    onnx_bytes: bytes
    basins: dict[str, Basin]


def write_package(
    folder: Path,
    *,
    onnx_bytes: bytes,
    basins: Sequence[Basin],
    manifest_fields: Mapping[str, object],
    compression: Compression,
    extra_files: Mapping[str, bytes] | None = None,
) -> Manifest:
    """Write a package into ``folder`` (created; existing package files are replaced).

    Args:
        folder: destination folder.
        onnx_bytes: the serialised ONNX model.
        basins: the river networks the model serves.
        manifest_fields: every manifest field but files, model file, compression and basins.
        compression: how ``model.onnx`` is stored.
        extra_files: more files to list and checksum (e.g. report figures), by relative path.
    """
    folder.mkdir(parents=True, exist_ok=True)
    model_file = model_file_name(compression)
    networks = json.dumps([basin_to_dict(b) for b in basins], separators=(",", ":")).encode()
    contents = {model_file: compress(onnx_bytes, compression), NETWORKS_FILE: networks}
    contents.update(extra_files or {})
    for name, data in contents.items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    manifest = Manifest.model_validate(
        {
            **manifest_fields,
            "model_file": model_file,
            "compression": compression,
            "model_onnx_bytes": len(onnx_bytes),
            "basins": [b.basin_id for b in basins],
            "files": {
                name: PackagedFile(sha256=sha256_hex(data), bytes=len(data))
                for name, data in sorted(contents.items())
            },
        }
    )
    (folder / MANIFEST_NAME).write_text(manifest.model_dump_json(indent=2) + "\n")
    return manifest


def read_manifest(folder: Path) -> Manifest:
    """Parse a package's manifest without checking its files.

    Raises:
        PackageIncompleteError: there is no manifest.
        PackageFormatError: the manifest is not valid.
    """
    path = folder / MANIFEST_NAME
    try:
        raw = read_limited(folder, MANIFEST_NAME, MAX_MANIFEST_BYTES)
    except PackageIncompleteError as exc:
        raise PackageIncompleteError(f"{path}: no manifest; not a model package") from exc
    return parse_manifest(raw, path)


def parse_manifest(raw: bytes, path: Path) -> Manifest:
    """Parse manifest bytes read from ``path``.

    Raises:
        PackageFormatError: the manifest is not valid.
    """
    try:
        return Manifest.model_validate_json(raw)
    except ValidationError as exc:
        raise PackageFormatError(f"{path}: invalid manifest: {exc}") from exc


def verify_package(folder: Path) -> tuple[Manifest, dict[str, bytes]]:
    """Check every file the manifest lists against its size and sha256.

    Returns:
        The manifest and the verified contents of each listed file.

    Raises:
        PackageIncompleteError: the manifest or a listed file is missing.
        PackageIntegrityError: a file's size or digest differs from the manifest's.
        PackageFormatError: the manifest is invalid, or a listed name leaves the folder,
            crosses a symlink or is not a regular file.
    """
    return verify_files(folder, read_manifest(folder))


def verify_files(folder: Path, manifest: Manifest) -> tuple[Manifest, dict[str, bytes]]:
    """Check every file ``manifest`` lists in ``folder`` (see :func:`verify_package`)."""
    if manifest.model_file not in manifest.files or NETWORKS_FILE not in manifest.files:
        raise PackageFormatError(f"{folder}: manifest does not list the model and networks")
    contents: dict[str, bytes] = {}
    for name, expected in manifest.files.items():
        path = folder / name
        data = read_exact(folder, name, expected.bytes)
        digest = sha256_hex(data)
        if digest != expected.sha256:
            raise PackageIntegrityError(
                f"{path}: sha256 {digest} does not match the manifest's {expected.sha256}"
            )
        contents[name] = data
    return manifest, contents


def load_package(folder: Path) -> ModelPackage:
    """Verify and load a package.

    Raises:
        PackageError: any of :func:`verify_package`'s errors, or undecodable contents.
    """
    return decode_package(folder, *verify_package(folder))


def decode_package(folder: Path, manifest: Manifest, contents: dict[str, bytes]) -> ModelPackage:
    """Decode verified contents into a package.

    Raises:
        PackageFormatError: the contents do not decode, or the model expands past its size.
    """
    model = folder / manifest.model_file
    size = manifest.model_onnx_bytes
    if size is None and manifest.compression != "none":
        raise PackageFormatError(f"{model}: compressed, but the manifest has no model_onnx_bytes")
    try:
        onnx_bytes = decompress(
            contents[manifest.model_file],
            manifest.compression,
            len(contents[manifest.model_file]) if size is None else size,
        )
    except (OSError, EOFError, lzma.LZMAError, zlib.error, ValueError) as exc:
        raise PackageFormatError(f"{model}: does not decompress: {exc}") from exc
    try:
        networks = json.loads(contents[NETWORKS_FILE])
        basins = {b.basin_id: b for b in map(basin_from_dict, networks)}
    except (ValueError, KeyError, TypeError) as exc:
        raise PackageFormatError(f"{folder}: contents do not decode: {exc}") from exc
    return ModelPackage(path=folder, manifest=manifest, onnx_bytes=onnx_bytes, basins=basins)


def require_current_features(manifest: Manifest, folder: Path) -> None:
    """Check that a package's model reads the features this build computes, in order.

    Raises:
        PackageFormatError: the package was trained on other features (retrain it).
    """
    packaged = tuple(column.name for column in sorted(manifest.features, key=lambda c: c.index))
    if packaged != FEATURE_NAMES:
        raise PackageFormatError(
            f"{folder}: the model's features differ from the ones this build computes"
        )
