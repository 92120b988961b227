# frontwire services: one image, the service chosen by the command
# (`serve ingest|classify|notify|api`, see docker-compose.yml).
FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
# A venv that is copied whole into the final stage: no build files or pip cache there.
RUN python -m venv /opt/frontwire
WORKDIR /src
# Dependencies first, so code edits do not reinstall them: same locked versions as `make install`.
COPY pyproject.toml constraints.txt README.md ./
COPY frontwire ./frontwire
COPY schemas ./schemas
COPY services ./services
RUN /opt/frontwire/bin/pip install -c constraints.txt .

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/frontwire/bin:$PATH \
    FRONTWIRE_DATA_DIR=/var/lib/frontwire \
    FRONTWIRE_LOG_FORMAT=json
RUN useradd --system --uid 10001 --user-group --home-dir /var/lib/frontwire --create-home \
        --shell /usr/sbin/nologin frontwire
COPY --from=build /opt/frontwire /opt/frontwire
USER frontwire
WORKDIR /var/lib/frontwire
# 8080 API; 9101-9103 /metrics and /healthz of ingest, classify, notify.
EXPOSE 8080 9101 9102 9103
ENTRYPOINT ["frontwire"]
CMD ["--help"]
