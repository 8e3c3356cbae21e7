# One image for the API and the Chroma server (same chromadb version on both sides).
FROM python:3.11-slim
WORKDIR /app
ENV PIP_NO_CACHE_DIR=1 PYTHONUNBUFFERED=1 COPILOT_DATA_DIR=/data
COPY pyproject.toml README.md ./
COPY copilot ./copilot
COPY connectors ./connectors
COPY evals ./evals
COPY knowledge ./knowledge
# Prompts and the activity catalogue ship inside the package; knowledge/ is the demo data.
RUN pip install ".[postgres]"
RUN useradd --create-home copilot && mkdir -p /data && chown copilot /data
USER copilot
VOLUME ["/data"]
EXPOSE 8000
CMD ["copilot", "serve", "--host", "0.0.0.0", "--port", "8000"]
