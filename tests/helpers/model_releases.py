"""Another release of an existing model package: same model, new version and new digest."""

from __future__ import annotations

from pathlib import Path

import onnx

from converters.model_package import load_package, write_package


def write_release(source: Path, folder: Path, version: str) -> Path:
    """Rewrite ``source`` as ``version`` into ``folder``; its ONNX bytes (so sha256) differ.

    The graph is untouched (only the model's doc string changes), so the new release scores
    exactly as the old one: a test can tell the two apart only by the identity they report.
    """
    package = load_package(source)
    model = onnx.load_from_string(package.onnx_bytes)
    model.doc_string = f"release {version}"
    manifest = package.manifest
    fields = manifest.model_dump(exclude={"model_file", "compression", "basins", "files"})
    write_package(
        folder,
        onnx_bytes=model.SerializeToString(),
        basins=list(package.basins.values()),
        manifest_fields={**fields, "version": version},
        compression=manifest.compression,
    )
    return folder
