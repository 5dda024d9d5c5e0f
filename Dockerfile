# The pipeline's worker image: runs Prefect workers and flow runs.
FROM prefecthq/prefect:3.9.1-python3.12

WORKDIR /opt/newsroom
COPY pyproject.toml README.md ./
COPY config ./config
COPY tasks ./tasks
COPY flows ./flows
COPY cli ./cli
COPY fixtures ./fixtures
RUN pip install --no-cache-dir .

ENV NEWSROOM_PROJECT_DIR=/opt/newsroom \
    PREFECT_SERVER_ANALYTICS_ENABLED=false \
    DO_NOT_TRACK=1
RUN useradd --create-home --uid 10001 newsroom
USER newsroom
CMD ["prefect", "worker", "start", "--pool", "newsroom", "--type", "process"]
