"""``floodcast train`` and ``floodcast model``: build, inspect, verify, sign, promote packages."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, get_args

import typer

if TYPE_CHECKING:
    from rich.console import Console

STAGES = (
    "simulate",
    "features",
    "classifiers",
    "eta regressor",
    "evaluate",
    "done",
    "export",
    "package",
)
HEADLINE_METRICS = (
    "csi",
    "pod",
    "far",
    "onset_csi",
    "brier",
    "brier_skill",
    "roc_auc",
    "eta_mae_onset_hours",
    "eta_mae_onset_climatology_hours",
    "episode_pod",
    "episode_false_alarm_ratio",
    "episode_lead_hours",
    "onnx_max_abs_diff",
)
SKILL_FORECASTS = (
    "model",
    "model_without_stage",
    "model_without_forecast",
    "model_without_stage_or_forecast",
    "persistence",
    "river_now",
    "rainfall_rule",
    "rain_over_bankfull",
    "perfect_rain_upper_bound",
)
SKILL_SCORES = ("csi", "pod", "far", "onset_csi", "brier_skill", "episode_pod")


def train(
    basins: Annotated[
        str | None, typer.Option(help="Comma-separated basin ids (default: every built-in basin).")
    ] = None,
    seed: Annotated[
        int | None,
        typer.Option(help="Seed of the simulation, split and models.", show_default="20261125"),
    ] = None,
    days: Annotated[
        float | None, typer.Option(help="Simulated days per basin.", show_default="730")
    ] = None,
    out: Annotated[
        Path | None, typer.Option(help="Package folder (default: FLOODCAST_MODEL_PATH).")
    ] = None,
    compression: Annotated[
        str, typer.Option(help="none, gzip, bzip2 or lzma.", show_default="gzip")
    ] = "gzip",
) -> None:
    """Simulate storms, train and evaluate the flood model, and write an ONNX model package."""
    # Imported here: the training stack (scikit-learn, skl2onnx, matplotlib) takes seconds.
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from converters.manifest import Compression
    from floodcast.training.package_builder import build_package
    from floodcast.training.trainer import TrainingConfig
    from schemas.settings import get_settings

    if compression not in get_args(Compression):
        raise typer.BadParameter(f"unknown compression {compression!r}", param_hint="--compression")
    overrides: dict[str, object] = {
        name: value for name, value in (("seed", seed), ("days", days)) if value is not None
    }
    if basins:
        overrides["basins"] = tuple(b.strip() for b in basins.split(",") if b.strip())
    config = TrainingConfig(**overrides)
    folder = out or get_settings().model_path
    from rich.console import Console

    console = Console(stderr=True)
    with Progress(
        TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(), console=console
    ) as progress:
        task = progress.add_task("training", total=len(STAGES))

        def advance(stage: str) -> None:
            progress.update(task, description=stage, completed=STAGES.index(stage))

        manifest = build_package(config, folder, compression=compression, progress=advance)  # type: ignore[arg-type]
        progress.update(task, description="written", completed=len(STAGES))
    _print_summary(console, folder, manifest.metrics)


def _with_interval(metrics: dict[str, float], name: str) -> str:
    text = f"{metrics[name]:.4g}"
    if f"{name}_ci_low" in metrics:
        text += f" [{metrics[f'{name}_ci_low']:.3g}, {metrics[f'{name}_ci_high']:.3g}]"
    return text


def _print_summary(console: Console, folder: Path, metrics: dict[str, float]) -> None:
    """The model's headline scores, then every forecast's skill side by side (95 % intervals
    from the event bootstrap in brackets)."""
    from rich.table import Table

    table = Table(title=f"model package {folder}")
    table.add_column("metric")
    table.add_column("held-out storms", justify="right")
    for name in HEADLINE_METRICS:
        if name in metrics:
            table.add_row(name, _with_interval(metrics, name))
    console.print(table)
    skill = Table(title="skill on every row of the held-out storms, beside the baselines")
    skill.add_column("forecast")
    for score in SKILL_SCORES:
        skill.add_column(score, justify="right")
    for forecast in SKILL_FORECASTS:
        prefix = "" if forecast == "model" else f"{forecast}_"
        if f"{prefix}csi" in metrics:
            skill.add_row(
                forecast,
                *(
                    _with_interval(metrics, f"{prefix}{s}") if f"{prefix}{s}" in metrics else "-"
                    for s in SKILL_SCORES
                ),
            )
    console.print(skill)


def info(
    path: Annotated[
        Path | None, typer.Argument(help="Package folder (default: FLOODCAST_MODEL_PATH).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the manifest as JSON.")] = False,
) -> None:
    """Show a package's manifest: model, features, threshold, metrics, library versions."""
    from converters.exceptions import PackageError
    from converters.model_package import verify_package
    from schemas.settings import get_settings

    folder = path or get_settings().model_path
    try:
        manifest, _ = verify_package(folder)
    except PackageError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=1) from exc
    if as_json:
        typer.echo(json.dumps(manifest.model_dump(mode="json"), indent=2))
        return
    from rich.console import Console

    console = Console()
    console.print(
        f"[bold]{manifest.name}[/bold] {manifest.version} ({manifest.model_family}), "
        f"created {manifest.created_at:%Y-%m-%d %H:%M} UTC, basins: {', '.join(manifest.basins)}"
    )
    console.print(
        f"threshold {manifest.operating_threshold:.2f}, horizon {manifest.horizon_hours} h, "
        f"{len(manifest.features)} float32 features, model {manifest.model_file} "
        f"sha256 {manifest.model_sha256[:16]}…"
    )
    _print_summary(console, folder, manifest.metrics)


def verify(path: Annotated[Path, typer.Argument(help="Package folder.")]) -> None:
    """Check every file of a package against the manifest's sha256 and decode it as a loader
    would, after its signature when FLOODCAST_MODEL_HMAC_KEY is set, and check that its model
    reads the features this build computes; exit 1 on any failure."""
    from converters.exceptions import PackageError
    from converters.model_package import require_current_features
    from converters.releases import load_verified_package
    from schemas.settings import get_settings

    key = get_settings().model_signing_key
    try:
        manifest = load_verified_package(path, key).manifest
        require_current_features(manifest, path)
    except PackageError as exc:
        typer.echo(f"invalid package: {exc}", err=True)
        raise typer.Exit(code=1) from exc
    signed = ", signature checked" if key is not None else " (no key: signature not checked)"
    typer.echo(
        f"ok: {len(manifest.files)} files verified{signed}, model sha256 {manifest.model_sha256}"
    )


def sign(path: Annotated[Path, typer.Argument(help="Package folder.")]) -> None:
    """Verify a package, then sign its manifest with FLOODCAST_MODEL_HMAC_KEY (HMAC-SHA256)."""
    from converters.exceptions import PackageError
    from converters.model_package import verify_package
    from converters.package_signature import sign_package
    from schemas.settings import get_settings

    key = get_settings().model_signing_key
    if key is None:
        typer.echo("error: set FLOODCAST_MODEL_HMAC_KEY to sign packages", err=True)
        raise typer.Exit(code=1)
    try:
        verify_package(path)
        signature = sign_package(path, key)
    except PackageError as exc:
        typer.echo(f"invalid package: {exc}", err=True)
        raise typer.Exit(code=1) from exc
    typer.echo(f"signed {path}: {signature[:16]}…")


def promote(
    path: Annotated[Path, typer.Argument(help="Package folder to make the active release.")],
    pointer: Annotated[
        Path | None,
        typer.Option(help="Active-release pointer (default: FLOODCAST_MODEL_ACTIVE_POINTER)."),
    ] = None,
) -> None:
    """Verify a package (and its signature when FLOODCAST_MODEL_HMAC_KEY is set), copy it into
    the releases folder and atomically make it the release the worker and the API serve."""
    from converters.exceptions import PackageError
    from converters.releases import promote_package
    from schemas.settings import get_settings

    settings = get_settings()
    target = pointer or settings.model_active_pointer
    if target is None:
        typer.echo("error: set FLOODCAST_MODEL_ACTIVE_POINTER or pass --pointer", err=True)
        raise typer.Exit(code=1)
    try:
        active = promote_package(path, target, settings.model_signing_key)
    except PackageError as exc:
        typer.echo(f"refused: {exc}", err=True)
        raise typer.Exit(code=1) from exc
    typer.echo(
        f"active: {active.name} {active.version} sha256 {active.sha256[:16]}… "
        f"({active.folder(target)})"
    )


def register(app: typer.Typer) -> None:
    """Attach ``train`` and the ``model`` group to ``app``."""
    app.command("train")(train)
    group = typer.Typer(
        help="Inspect, verify, sign and promote model packages.", no_args_is_help=True
    )
    group.command("info")(info)
    group.command("verify")(verify)
    group.command("sign")(sign)
    group.command("promote")(promote)
    app.add_typer(group, name="model")
