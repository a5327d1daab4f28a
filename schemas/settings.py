"""The one place Floodcast reads its configuration from (``FLOODCAST_*`` environment variables)."""

from __future__ import annotations

import ipaddress
from functools import lru_cache
from pathlib import Path
from typing import Literal, Self

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR"]
Profile = Literal["development", "production"]
MIN_SIGNING_KEY_BYTES = 32
"""Shortest model signing key (HMAC-SHA256: as many bytes as the digest)."""
BrokerSecurityMode = Literal["plaintext", "sasl_ssl"]
KafkaSecurityProtocol = Literal["PLAINTEXT", "SASL_SSL"]


class Settings(BaseSettings):
    """Floodcast configuration; every field can be set as ``FLOODCAST_<FIELD>``."""

    model_config = SettingsConfigDict(env_prefix="FLOODCAST_", extra="ignore", frozen=True)

    profile: Profile = Field(
        default="development",
        description="production = refuse what is only fit for development (unsigned models).",
    )

    # Kafka
    kafka_bootstrap: str | None = Field(
        default=None, description="Existing broker to use; unset = the local KRaft broker."
    )
    kafka_version: str = Field(
        default="4.4.0", description="Apache Kafka release for the local broker (Maven Central)."
    )
    broker_host: str = "127.0.0.1"
    broker_port: int = Field(default=9092, ge=1, le=65535)
    controller_port: int = Field(default=9093, ge=1, le=65535)
    broker_heap_mb: int = Field(default=512, ge=128, description="Local broker's JVM heap.")
    broker_security: BrokerSecurityMode = Field(
        default="plaintext",
        description="Local broker's client listener: plaintext, or sasl_ssl (SCRAM, TLS, ACLs).",
    )
    kafka_security_protocol: KafkaSecurityProtocol = Field(
        default="PLAINTEXT",
        description="How clients connect: PLAINTEXT, or SASL_SSL (SCRAM-SHA-512 over TLS).",
    )
    kafka_sasl_username: str | None = Field(default=None, description="SCRAM user (SASL_SSL).")
    kafka_sasl_password: SecretStr | None = Field(
        default=None, description="SCRAM password (SASL_SSL)."
    )
    kafka_allow_plaintext: bool = Field(
        default=False,
        description="Allow PLAINTEXT toward brokers off loopback (a trusted private network).",
    )
    kafka_ca_file: Path | None = Field(
        default=None, description="CA (PEM) the broker's certificate is checked against."
    )
    cache_dir: Path = Field(default=Path(".cache"), description="Maven-resolved Kafka jars.")
    data_dir: Path = Field(default=Path(".floodcast"), description="Broker logs and worker state.")

    # Topics
    topic_readings: str = "gauge-readings"
    topic_predictions: str = "flood-path-predictions"
    topic_dead_letters: str = "gauge-readings.dlq"
    topic_alerts: str = "ops-alerts"
    topic_observations: str = "flood-observations"
    topic_river_levels: str = Field(
        default="river-levels",
        description="River-level (stage) readings, keyed by basin id; as many partitions as"
        " the readings topic (co-partitioned: a basin's rain and stage share a partition).",
    )
    topic_rain_forecasts: str = Field(
        default="rain-forecasts",
        description="Rain forecasts per basin (RainForecast), keyed by basin id.",
    )
    readings_partitions: int = Field(default=4, ge=1)
    emulate_river_levels: bool = Field(
        default=True,
        description="The emulator also publishes each basin's stage sensors' readings.",
    )
    replication_factor: int = Field(default=1, ge=1)

    # Worker
    app_id: str = "floodcast-worker"
    batch_size: int = Field(default=500, ge=1)
    batch_window_seconds: float = Field(default=0.2, gt=0)
    batch_adaptive: bool = Field(
        default=True,
        description="End a micro-batch as soon as no further message is buffered, rather than"
        " waiting out batch_window_seconds (false: fixed windows, faust's take_events).",
    )
    allowed_lateness_minutes: int = Field(default=60, ge=0)
    publish_cadence_minutes: int = Field(default=60, ge=15)
    max_message_bytes: int = Field(default=4096, ge=256)
    max_forecast_bytes: int = Field(
        default=65536,
        ge=1024,
        description="Largest rain-forecast message the worker accepts (24 values per area).",
    )
    worker_web_port: int = Field(default=6066, ge=1, le=65535)
    consumer_session_timeout_seconds: float = Field(
        default=10.0,
        ge=6.0,  # the broker's group.min.session.timeout.ms
        le=300.0,
        description="How long the group waits for a silent worker before its partitions move.",
    )
    worker_stop_grace_seconds: float = Field(
        default=20.0,
        gt=0.0,
        le=600.0,
        description="How long a stopping worker may take before it exits regardless (code 75).",
    )
    worker_web_enabled: bool = Field(default=True, description="Serve the worker's web pages.")
    worker_web_host: str = Field(
        default="127.0.0.1", description="Address the worker's web server binds (faust web_bind)."
    )
    worker_web_faust_pages: bool = Field(
        default=False,
        description="Serve faust's own pages: /table (table data), /router, /graph, statistics.",
    )
    worker_event_loop: Literal["uvloop", "aio"] = Field(
        default="uvloop", description="The worker's asyncio event loop (mode's loop names)."
    )
    dedupe_window: int = Field(
        default=1024, ge=64, le=65_536, multiple_of=8, description="Sequences kept per gauge."
    )
    max_future_minutes: int = Field(
        default=60, ge=0, description="How far past the wall clock a reading's end may lie."
    )
    max_gap_hours: int = Field(
        default=72, ge=1, description="Longest silent stretch filled with dry steps; beyond: reset."
    )
    dead_letter_max_bytes: int = Field(
        default=3 * 1024 * 1024,
        ge=65_536,
        description="Largest dead letter (the original message, base64, plus its envelope).",
    )
    producer_batch_bytes: int = Field(
        default=512 * 1024,
        ge=16_384,
        le=1_000_000,
        description="Largest batch of the worker's producer per partition (under the broker's"
        " default message.max.bytes, 1 MB): a backlog's micro-batch publishes its predictions"
        " in a few requests instead of one round trip per 16 KB (faust's default).",
    )

    # Monitoring and alerts
    metrics_enabled: bool = Field(default=True, description="Serve Prometheus metrics.")
    metrics_port: int = Field(default=9108, ge=1, le=65535, description="Prometheus metrics port.")
    metrics_host: str = Field(
        default="127.0.0.1", description="Address the worker's metrics port binds."
    )
    monitor_in_worker: bool = Field(default=True, description="Run the lag monitor in the worker.")
    monitor_interval_seconds: float = Field(default=10.0, gt=0, description="Between readings.")
    monitor_lag_window: int = Field(
        default=10, ge=2, description="Lag readings in the group-status window."
    )
    alert_for_seconds: float = Field(default=60.0, ge=0, description="Breach time before firing.")
    alert_clear_seconds: float = Field(default=120.0, ge=0, description="Calm before resolving.")
    alert_lag_messages: int = Field(default=1000, ge=0, description="Consumer lag, messages.")
    alert_lag_seconds: float = Field(default=300.0, ge=0, description="Oldest unconsumed age.")
    alert_error_rate: float = Field(default=0.05, ge=0, le=1, description="Dead-letter share.")
    alert_error_window_seconds: float = Field(default=300.0, gt=0)
    alert_gauge_offline_seconds: float = Field(default=1800.0, gt=0)
    alert_latency_seconds: float = Field(default=10.0, gt=0, description="Gauge->prediction.")
    alert_memory_mib: float = Field(default=2048.0, gt=0, description="Worker resident memory.")
    alert_cpu_percent: float = Field(default=90.0, gt=0, description="Worker CPU, % of a core.")
    alert_accuracy_csi: float = Field(
        default=0.3, ge=0, le=1, description="Accuracy alert: rolling CSI under this."
    )
    alert_accuracy_brier: float = Field(
        default=0.1, ge=0, le=1, description="Accuracy alert: rolling Brier score over this."
    )
    accuracy_window_forecasts: int = Field(
        default=2000, ge=1, description="Verified reach forecasts in the rolling CSI/Brier window."
    )
    accuracy_min_forecasts: int = Field(
        default=200, ge=1, description="Verified reach forecasts needed before CSI/Brier count."
    )

    # Model
    model_path: Path = Field(default=Path("models/default"), description="Model package folder.")
    model_hmac_key: SecretStr | None = Field(
        default=None, description="Key of the packages' HMAC signature; set = unsigned refused."
    )
    model_active_pointer: Path | None = Field(
        default=None,
        description="Active-release pointer written by `floodcast model promote`; set = the "
        "worker and the API load the release it names and reload when it changes.",
    )
    model_watch_seconds: float = Field(
        default=5.0, gt=0, description="How often the worker and the API check the pointer."
    )

    # REST API
    api_host: str = Field(default="127.0.0.1", description="Address the API listens on.")
    api_port: int = Field(default=8443, ge=1, le=65535)
    api_tls_certfile: Path | None = Field(
        default=None, description="Server certificate chain (PEM); unset = plain HTTP, loopback."
    )
    api_tls_keyfile: Path | None = Field(default=None, description="Server private key (PEM).")
    api_key_store: Path | None = Field(
        default=None, description="Hashed API keys; unset = <data_dir>/secrets/api-keys.json."
    )
    api_rate_per_second: float = Field(default=20.0, gt=0, description="Requests/s per key.")
    api_rate_burst: int = Field(default=40, ge=1, description="Requests a key may burst.")
    api_max_body_bytes: int = Field(default=1_048_576, ge=1024, description="Largest body.")
    api_follow_predictions: bool = Field(
        default=True, description="Keep the latest prediction per basin from the topic."
    )
    api_stale_after_seconds: float | None = Field(
        default=None,
        gt=0,
        description="The operator page calls a basin's stream stale when its newest prediction "
        "is older than this (wall clock); unset = the publish cadence.",
    )
    api_predict_concurrency: int = Field(
        default=2, ge=1, description="Predictions computed at once, off the event loop."
    )
    api_readings_per_second: float = Field(
        default=2000.0, gt=0, description="Readings/s a key may send to /v1/predict."
    )
    api_readings_burst: int = Field(
        default=20_000, ge=10_000, description="Readings a key may burst (>= one full request)."
    )
    api_auth_failures_per_second: float = Field(
        default=0.2, gt=0, description="Failed authentications/s allowed per client address."
    )
    api_auth_failure_burst: int = Field(default=10, ge=1, description="Per client address.")
    api_auth_failures_global_per_second: float = Field(
        default=5.0, gt=0, description="Failed authentications/s allowed over all clients."
    )
    api_auth_failure_global_burst: int = Field(default=100, ge=1, description="Over all clients.")
    api_docs_enabled: bool = Field(
        default=False, description="Serve /openapi.json (no Swagger UI: it loads from a CDN)."
    )

    log_level: LogLevel = "INFO"

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_log_level(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @field_validator("profile", mode="before")
    @classmethod
    def _lower_profile(cls, value: object) -> object:
        return value.lower() if isinstance(value, str) else value

    @field_validator("model_hmac_key")
    @classmethod
    def _long_signing_key(cls, value: SecretStr | None) -> SecretStr | None:
        # issue 13: a short key can be guessed offline from any signed manifest
        if value is not None and len(value.get_secret_value().encode()) < MIN_SIGNING_KEY_BYTES:
            raise ValueError(f"model_hmac_key must be at least {MIN_SIGNING_KEY_BYTES} bytes")
        return value

    @model_validator(mode="after")
    def _production_signs_models(self) -> Self:
        if self.profile == "production" and self.model_hmac_key is None:
            raise ValueError(
                "the production profile needs FLOODCAST_MODEL_HMAC_KEY: unsigned models are refused"
            )
        return self

    @field_validator("kafka_security_protocol", mode="before")
    @classmethod
    def _upper_security_protocol(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @model_validator(mode="after")
    def _sasl_needs_credentials(self) -> Self:
        if self.kafka_security_protocol == "SASL_SSL" and (
            self.kafka_sasl_username is None or self.kafka_sasl_password is None
        ):
            raise ValueError("SASL_SSL needs kafka_sasl_username and kafka_sasl_password")
        return self

    @model_validator(mode="after")
    def _plaintext_stays_on_loopback(self) -> Self:
        # issue 13: readings, predictions and SCRAM-less clients in clear text cross no network
        # unless the operator says the network is private
        if self.kafka_security_protocol != "PLAINTEXT" or self.kafka_allow_plaintext:
            return self
        remote = [
            server for server in self.bootstrap_servers.split(",") if not _is_loopback(server)
        ]
        if remote:
            raise ValueError(
                f"PLAINTEXT toward {', '.join(remote)} (not loopback): use SASL_SSL, or set "
                "FLOODCAST_KAFKA_ALLOW_PLAINTEXT=true on a trusted private network"
            )
        return self

    @field_validator("broker_security", mode="before")
    @classmethod
    def _lower_broker_security(cls, value: object) -> object:
        return value.lower() if isinstance(value, str) else value

    @property
    def model_signing_key(self) -> bytes | None:
        """The packages' HMAC key as bytes; None = signatures are not checked."""
        key = self.model_hmac_key
        return key.get_secret_value().encode() if key is not None else None

    @property
    def broker_secrets_dir(self) -> Path:
        """The secured local broker's SCRAM passwords and TLS files (owner-only)."""
        return self.data_dir / "secrets" / "kafka"

    @property
    def bootstrap_servers(self) -> str:
        """The broker address every client connects to."""
        return self.kafka_bootstrap or f"{self.broker_host}:{self.broker_port}"

    @property
    def api_key_store_path(self) -> Path:
        """The API key store file."""
        return self.api_key_store or self.data_dir / "secrets" / "api-keys.json"


def _is_loopback(server: str) -> bool:
    """Whether ``host:port`` names this machine's loopback interface."""
    host = server.strip().rpartition(":")[0].strip("[]")
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Settings read once from the environment."""
    return Settings()
