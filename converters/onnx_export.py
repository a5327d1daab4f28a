"""Export the flood classifier and the time-to-flood regressor as one ONNX graph.

The graph takes ``features`` (float32, rows x features) and returns ``flood_probability`` and
``eta_hours``, both float32 vectors with one value per row.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import numpy as np
import onnx
from numpy.typing import NDArray
from onnx import helper, numpy_helper
from skl2onnx import convert_sklearn
from skl2onnx.common.data_types import FloatTensorType
from skl2onnx.operator_converters import random_forest
from sklearn.base import ClassifierMixin, RegressorMixin

from converters.exceptions import ExportError, ParityError
from converters.manifest import ETA_OUTPUT, INPUT_NAME, PROBABILITY_OUTPUT

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


PARITY_TOLERANCE = 1e-4


def _convert(
    model: object, n_features: int, options: dict[int, dict[str, object]]
) -> onnx.ModelProto:
    patch_hist_gradient_boosting_converter()
    try:
        return convert_sklearn(
            model,
            initial_types=[(INPUT_NAME, FloatTensorType([None, n_features]))],
            options=options,
        )
    except Exception as exc:  # skl2onnx raises bare RuntimeError/ValueError/TypeError
        raise ExportError(f"skl2onnx could not convert {type(model).__name__}: {exc}") from exc


def _prefixed(graph: onnx.GraphProto, prefix: str) -> onnx.GraphProto:
    """A copy of ``graph`` with every name but the shared input prefixed."""
    graph = onnx.GraphProto.FromString(graph.SerializeToString())

    def rename(name: str) -> str:
        return name if name in ("", INPUT_NAME) else prefix + name

    for node in graph.node:
        node.name = prefix + node.name
        node.input[:] = [rename(n) for n in node.input]
        node.output[:] = [rename(n) for n in node.output]
    for tensor in graph.initializer:
        tensor.name = rename(tensor.name)
    for value in (*graph.output, *graph.value_info):
        value.name = rename(value.name)
    return graph


def _opsets(*models: onnx.ModelProto) -> list[onnx.OperatorSetIdProto]:
    versions: dict[str, int] = {}
    for model in models:
        for opset in model.opset_import:
            versions[opset.domain] = max(versions.get(opset.domain, 0), opset.version)
    return [helper.make_opsetid(domain, version) for domain, version in sorted(versions.items())]


def export_flood_model(
    classifier: ClassifierMixin, regressor: RegressorMixin, n_features: int, *, name: str
) -> onnx.ModelProto:
    """Convert both estimators and join them into one graph with two vector outputs.

    Raises:
        ExportError: skl2onnx failed on either estimator.
    """
    clf_onnx = _convert(classifier, n_features, {id(classifier): {"zipmap": False}})
    reg_onnx = _convert(regressor, n_features, {})
    clf = _prefixed(clf_onnx.graph, "clf_")
    reg = _prefixed(reg_onnx.graph, "eta_")
    probabilities = next(o.name for o in clf.output if "probabilities" in o.name)
    variable = reg.output[0].name
    tail = [
        numpy_helper.from_array(np.array(1, dtype=np.int64), "positive_class"),
        numpy_helper.from_array(np.array([-1], dtype=np.int64), "flat_shape"),
    ]
    nodes = [
        *clf.node,
        *reg.node,
        helper.make_node("Gather", [probabilities, "positive_class"], [PROBABILITY_OUTPUT], axis=1),
        helper.make_node("Reshape", [variable, "flat_shape"], [ETA_OUTPUT]),
    ]
    graph = helper.make_graph(
        nodes,
        name,
        inputs=[
            helper.make_tensor_value_info(INPUT_NAME, onnx.TensorProto.FLOAT, [None, n_features])
        ],
        outputs=[
            helper.make_tensor_value_info(PROBABILITY_OUTPUT, onnx.TensorProto.FLOAT, [None]),
            helper.make_tensor_value_info(ETA_OUTPUT, onnx.TensorProto.FLOAT, [None]),
        ],
        initializer=[*clf.initializer, *reg.initializer, *tail],
    )
    model = helper.make_model(
        graph, opset_imports=_opsets(clf_onnx, reg_onnx), producer_name="floodcast"
    )
    model.ir_version = min(clf_onnx.ir_version, reg_onnx.ir_version)
    onnx.checker.check_model(model)
    return model


def onnx_parity(
    model: onnx.ModelProto,
    classifier: ClassifierMixin,
    regressor: RegressorMixin,
    features: NDArray[np.float32],
) -> dict[str, float]:
    """Max absolute difference between ONNX Runtime and scikit-learn on ``features``.

    Raises:
        ParityError: either output differs by more than ``PARITY_TOLERANCE``.
    """
    import onnxruntime as ort

    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    rows = np.ascontiguousarray(features, dtype=np.float32)
    probability, eta = session.run([PROBABILITY_OUTPUT, ETA_OUTPUT], {INPUT_NAME: rows})
    diff = {
        "probability_max_abs_diff": float(
            np.max(np.abs(probability - classifier.predict_proba(rows)[:, 1]))
        ),
        "eta_max_abs_diff": float(np.max(np.abs(eta - regressor.predict(rows)))),
    }
    if max(diff.values()) >= PARITY_TOLERANCE:
        raise ParityError(f"ONNX Runtime differs from scikit-learn: {diff}")
    return diff
