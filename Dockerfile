# The BrandTruth image for docker-compose.scale.yml: one image, run as `brandtruth worker` or
# `brandtruth api`. Stateless: run data lives in BRANDTRUTH_ARTIFACT_STORE (s3://…), history in Temporal.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
COPY pyproject.toml README.md ./
COPY src ./src
RUN pip install . && useradd --create-home --uid 10001 brandtruth
USER brandtruth
ENV BRANDTRUTH_DATA_DIR=/home/brandtruth/data
CMD ["brandtruth", "worker"]
