#!/usr/bin/env bash
# Build the wheel, install it into a fresh virtualenv away from the source tree, and use it:
# `floodcast --help`, `floodcast model verify` on the default package, the JSON Schemas and
# Kafka build files and the operator page it ships as package data, and an import of every shipped module.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

.venv/bin/pip wheel --quiet --no-deps --wheel-dir "$work/dist" .
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet --require-hashes -r requirements.lock
"$work/venv/bin/pip" install --quiet --no-deps "$work"/dist/floodcast-*.whl
echo "built and installed $(basename "$work"/dist/floodcast-*.whl)"

cd "$work"  # nothing of the source tree is importable from here
"$work/venv/bin/floodcast" --help >/dev/null
"$work/venv/bin/floodcast" model verify "$root/models/default"
"$work/venv/bin/floodcast" schemas export --check
"$work/venv/bin/python" - <<'PY'
import importlib
import importlib.resources
import pkgutil

SHIPPED = ("schemas", "converters", "stream_app", "floodcast")
count = 0
for top in SHIPPED:
    package = importlib.import_module(top)
    assert "site-packages" in package.__file__, package.__file__
    for module in pkgutil.walk_packages(package.__path__, f"{top}."):
        if not module.name.endswith("__main__"):
            importlib.import_module(module.name)
            count += 1
data = importlib.resources.files("floodcast.kafka_local")
assert all(data.joinpath(name).is_file() for name in ("pom.xml", "log4j2-broker.properties"))
page = importlib.resources.files("floodcast.api.web").joinpath("static")
assert all(
    page.joinpath(name).is_file()
    for name in ("index.html", "style.css", "app.js", "api.js", "map.js", "view.js")
), "the operator page is missing from the wheel"
print(f"imported {count} shipped modules from the wheel; package data present")
PY
