"""A fix for skl2onnx 1.20's HistGradientBoosting converter, applied before any conversion.

skl2onnx builds each tree node's ``nodes_missing_value_tracks_true`` attribute from
``missing = False`` (leaves) or ``node["missing_go_to_left"]`` (a numpy uint8). ONNX's
``make_attribute`` puts that list into ``AttributeProto.ints``, and protobuf refuses the Python
bool: ``TypeError: ... Expected an int, got a boolean``, surfacing as ``Unable to create node
'TreeEnsembleClassifier'``. Coercing the flags to ``int`` after skl2onnx appends them is the
whole fix; the converter's output is otherwise unchanged.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from skl2onnx.operator_converters import random_forest

_MISSING_FLAGS = "nodes_missing_value_tracks_true"


def _with_integer_missing_flags(add_tree: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(add_tree)
    def add_tree_with_int_flags(attr_pairs: dict[str, list[Any]], *args: Any, **kwargs: Any) -> Any:
        result = add_tree(attr_pairs, *args, **kwargs)
        attr_pairs[_MISSING_FLAGS] = [int(flag) for flag in attr_pairs[_MISSING_FLAGS]]
        return result

    add_tree_with_int_flags.floodcast_patched = True  # type: ignore[attr-defined]
    return add_tree_with_int_flags


def patch_hist_gradient_boosting_converter() -> None:
    """Install the fix once (idempotent). The HistGradientBoosting converters live in
    ``random_forest``, which imported the tree helper by name, so the name is patched there."""
    current = random_forest.add_tree_to_attribute_pairs_hist_gradient_boosting
    if not getattr(current, "floodcast_patched", False):
        random_forest.add_tree_to_attribute_pairs_hist_gradient_boosting = (
            _with_integer_missing_flags(current)
        )
