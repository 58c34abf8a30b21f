# The capgraph API. Run with docker-compose.yml (Neo4j store) or alone (embedded store in /data).
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
COPY pyproject.toml README.md ./
COPY capgraph ./capgraph
RUN pip install .
ENV CAPGRAPH_STORE=/data
VOLUME ["/data"]
EXPOSE 8000
CMD ["capgraph", "serve", "--host", "0.0.0.0"]
