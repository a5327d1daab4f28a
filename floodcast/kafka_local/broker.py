"""A single-node Apache Kafka broker (KRaft, broker and controller in one JVM) run from jars."""

from __future__ import annotations

import base64
import contextlib
import os
import signal
import socket
import subprocess
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from confluent_kafka import KafkaException
from confluent_kafka.admin import AdminClient

from floodcast.kafka_local.config import BrokerConfig, java_executable
from floodcast.kafka_local.dev_tls import write_private_file
from floodcast.kafka_local.exceptions import BrokerStartError, BrokerStopError, StorageFormatError
from floodcast.kafka_local.jars import KafkaJars

__all__ = ["BrokerStatus", "LocalBroker"]

BROKER_LOG4J = Path(__file__).with_name("log4j2-broker.properties")
_BROKER_MAIN = ("kafka.Kafka",)
_STORAGE_MAIN = ("kafka.tools.StorageTool", "org.apache.kafka.tools.StorageTool")
# Kafka's own launcher flags (kafka-run-class.sh), minus the 1 GB heap.
_JVM_FLAGS = (
    "-XX:+UseG1GC",
    "-XX:MaxGCPauseMillis=20",
    "-XX:InitiatingHeapOccupancyPercent=35",
    "-XX:+ExplicitGCInvokesConcurrent",
    "-Djava.awt.headless=true",
)
_POLL_SECONDS = 0.25


@dataclass(frozen=True)
class BrokerStatus:
    """What ``status`` reports about a local broker."""

    running: bool
    pid: int | None
    bootstrap: str
    data_dir: Path
    server_log: Path


class LocalBroker:
    """Formats, starts, watches and stops one local broker described by a ``BrokerConfig``.

    The broker runs detached (its own session), so it outlives the process that started it;
    another ``LocalBroker`` on the same ``data_dir`` finds it through the pid file.
    """

    def __init__(self, jars: KafkaJars, config: BrokerConfig) -> None:
        self.jars = jars
        self.config = config
        self._process: subprocess.Popen[bytes] | None = None

    # ----------------------------------------------------------------- storage
    def is_formatted(self) -> bool:
        """Whether the log directory already holds a formatted KRaft storage."""
        return (self.config.log_dirs / "meta.properties").is_file()

    def format_storage(self, timeout: float = 120.0) -> bool:
        """Format the KRaft storage with a new cluster id, unless it is formatted already.

        Args:
            timeout: seconds allowed for ``kafka-storage format``.

        Returns:
            ``True`` when it formatted, ``False`` when the storage was already formatted.

        Raises:
            StorageFormatError: the storage tool failed.
        """
        if self.is_formatted():
            return False
        self._write_properties()
        command = [
            java_executable(),
            "-Xmx256m",
            f"-Dlog4j2.configurationFile={BROKER_LOG4J}",
            f"-Dkafka.logs.dir={self.config.logs_dir}",
            "-cp",
            self.jars.classpath,
            self.jars.main_class(_STORAGE_MAIN),
            "format",
            "-t",
            new_cluster_id(),
            "-c",
            str(self.config.properties_file),
        ]
        argfile: Path | None = None
        if self.config.security is not None:
            # issue 13: the users' passwords go through an owner-only java @argfile, never
            # the command line (which /proc/<pid>/cmdline shows to every local user)
            argfile = self.config.security.secrets_dir / "storage-format.argfile"
            write_private_file(
                argfile,
                java_argfile(command[1:] + self.config.security.scram_format_arguments()),
            )
            command = [command[0], f"@{argfile}"]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            raise StorageFormatError(f"kafka-storage format took over {timeout:.0f} s") from exc
        finally:
            if argfile is not None:
                argfile.unlink(missing_ok=True)
        if done.returncode != 0:
            raise StorageFormatError(
                f"kafka-storage format exited {done.returncode}",
                (done.stdout + done.stderr)[-4000:],
            )
        return True

    # -------------------------------------------------------------- lifecycle
    def start(self, timeout: float = 90.0) -> BrokerStatus:
        """Start the broker (formatting storage first if needed) and wait until it answers.

        Does nothing but report when this data dir's broker is already running.

        Args:
            timeout: seconds to wait for the broker to answer a metadata request.

        Returns:
            The running broker's status.

        Raises:
            BrokerStartError: a port is taken, or the broker exited or did not answer in time.
            StorageFormatError: formatting the storage failed.
        """
        current = self.status()
        if current.running:
            return current
        self._check_ports_free()
        self.format_storage()
        self._write_properties()
        self.config.logs_dir.mkdir(parents=True, exist_ok=True)
        command = [
            java_executable(),
            f"-Xmx{self.config.heap_mb}m",
            f"-Xms{self.config.heap_mb}m",
            *_JVM_FLAGS,
            f"-Dlog4j2.configurationFile={BROKER_LOG4J}",
            f"-Dkafka.logs.dir={self.config.logs_dir}",
            "-cp",
            self.jars.classpath,
            self.jars.main_class(_BROKER_MAIN),
            str(self.config.properties_file),
        ]
        with self.config.stdout_file.open("wb") as out:
            # Own session: Ctrl-C in the starting terminal must not reach the broker.
            self._process = subprocess.Popen(
                command, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
        self.config.pid_file.write_text(f"{self._process.pid}\n")
        try:
            self.wait_ready(timeout)
        except BrokerStartError:
            self._kill_quietly()
            raise
        return self.status()

    def wait_ready(self, timeout: float = 90.0) -> None:
        """Block until the broker answers a metadata request listing itself.

        Args:
            timeout: seconds to wait.

        Raises:
            BrokerStartError: the process exited, or did not answer within ``timeout``.
        """
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            pid = self._read_pid()
            if pid is None or not self._alive(pid):
                raise BrokerStartError("the broker process exited during start", self.log_tail())
            if self._port_open() and self._answers(min(5.0, max(deadline - time.monotonic(), 0.1))):
                return
            time.sleep(_POLL_SECONDS)
        raise BrokerStartError(f"the broker did not answer within {timeout:.0f} s", self.log_tail())

    def stop(self, timeout: float = 30.0) -> bool:
        """Stop the broker: SIGTERM (controlled shutdown), then SIGKILL after ``timeout``.

        Args:
            timeout: seconds to wait after SIGTERM.

        Returns:
            ``True`` when a running broker was stopped, ``False`` when none was running.

        Raises:
            BrokerStopError: the process survived SIGKILL.
        """
        pid = self._read_pid()
        if pid is None or not self._alive(pid):
            self.config.pid_file.unlink(missing_ok=True)
            return False
        self._signal(pid, signal.SIGTERM)
        if not self._wait_exit(pid, timeout):
            self._signal(pid, signal.SIGKILL)
            if not self._wait_exit(pid, 10.0):
                raise BrokerStopError(f"broker pid {pid} survived SIGKILL", self.log_tail())
        self.config.pid_file.unlink(missing_ok=True)
        self._process = None
        return True

    def status(self) -> BrokerStatus:
        """Whether this data dir's broker process is running (a stale pid file is removed)."""
        pid = self._read_pid()
        running = pid is not None and self._alive(pid)
        if pid is not None and not running:
            self.config.pid_file.unlink(missing_ok=True)
        return BrokerStatus(
            running=running,
            pid=pid if running else None,
            bootstrap=self.config.bootstrap,
            data_dir=self.config.data_dir,
            server_log=self.config.server_log,
        )

    def log_tail(self, lines: int = 40) -> str:
        """The last ``lines`` lines of the JVM output and of ``server.log``, for error reports."""
        parts = []
        for path in (self.config.stdout_file, self.config.server_log):
            with contextlib.suppress(OSError):
                text = path.read_text(errors="replace").splitlines()[-lines:]
                if text:
                    parts.append(f"[{path}]\n" + "\n".join(text))
        return "\n".join(parts)

    # ---------------------------------------------------------------- helpers
    def _write_properties(self) -> None:
        self.config.data_dir.mkdir(parents=True, exist_ok=True)
        if self.config.security is not None:
            self.config.data_dir.chmod(0o700)
        # Owner-only: a secured broker's properties hold the super user's password.
        write_private_file(self.config.properties_file, self.config.render().encode())

    def _check_ports_free(self) -> None:
        for host, port in (
            (self.config.host, self.config.port),
            ("127.0.0.1", self.config.controller_port),
        ):
            with socket.socket() as probe:
                # as Kafka binds: connections of a killed broker left in TIME_WAIT do not
                # keep a restarted one off its ports
                probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                try:
                    probe.bind((host, port))
                except OSError as exc:
                    raise BrokerStartError(f"{host}:{port} is already in use") from exc

    def _port_open(self) -> bool:
        try:
            with socket.create_connection((self.config.host, self.config.port), timeout=1.0):
                return True
        except OSError:
            return False

    def _answers(self, timeout: float) -> bool:
        admin = AdminClient({**self.config.client_config(), "log_level": 0})
        try:
            metadata = admin.list_topics(timeout=timeout)
        except KafkaException:
            return False
        return bool(metadata.brokers)

    def _read_pid(self) -> int | None:
        try:
            return int(self.config.pid_file.read_text().strip())
        except (OSError, ValueError):
            return None

    def _alive(self, pid: int) -> bool:
        if self._process is not None and self._process.pid == pid:
            return self._process.poll() is None
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return _is_our_broker(pid, self.config.properties_file)

    def _wait_exit(self, pid: int, timeout: float) -> bool:
        if self._process is not None and self._process.pid == pid:
            try:
                self._process.wait(timeout)
            except subprocess.TimeoutExpired:
                return False
            return True
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self._alive(pid):
                return True
            time.sleep(_POLL_SECONDS)
        return False

    @staticmethod
    def _signal(pid: int, signum: signal.Signals) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signum)

    def _kill_quietly(self) -> None:
        pid = self._read_pid()
        if pid is not None and self._alive(pid):
            self._signal(pid, signal.SIGKILL)
            self._wait_exit(pid, 10.0)
        self.config.pid_file.unlink(missing_ok=True)


def _is_our_broker(pid: int, properties_file: Path) -> bool:
    """Guard against a recycled pid: on Linux, check the process is a live JVM on our config."""
    proc = Path("/proc") / str(pid)
    if not proc.is_dir():
        return True  # no procfs (macOS): trust the pid
    try:
        state = (proc / "stat").read_text().rsplit(")", 1)[1].split()[0]
        cmdline = (proc / "cmdline").read_bytes().split(b"\0")
    except (OSError, IndexError):
        return False
    return state != "Z" and os.fsencode(str(properties_file)) in cmdline


def java_argfile(arguments: list[str]) -> bytes:
    """A ``java @file`` holding ``arguments``, each quoted (the launcher expands it whole)."""
    quoted = ('"' + a.replace("\\", "\\\\").replace('"', '\\"') + '"' for a in arguments)
    return ("\n".join(quoted) + "\n").encode()


def new_cluster_id() -> str:
    """A Kafka cluster id: 16 random bytes, URL-safe base64 without padding (22 characters).

    Like Kafka's own ``Uuid.randomUuid``, an id starting with ``-`` is drawn again: the
    storage tool would read it as an option (``--cluster-id: expected one argument``).
    """
    while True:
        cluster_id = base64.urlsafe_b64encode(uuid.uuid4().bytes).rstrip(b"=").decode("ascii")
        if not cluster_id.startswith("-"):
            return cluster_id
