"""``floodcast broker``: run the local Apache Kafka broker and Kafka's own command line tools."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from floodcast.kafka_local import TOOLS, KafkaLocalError

if TYPE_CHECKING:
    from confluent_kafka.admin import AclBinding

    from schemas.settings import Settings


def _announce(message: str) -> None:
    typer.echo(message, err=True)


def _fail(exc: KafkaLocalError) -> typer.Exit:
    typer.echo(f"error: {exc}", err=True)
    return typer.Exit(code=1)


def install() -> None:
    """Resolve Apache Kafka's jars from Maven Central into the cache (nothing when cached)."""
    from floodcast.kafka_local.settings_broker import ensure_jars
    from schemas.settings import get_settings

    settings = get_settings()
    try:
        jars = ensure_jars(settings, _announce)
    except KafkaLocalError as exc:
        raise _fail(exc) from exc
    typer.echo(f"Kafka {jars.version} jars ready in {jars.libs_dir}")


def start(
    timeout: Annotated[float, typer.Option(help="Seconds to wait for the broker.")] = 90.0,
) -> None:
    """Start the local broker (resolving jars and formatting storage the first time)."""
    from floodcast.kafka_local import LocalBroker
    from floodcast.kafka_local.settings_broker import broker_config, ensure_jars
    from schemas.settings import get_settings

    settings = get_settings()
    if settings.kafka_bootstrap:
        typer.echo(f"an external broker is configured ({settings.kafka_bootstrap}); not starting")
        return
    try:
        jars = ensure_jars(settings, _announce)
        broker = LocalBroker(jars, broker_config(settings))
        current = broker.status()
        if current.running:
            typer.echo(f"already running at {current.bootstrap} (pid {current.pid})")
            return
        began = time.monotonic()
        status = broker.start(timeout=timeout)
    except KafkaLocalError as exc:
        raise _fail(exc) from exc
    typer.echo(
        f"Kafka {jars.version} running at {status.bootstrap} (pid {status.pid}, "
        f"{time.monotonic() - began:.1f} s); log: {status.server_log}"
    )


def floodcast_acls(settings: Settings) -> list[AclBinding]:
    """The ACLs of the ``worker``, ``emulator``, ``observer``, ``monitor`` and ``api`` principals.

    Topics, the app id and whether the worker runs its own monitor come from ``settings``.
    """
    from floodcast.api.latest_predictions import GROUP_PREFIX as API_GROUP_PREFIX
    from floodcast.kafka_local import (
        api_acls,
        emulator_acls,
        monitor_acls,
        observer_acls,
        worker_acls,
    )
    from stream_app.accounting.accounting_reader import accounting_changelog

    readings, predictions = settings.topic_readings, settings.topic_predictions
    observations, alerts = settings.topic_observations, settings.topic_alerts
    worker = worker_acls(
        "worker",
        readings=readings,
        outputs=[predictions, settings.topic_dead_letters, alerts],
        app_id=settings.app_id,
        # its own monitor reads predictions and observations (accuracy) and the alerts
        # other monitors published (so a breach is announced once)
        follows=[predictions, observations, alerts] if settings.monitor_in_worker else [],
        side_inputs=[settings.topic_river_levels, settings.topic_rain_forecasts],
    )
    emulator = emulator_acls(
        "emulator",
        readings=readings,
        river_levels=settings.topic_river_levels,
        forecasts=settings.topic_rain_forecasts,
    )
    observer = observer_acls("observer", observations=observations)
    monitor = monitor_acls(
        "monitor",
        watched_group=settings.app_id,
        follows=[
            readings,
            settings.topic_river_levels,  # lag; the demo screen shows the levels
            settings.topic_rain_forecasts,  # lag; the demo screen shows the forecasts
            accounting_changelog(settings.app_id),
            predictions,
            observations,
        ],
        alerts=alerts,
    )
    api = api_acls("api", predictions=predictions, group_prefix=API_GROUP_PREFIX)
    return worker + emulator + observer + monitor + api


def acls() -> None:
    """Create missing SCRAM users and grant Floodcast's principals their ACLs.

    The worker reads readings (in groups and topics prefixed by the app id) and writes
    predictions, dead letters and alerts; the emulator writes readings; the observer writes
    flood observations; the monitor describes the worker's group, reads what it watches and
    publishes alerts; the API reads predictions in groups of its own. Users added to the
    credentials after the broker's storage was formatted are created first.
    """
    from confluent_kafka.admin import AdminClient

    from floodcast.kafka_local import create_acls, ensure_scram_users
    from floodcast.kafka_local.settings_broker import broker_config
    from schemas.settings import get_settings

    settings = get_settings()
    if settings.kafka_bootstrap or settings.broker_security != "sasl_ssl":
        typer.echo(
            "ACLs apply to the local broker with FLOODCAST_BROKER_SECURITY=sasl_ssl", err=True
        )
        raise typer.Exit(code=1)
    try:
        config = broker_config(settings)
        passwords = config.security.passwords if config.security is not None else {}
        admin = AdminClient(config.client_config())
        created = ensure_scram_users(admin, passwords)
        bindings = floodcast_acls(settings)
        create_acls(admin, bindings)
    except KafkaLocalError as exc:
        raise _fail(exc) from exc
    if created:
        typer.echo(f"created SCRAM users: {', '.join(created)}")
    typer.echo(f"{len(bindings)} ACLs in place; credentials: {settings.broker_secrets_dir}")


def stop(
    timeout: Annotated[float, typer.Option(help="Seconds before SIGTERM turns SIGKILL.")] = 30.0,
) -> None:
    """Stop the local broker."""
    from floodcast.kafka_local import KafkaJars, LocalBroker
    from floodcast.kafka_local.settings_broker import broker_config
    from schemas.settings import get_settings

    settings = get_settings()
    if settings.kafka_bootstrap:
        typer.echo(f"an external broker is configured ({settings.kafka_bootstrap}); not stopping")
        return
    broker = LocalBroker(
        KafkaJars.in_cache(settings.kafka_version, settings.cache_dir), broker_config(settings)
    )
    try:
        stopped = broker.stop(timeout=timeout)
    except KafkaLocalError as exc:
        raise _fail(exc) from exc
    typer.echo("stopped" if stopped else "no local broker running")


def status() -> None:
    """Say whether the local broker runs; exit 1 when it does not."""
    from floodcast.kafka_local import KafkaJars, LocalBroker
    from floodcast.kafka_local.settings_broker import broker_config
    from schemas.settings import get_settings

    settings = get_settings()
    if settings.kafka_bootstrap:
        typer.echo(f"external broker configured: {settings.kafka_bootstrap}")
        return
    broker = LocalBroker(
        KafkaJars.in_cache(settings.kafka_version, settings.cache_dir), broker_config(settings)
    )
    current = broker.status()
    if not current.running:
        typer.echo(f"not running (data dir {current.data_dir})")
        raise typer.Exit(code=1)
    typer.echo(f"running at {current.bootstrap} (pid {current.pid}); log: {current.server_log}")


def _admin_properties(settings: Settings) -> Path | None:
    """``admin``'s client properties file on the secured local broker; else ``None``."""
    from floodcast.kafka_local.settings_broker import broker_config

    if settings.kafka_bootstrap or settings.broker_security != "sasl_ssl":
        return None
    security = broker_config(settings).security
    return security.write_client_properties(security.admin) if security is not None else None


def tool(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help=f"One of: {', '.join(sorted(TOOLS))}.")],
) -> None:
    """Run a Kafka CLI tool against the configured broker; extra arguments pass through.

    --bootstrap-server is added unless given. On the secured local broker the tool connects
    as `admin` (a client properties file in the broker's secrets folder, passed with
    --command-config or the tool's own option unless one is given). Use `--` before options
    the tool shares with this command (e.g. `floodcast broker tool topics -- --help`).
    """
    from floodcast.kafka_local import tool_command
    from floodcast.kafka_local.settings_broker import ensure_jars
    from schemas.settings import get_settings

    settings = get_settings()
    try:
        command = tool_command(
            ensure_jars(settings, _announce),
            name,
            ctx.args,
            bootstrap=settings.bootstrap_servers,
            client_properties=_admin_properties(settings),
        )
    except KafkaLocalError as exc:
        raise _fail(exc) from exc
    # The tool owns the terminal: output streams through, its exit code becomes ours.
    raise typer.Exit(code=subprocess.run(command, check=False).returncode)


def register(app: typer.Typer) -> None:
    """Attach the ``broker`` command group to ``app``."""
    group = typer.Typer(help="Local Apache Kafka broker and Kafka's tools.", no_args_is_help=True)
    group.command("install")(install)
    group.command("start")(start)
    group.command("stop")(stop)
    group.command("acls")(acls)
    group.command("status")(status)
    group.command(
        "tool", context_settings={"allow_extra_args": True, "ignore_unknown_options": True}
    )(tool)
    app.add_typer(group, name="broker")
