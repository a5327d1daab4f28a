"""``floodcast keys create|list|revoke``: the API's keys, stored hashed."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from floodcast.api.security.scopes import SCOPES

if TYPE_CHECKING:
    from floodcast.api.security import ApiKeyStore


def _store() -> ApiKeyStore:
    from floodcast.api.security import ApiKeyStore
    from schemas.settings import get_settings

    return ApiKeyStore(get_settings().api_key_store_path)


def create(
    name: Annotated[str, typer.Argument(help="Who or what the key is for.")],
    scope: Annotated[
        list[str],
        typer.Option("--scope", "-s", help=f"Scope to grant (repeatable): {', '.join(SCOPES)}."),
    ],
) -> None:
    """Make a key and print it once: only its salted hash is stored."""
    from floodcast.api.exceptions import KeyStoreError

    unknown = sorted(set(scope) - set(SCOPES))
    if unknown:
        raise typer.BadParameter(f"unknown scope(s) {', '.join(unknown)}", param_hint="--scope")
    try:
        key, record = _store().create(name, scope)  # type: ignore[arg-type]
    except KeyStoreError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=1) from exc
    typer.echo(key)
    typer.echo(
        f"key {record.key_id} for {record.name!r}, scopes {', '.join(record.scopes)} "
        "(shown once; keep it secret)",
        err=True,
    )


def list_keys() -> None:
    """Show every key: id, name, scopes, created, revoked."""
    from rich.console import Console
    from rich.table import Table

    from floodcast.api.exceptions import KeyStoreError

    try:
        records = _store().records()
    except KeyStoreError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=1) from exc
    table = Table(title="API keys")
    for column in ("id", "name", "scopes", "created", "revoked"):
        table.add_column(column)
    for record in records:
        table.add_row(
            record.key_id,
            record.name,
            ", ".join(record.scopes),
            f"{record.created_at:%Y-%m-%d %H:%M}",
            f"{record.revoked_at:%Y-%m-%d %H:%M}" if record.revoked_at else "",
        )
    Console().print(table)


def revoke(key_id: Annotated[str, typer.Argument(help="The key's id (see `keys list`).")]) -> None:
    """Revoke a key; a running API refuses it from its next request."""
    from floodcast.api.exceptions import KeyStoreError, UnknownKeyError

    try:
        record = _store().revoke(key_id)
    except UnknownKeyError as exc:
        typer.echo(f"error: no key {key_id!r}", err=True)
        raise typer.Exit(code=1) from exc
    except KeyStoreError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=1) from exc
    typer.echo(f"revoked {record.key_id} ({record.name})")


def register(app: typer.Typer) -> None:
    """Attach the ``keys`` group to ``app``."""
    group = typer.Typer(help="Manage the REST API's keys.", no_args_is_help=True)
    group.command("create")(create)
    group.command("list")(list_keys)
    group.command("revoke")(revoke)
    app.add_typer(group, name="keys")
