# The capgraph API. Run with docker-compose.yml (Neo4j store) or alone (embedded store in /data).
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
COPY pyproject.toml README.md ./
COPY capgraph ./capgraph
RUN pip install .
# An unprivileged user owns only the data folder: a flaw in the server cannot rewrite the image.
RUN useradd --system --uid 10001 --user-group --home-dir /home/capgraph --create-home capgraph \
    && mkdir -p /data && chown capgraph:capgraph /data && chmod 0700 /data
# The generated API key is kept in the data volume, so it survives rebuilds (also with a Neo4j store).
ENV CAPGRAPH_STORE=/data CAPGRAPH_API_KEY_FILE=/data/api-key HOME=/home/capgraph
VOLUME ["/data"]
USER 10001:10001
EXPOSE 8000
CMD ["capgraph", "serve", "--host", "0.0.0.0"]
