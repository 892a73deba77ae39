# The registry's API (and webhook worker) image for compose.yaml and production.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
COPY pyproject.toml README.md ./
COPY efa_registry ./efa_registry
COPY api ./api
COPY migrations ./migrations
COPY seed ./seed
RUN pip install . && useradd --system --uid 10001 efa
USER efa
EXPOSE 8000
# Migrate, load the shipped reference data (skipped when already there), then serve with several
# workers; EFA_DATABASE_URL points at the PostgreSQL service.
CMD ["sh", "-c", "efa-registry migrate && efa-registry seed && exec uvicorn api.asgi:app --host 0.0.0.0 --port 8000 --workers ${EFA_WORKERS:-2} --proxy-headers --no-access-log"]
