"""Issue 13: Kafka's jars from Maven are checked against a committed sha256 list."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from floodcast.kafka_local.exceptions import JarResolutionError
from floodcast.kafka_local.jars import KafkaJars, resolve_jars

PINNED = Path(__file__).parents[3] / "floodcast" / "kafka_local" / "kafka-4.4.0.sha256"
"""The committed list (``pinned_hashes_file("4.4.0")``, named here so the test runs before it)."""


def _fake_mvn(tmp_path: Path, jars: dict[str, bytes]) -> str:
    """A ``mvn`` that 'resolves' ``jars`` into the output directory it is given."""
    pom = tmp_path / "cache" / "m2" / "org/apache/kafka/kafka-server/4.4.0"
    pom.mkdir(parents=True)
    (pom / "kafka-server-4.4.0.pom").write_text(
        '<project xmlns="http://maven.apache.org/POM/4.0.0"></project>'
    )
    payload = tmp_path / "payload"
    payload.mkdir()
    for name, data in jars.items():
        (payload / name).write_bytes(data)
    script = tmp_path / "mvn"
    script.write_text(
        "#!/bin/sh\n"
        'for arg in "$@"; do case "$arg" in -DoutputDirectory=*) '
        f'cp {payload}/* "${{arg#-DoutputDirectory=}}/";; esac; done\n'
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return str(script)


def _pinned_names() -> list[str]:
    return [line.split()[1] for line in PINNED.read_text().splitlines() if line.strip()]


def test_a_jar_that_differs_from_its_pinned_hash_is_refused(tmp_path: Path) -> None:
    """A resolved kafka-clients jar whose sha256 is not the pinned one fails resolution."""
    names = _pinned_names()
    assert names, PINNED
    mvn = _fake_mvn(tmp_path, {name: b"not the published jar" for name in names})
    with pytest.raises(JarResolutionError, match="sha256"):
        resolve_jars("4.4.0", tmp_path / "cache", mvn=mvn)
    assert not (tmp_path / "cache" / "kafka-4.4.0" / "libs").exists()


def test_a_jar_missing_from_the_pinned_list_is_refused(tmp_path: Path) -> None:
    """An extra jar Maven brought in (not pinned) fails resolution."""
    mvn = _fake_mvn(tmp_path, {"surprise-1.0.jar": b"unpinned"})
    with pytest.raises(JarResolutionError, match="surprise-1.0.jar"):
        resolve_jars("4.4.0", tmp_path / "cache", mvn=mvn)


def test_the_cached_jars_match_the_pinned_list(kafka_jars: KafkaJars) -> None:
    """The jars resolved into the project cache are exactly the pinned ones."""
    from floodcast.kafka_local.jars import verify_jar_hashes

    verify_jar_hashes(kafka_jars.libs_dir, kafka_jars.version)
