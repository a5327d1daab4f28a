# Floodcast image (worker, emulator, monitor, API). It installs the project's wheel, so every
# shipped package and its data files come in one piece; the default model package is built at
# image build time, so every container of one image serves the same, verified model.
FROM python:3.11-slim-bookworm AS wheel
WORKDIR /src
COPY . .
RUN pip wheel --no-deps --wheel-dir /dist .

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
COPY requirements.lock ./
RUN pip install --require-hashes -r requirements.lock
COPY --from=wheel /dist/ /tmp/dist/
RUN pip install --no-deps /tmp/dist/*.whl && rm -rf /tmp/dist \
    && floodcast train --out /app/models/default \
    && floodcast model verify /app/models/default

RUN useradd --system --uid 10001 floodcast && mkdir -p /app/.floodcast && chown floodcast /app/.floodcast
USER floodcast
ENTRYPOINT ["floodcast"]
CMD ["worker"]
