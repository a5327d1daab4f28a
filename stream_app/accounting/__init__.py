"""What became of every consumed reading: scored, pending, deduplicated or dead-lettered."""

from stream_app.accounting.accounting_reader import AccountingSnapshot, read_accounting
from stream_app.accounting.partition_counts import PartitionCounts

__all__ = ["AccountingSnapshot", "PartitionCounts", "read_accounting"]
