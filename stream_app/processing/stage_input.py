"""River-level readings in the batch processor: decode, check, dedupe, slot and account.

The second input topic (``Settings.topic_river_levels``) carries ``RiverLevelReading`` JSON
keyed by basin id. Each reading is checked like a rain reading (schema, clock skew, a sensor
of a basin the model serves, the key) and dead-lettered with the reason otherwise; a repeated
(sensor, sequence) is deduplicated; a reading for a slot already final is dead-lettered as too
late. An accepted reading waits in its basin's open slot, counted as pending on its own
topic's partition, and is scored with that slot (``BasinState.accept_stage``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime

from converters.features import BasinGeometry
from schemas import (
    FieldError,
    KeyMismatchError,
    OutOfBoundsError,
    RiverLevelReading,
    TooLateError,
    UnknownBasinIdError,
    UnknownSensorIdError,
    decode_river_level,
)
from stream_app.processing.batch_records import SourceRecord
from stream_app.state import AcceptVerdict, BasinState

__all__ = ["StageInput"]


class StageInput:
    """Checks river-level messages against the basins a model serves, and applies them.

    Args:
        topic: the river-levels topic.
        geometries: the model's basins.
    """

    def __init__(self, topic: str, geometries: Mapping[str, BasinGeometry]) -> None:
        self.topic = topic
        self._sensors = {
            basin_id: {
                sensor: (index, reach)
                for index, (sensor, reach) in enumerate(
                    zip(geometry.stage_sensor_ids, geometry.stage_sensor_reach_ids, strict=True)
                )
            }
            for basin_id, geometry in geometries.items()
        }
        self._keys = {basin_id: basin_id.encode() for basin_id in geometries}

    def decode(self, record: SourceRecord, max_bytes: int) -> RiverLevelReading:
        """The message's reading.

        Raises:
            ReadingDecodeError: the bytes are not a valid ``RiverLevelReading``.
        """
        return decode_river_level(record.value, max_bytes=max_bytes)

    def check(
        self, record: SourceRecord, reading: RiverLevelReading, latest_end: float
    ) -> tuple[str, int]:
        """The basin and sensor index of a decoded reading.

        Args:
            record: the message.
            reading: its reading.
            latest_end: latest observation time accepted (the wall clock plus the skew).

        Raises:
            RejectedReadingError: the reading belongs on the dead-letter topic.
        """
        if reading.observed_at.timestamp() > latest_end:
            detail = (
                f"observed_at {reading.observed_at.isoformat()} lies beyond the allowed clock skew"
            )
            raise OutOfBoundsError(
                detail, [FieldError(loc="observed_at", msg=detail, type="observed_in_future")]
            )
        basin_id = reading.basin_id
        sensors = self._sensors.get(basin_id)
        if sensors is None:
            raise UnknownBasinIdError(f"basin {basin_id!r} is not served by the deployed model")
        found = sensors.get(reading.sensor_id)
        if found is None or found[1] != reading.reach_id:
            raise UnknownSensorIdError(
                f"stage sensor {reading.sensor_id!r} is not on reach {reading.reach_id!r}"
                f" of basin {basin_id!r}"
            )
        if record.key != self._keys[basin_id]:
            # A basin's rain and stage must share a partition: its state lives there.
            raise KeyMismatchError(f"key {record.key!r} is not the basin id {basin_id!r}")
        return basin_id, found[0]

    @staticmethod
    def apply(state: BasinState, sensor: int, reading: RiverLevelReading) -> AcceptVerdict:
        """Offer ``reading`` of sensor ``sensor`` to its basin's state."""
        at = round(reading.observed_at.timestamp())
        return state.accept_stage(sensor, reading.sequence, at, reading.stage_m)

    @staticmethod
    def too_late(reading: RiverLevelReading, state: BasinState) -> TooLateError:
        """The rejection of a reading whose slot is final already."""
        final_until = datetime.fromtimestamp(state.next_slot or 0, UTC).isoformat()
        return TooLateError(
            f"stage observed at {reading.observed_at.isoformat()} falls in a slot already final"
            f" (basin {reading.basin_id} is final until {final_until})"
        )
