# The pipeline's image: a Prefect worker for the `newsroom` pool by default,
# and the container that flow runs of the docker work pool execute in.
#
#   make image            # or: docker build -t newsroom-pipeline .
#
# Based on the official Prefect image, pinned exactly: Prefect itself comes
# from the base, everything else from pyproject.toml.
FROM prefecthq/prefect:3.9.1-python3.12

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    NEWSROOM_PROJECT_DIR=/opt/newsroom

# The flows' working directory: the pull step of the deployments
# (prefect.yaml) points here, and entrypoints are relative to it.
WORKDIR /opt/newsroom

# Dependencies first, read from pyproject.toml, in a layer of their own that
# survives code changes. The Prefect of the base already satisfies the
# `prefect` requirement, so pip keeps it; `pip check` below proves the result
# is consistent.
COPY pyproject.toml README.md ./
RUN python -c 'import tomllib; print("\n".join(tomllib.load(open("pyproject.toml", "rb"))["project"]["dependencies"]))' \
        > /tmp/requirements.txt \
    && pip install --no-cache-dir --requirement /tmp/requirements.txt \
    && rm /tmp/requirements.txt

# The unprivileged user flows and workers run as.
RUN useradd --uid 10001 --user-group --create-home --home-dir /home/newsroom \
        --shell /usr/sbin/nologin newsroom

# The code, owned by root and read-only for the user that runs it.
COPY config ./config
COPY tasks ./tasks
COPY flows ./flows
COPY cli ./cli
COPY prefect.yaml ./
RUN pip install --no-cache-dir --no-deps . \
    && rm -rf build ./*.egg-info \
    && pip check \
    && python -m compileall -q /opt/newsroom

USER 10001:10001
ENV HOME=/home/newsroom \
    PREFECT_HOME=/home/newsroom/.prefect

# Last, so that a new version or revision rebuilds no earlier layer.
ARG NEWSROOM_VERSION=unversioned
ARG NEWSROOM_REVISION=unknown
ARG NEWSROOM_SOURCE=unknown

LABEL org.opencontainers.image.title="newsroom-pipeline" \
      org.opencontainers.image.description="Fetch, clean, dedupe, bundle (IPTC ninjs) and publish news stories; Prefect worker image" \
      org.opencontainers.image.version="${NEWSROOM_VERSION}" \
      org.opencontainers.image.revision="${NEWSROOM_REVISION}" \
      org.opencontainers.image.source="${NEWSROOM_SOURCE}" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.base.name="docker.io/prefecthq/prefect:3.9.1-python3.12"

# The base's entrypoint (tini, then the command) stays. No HEALTHCHECK: the
# same image runs short-lived flow-run containers, which serve nothing.
CMD ["prefect", "worker", "start", "--pool", "newsroom", "--type", "process"]
