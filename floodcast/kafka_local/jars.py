"""Kafka's broker and tool jars, resolved from Maven Central into a local cache."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET  # nosec B405
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from floodcast.kafka_local.exceptions import JarResolutionError, MainClassNotFoundError

__all__ = ["KafkaJars", "cached_jars", "pinned_hashes_file", "resolve_jars", "verify_jar_hashes"]

POM = Path(__file__).with_name("pom.xml")
# Pinned: a bare ``dependency:`` prefix outside a project picks Maven's old default (2.8).
_DEPENDENCY_PLUGIN = "org.apache.maven.plugins:maven-dependency-plugin:3.8.1"
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_POM_NS = {"m": "http://maven.apache.org/POM/4.0.0"}


@dataclass(frozen=True)
class KafkaJars:
    """The resolved jars of one Kafka release: one folder, used as a ``-cp 'dir/*'`` classpath."""

    version: str
    libs_dir: Path

    @classmethod
    def in_cache(cls, version: str, cache_dir: Path) -> KafkaJars:
        """Where ``resolve_jars`` puts ``version``'s jars (which may not be there yet)."""
        return cls(version, _version_dir(version, cache_dir) / "libs")

    @property
    def is_resolved(self) -> bool:
        """Whether the broker jar is present in ``libs_dir``."""
        return (self.libs_dir / f"kafka_2.13-{self.version}.jar").is_file()

    @property
    def classpath(self) -> str:
        """Java class path covering every jar in ``libs_dir``."""
        return str(self.libs_dir / "*")

    @cached_property
    def _kafka_classes(self) -> frozenset[str]:
        # Only Kafka's own jars hold the main classes we start; scanning the other ~80 is waste.
        names: set[str] = set()
        for jar in sorted(self.libs_dir.glob("kafka*.jar")):
            with zipfile.ZipFile(jar) as archive:
                names.update(
                    entry[: -len(".class")].replace("/", ".")
                    for entry in archive.namelist()
                    if entry.endswith(".class")
                )
        return frozenset(names)

    def has_class(self, class_name: str) -> bool:
        """Whether a Kafka jar in ``libs_dir`` contains ``class_name`` (dotted name)."""
        return class_name in self._kafka_classes

    def main_class(self, candidates: Sequence[str]) -> str:
        """The first of ``candidates`` present in the jars (main classes move between releases).

        Args:
            candidates: dotted class names, preferred first.

        Returns:
            The first class name found.

        Raises:
            MainClassNotFoundError: none of them is present.
        """
        for name in candidates:
            if self.has_class(name):
                return name
        raise MainClassNotFoundError(
            f"Kafka {self.version} jars in {self.libs_dir} contain none of {list(candidates)}"
        )


def _version_dir(version: str, cache_dir: Path) -> Path:
    return Path(cache_dir).resolve() / f"kafka-{version}"


def cached_jars(version: str, cache_dir: Path) -> KafkaJars | None:
    """The jars of ``version`` when already resolved into ``cache_dir``, else ``None``."""
    jars = KafkaJars.in_cache(version, cache_dir)
    return jars if jars.is_resolved else None


def resolve_jars(
    version: str, cache_dir: Path, *, mvn: str = "mvn", timeout: float = 900.0
) -> KafkaJars:
    """Resolve Kafka ``version``'s broker and tools jars with Maven, unless already cached.

    Jars land in ``<cache_dir>/kafka-<version>/libs``; Maven's local repository is
    ``<cache_dir>/m2`` so nothing is written outside the cache.

    Args:
        version: an Apache Kafka release, e.g. ``"4.1.1"``.
        cache_dir: cache folder (relative paths are taken from the working directory).
        mvn: the Maven executable.
        timeout: seconds allowed for each Maven run.

    Returns:
        The resolved jars.

    Raises:
        JarResolutionError: the release is older than 4.0, not on Maven Central, or Maven is
            missing or fails.
    """
    cached = cached_jars(version, cache_dir)
    if cached is not None:
        return cached
    _require_kafka_4(version)
    mvn_path = shutil.which(mvn)
    if mvn_path is None:
        raise JarResolutionError(f"Maven ({mvn!r}) not found on PATH; install maven")
    root = _version_dir(version, cache_dir)
    repo = root.parent / "m2"
    log4j_version = _kafka_log4j_version(mvn_path, repo, version, timeout)
    partial = root / "libs.partial"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    _run_mvn(
        mvn_path,
        repo,
        [
            "-f",
            str(POM),
            f"-Dkafka.version={version}",
            *([f"-Dlog4j.version={log4j_version}"] if log4j_version else []),
            f"{_DEPENDENCY_PLUGIN}:copy-dependencies",
            f"-DoutputDirectory={partial}",
            "-DincludeScope=runtime",
        ],
        timeout,
    )
    # issue 13: what Maven brought must be exactly the jars whose hashes are committed
    verify_jar_hashes(partial, version)
    # Renamed only when complete, so an interrupted run is retried rather than half-used.
    libs = root / "libs"
    shutil.rmtree(libs, ignore_errors=True)
    partial.rename(libs)
    return KafkaJars(version, libs)


def pinned_hashes_file(version: str) -> Path:
    """The committed ``sha256sum`` list of Kafka ``version``'s jars."""
    return POM.with_name(f"kafka-{version}.sha256")


def verify_jar_hashes(libs: Path, version: str) -> None:
    """Check that ``libs`` holds exactly the pinned jars of ``version``, byte for byte.

    Pin a new release by resolving it once on a trusted machine and committing, as
    ``floodcast/kafka_local/kafka-<version>.sha256``, the output of
    ``cd libs && sha256sum *.jar | LC_ALL=C sort -k2``.

    Raises:
        JarResolutionError: no list is pinned for ``version``, a jar is missing, extra, or
            has another sha256 than the pinned one.
    """
    pinned_file = pinned_hashes_file(version)
    try:
        lines = pinned_file.read_text().splitlines()
    except FileNotFoundError as exc:
        raise JarResolutionError(
            f"no pinned jar hashes for Kafka {version} ({pinned_file} is missing)"
        ) from exc
    pinned = {name: digest for digest, name in (line.split() for line in lines if line.strip())}
    found = {path.name: path for path in libs.iterdir() if path.is_file()}
    if extra := sorted(found.keys() - pinned.keys()):
        raise JarResolutionError(f"jars not in {pinned_file.name}: {', '.join(extra)}")
    if missing := sorted(pinned.keys() - found.keys()):
        raise JarResolutionError(f"pinned jars not resolved: {', '.join(missing)}")
    for name, path in sorted(found.items()):
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if digest != pinned[name]:
            raise JarResolutionError(
                f"{name}: sha256 {digest} is not the pinned {pinned[name]} ({pinned_file.name})"
            )


def _require_kafka_4(version: str) -> None:
    """Reject Kafka 3.x: it logs through log4j 1, so our log4j2 setup would not apply."""
    major = version.split(".", 1)[0]
    if major.isdigit() and int(major) < 4:
        raise JarResolutionError(f"kafka_local runs Kafka 4.x; {version} is not supported")


def _kafka_log4j_version(mvn: str, repo: Path, version: str, timeout: float) -> str | None:
    """The log4j 2 release Kafka ``version`` declares (kafka-server's POM), if it declares one.

    Since 4.1 Kafka's POMs name log4j-core and log4j-api: our binding must then be the same
    release. Kafka 4.0's name neither, and the POM's own log4j.version applies.
    """
    artifact = f"org.apache.kafka:kafka-server:{version}:pom"
    _run_mvn(
        mvn,
        repo,
        [f"{_DEPENDENCY_PLUGIN}:get", f"-Dartifact={artifact}", "-Dtransitive=false"],
        timeout,
    )
    pom = repo / "org/apache/kafka/kafka-server" / version / f"kafka-server-{version}.pom"
    try:
        # A POM Maven fetched and checked into our cache (nosec B405/B314 here and at the
        # import): not untrusted input, and expat >= 2.4.1 refuses entity expansion bombs.
        tree = ET.parse(pom)  # nosec B314
    except (OSError, ET.ParseError) as exc:
        raise JarResolutionError(f"cannot read {pom}") from exc
    for dep in tree.iterfind(".//m:dependencies/m:dependency", _POM_NS):
        if dep.findtext("m:artifactId", namespaces=_POM_NS) == "log4j-core":
            found = dep.findtext("m:version", namespaces=_POM_NS)
            if found:
                return found.strip()
    return None


def _run_mvn(mvn: str, repo: Path, args: list[str], timeout: float) -> None:
    command = [mvn, "-q", "-B", "-Dstyle.color=never", f"-Dmaven.repo.local={repo}", *args]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise JarResolutionError(f"running {' '.join(command)} failed") from exc
    if done.returncode != 0:
        output = _ANSI.sub("", done.stdout + done.stderr).strip()
        tail = "\n".join(output.splitlines()[-30:])
        raise JarResolutionError(f"{' '.join(command)} exited {done.returncode}:\n{tail}")
