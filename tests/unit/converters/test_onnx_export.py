"""The exported ONNX graph reproduces scikit-learn's outputs."""

from __future__ import annotations

import pytest
from sklearn.ensemble import RandomForestClassifier

from converters.exceptions import ParityError
from converters.manifest import ETA_OUTPUT, PROBABILITY_OUTPUT
from converters.onnx_export import onnx_parity


def test_parity_on_ten_thousand_held_out_rows(onnx_model, trained_models, synthetic_rows) -> None:
    """Both outputs agree with scikit-learn within 1e-4 on 10,000 rows not used in training."""
    classifier, regressor = trained_models
    features = synthetic_rows[0][2000:]
    assert len(features) >= 10_000
    diff = onnx_parity(onnx_model, classifier, regressor, features)
    assert diff["probability_max_abs_diff"] < 1e-4
    assert diff["eta_max_abs_diff"] < 1e-4


def test_graph_has_two_vector_outputs(onnx_model) -> None:
    """The graph exposes exactly the probability and ETA vectors, no ZipMap."""
    assert [o.name for o in onnx_model.graph.output] == [PROBABILITY_OUTPUT, ETA_OUTPUT]
    assert all(node.op_type != "ZipMap" for node in onnx_model.graph.node)


def test_parity_check_catches_a_different_model(onnx_model, trained_models, synthetic_rows) -> None:
    """Comparing the graph with another classifier fails loudly."""
    features, flooded, _ = synthetic_rows
    other = RandomForestClassifier(n_estimators=5, random_state=1).fit(
        features[:500], flooded[:500]
    )
    with pytest.raises(ParityError):
        onnx_parity(onnx_model, other, trained_models[1], features[2000:3000])
