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
    RiverLevelReading,
    TooLateError,
    UnknownBasinIdError,
    UnknownSensorIdError,
    decode_river_level,
)
from stream_app.processing.batch_records import SourceRecord
from stream_app.processing.side_input import SideInput, beyond_clock_skew
from stream_app.state import AcceptVerdict, BasinState, FinalisedSlot

__all__ = ["StageInput"]


class StageInput(SideInput[RiverLevelReading]):
    """Checks river-level messages against the basins a model serves, and applies them.

    Args:
        topic: the river-levels topic.
        geometries: the model's basins.
    """

    def __init__(self, topic: str, geometries: Mapping[str, BasinGeometry]) -> None:
        super().__init__(topic, geometries)
        self._sensors = {
            basin_id: {
                sensor: (index, reach)
                for index, (sensor, reach) in enumerate(
                    zip(geometry.stage_sensor_ids, geometry.stage_sensor_reach_ids, strict=True)
                )
            }
            for basin_id, geometry in geometries.items()
        }

    def decode(self, record: SourceRecord, max_bytes: int) -> RiverLevelReading:
        """The message's reading.

        Raises:
            ReadingDecodeError: the bytes are not a valid ``RiverLevelReading``.
        """
        return decode_river_level(record.value, max_bytes=max_bytes)

    def check(
        self, record: SourceRecord, message: RiverLevelReading, latest_end: float
    ) -> tuple[str, int]:
        """The basin and sensor index of a decoded message.

        Raises:
            RejectedReadingError: the reading belongs on the dead-letter topic.
        """
        if message.observed_at.timestamp() > latest_end:
            raise beyond_clock_skew(message.observed_at)
        basin_id = message.basin_id
        sensors = self._sensors.get(basin_id)
        if sensors is None:
            raise UnknownBasinIdError(f"basin {basin_id!r} is not served by the deployed model")
        found = sensors.get(message.sensor_id)
        if found is None or found[1] != message.reach_id:
            raise UnknownSensorIdError(
                f"stage sensor {message.sensor_id!r} is not on reach {message.reach_id!r}"
                f" of basin {basin_id!r}"
            )
        self.require_basin_key(record, basin_id)
        return basin_id, found[0]

    def apply(self, state: BasinState, source: int, message: RiverLevelReading) -> AcceptVerdict:
        """Offer the reading of sensor ``source`` to its basin's state."""
        at = round(message.observed_at.timestamp())
        return state.accept_stage(source, message.sequence, at, message.stage_m)

    def too_late(self, message: RiverLevelReading, state: BasinState) -> TooLateError:
        """The rejection of a reading whose slot is final already."""
        final_until = datetime.fromtimestamp(state.next_slot or 0, UTC).isoformat()
        return TooLateError(
            f"stage observed at {message.observed_at.isoformat()} falls in a slot already final"
            f" (basin {message.basin_id} is final until {final_until})"
        )

    @staticmethod
    def scored_in(slot: FinalisedSlot) -> int:
        """The river levels the slot took in."""
        return slot.stage_readings
