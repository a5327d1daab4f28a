"""What became of every consumed reading: scored, pending, deduplicated or dead-lettered."""

import lazy_loader

# Submodules load on first use, so importing the package costs nothing (as faust's face).
__getattr__, __dir__, __all__ = lazy_loader.attach(
    __name__,
    submod_attrs={
        "accounting_reader": ["AccountingSnapshot", "read_accounting"],
        "partition_counts": ["PartitionCounts"],
    },
)
