# Floodcast worker / emulator / API image. The default model package is built at image build
# time, so every container of one image serves the same, verified model.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app

COPY requirements.lock pyproject.toml README.md ./
RUN pip install --require-hashes -r requirements.lock

COPY catchment catchment
COPY features features
COPY converters converters
COPY schemas schemas
COPY stream_app stream_app
COPY kafka_local kafka_local
COPY gauge_emulator gauge_emulator
COPY floodcast floodcast
RUN pip install --no-deps . && floodcast train --out /app/models/default

RUN useradd --system --uid 10001 floodcast && mkdir -p /app/.floodcast && chown floodcast /app/.floodcast
USER floodcast
ENTRYPOINT ["floodcast"]
CMD ["worker"]
