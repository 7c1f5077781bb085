"""docker-compose.temporal.yml cannot run here (no Docker engine); keep it valid and on contract."""

from __future__ import annotations

from pathlib import Path

import yaml

COMPOSE = Path(__file__).resolve().parents[1] / "docker-compose.temporal.yml"


def test_compose_file_matches_the_documented_ports() -> None:
    spec = yaml.safe_load(COMPOSE.read_text())
    services = spec["services"]
    assert {"postgresql", "temporal", "temporal-ui"} <= set(services)
    assert "7234:7233" in services["temporal"]["ports"], "frontend published where TEMPORAL_HOST points"
    assert "8080:8080" in services["temporal-ui"]["ports"]
    assert services["temporal"]["environment"]["DB"].startswith("postgres")
    assert services["temporal"]["depends_on"]["postgresql"]["condition"] == "service_healthy"


SCALE = COMPOSE.with_name("docker-compose.scale.yml")


def test_scale_file_adds_minio_and_scalable_stateless_workers() -> None:
    base = yaml.safe_load(COMPOSE.read_text())
    spec = yaml.safe_load(SCALE.read_text())
    assert spec["name"] == base["name"], "one project, so `-f temporal -f scale` merges into one network"
    services = spec["services"]
    assert {"minio", "minio-init", "workers", "api"} <= set(services)
    workers = services["workers"]
    assert "container_name" not in workers and "ports" not in workers, "`--scale workers=N` needs both absent"
    assert workers["command"] == ["brandtruth", "worker"]
    assert workers["depends_on"]["temporal"]["condition"] == "service_healthy"
    assert workers["depends_on"]["minio-init"]["condition"] == "service_completed_successfully"
    for name in ("workers", "api"):
        env = services[name]["environment"]
        assert env["TEMPORAL_HOST"] == "temporal:7233", "the frontend's port inside the compose network"
        assert env["BRANDTRUTH_ARTIFACT_STORE"].startswith("s3://brandtruth/")
        assert env["AWS_ENDPOINT_URL"] == "http://minio:9000"
        assert env["AWS_SECRET_ACCESS_KEY"].startswith("${MINIO_ROOT_PASSWORD:?"), "no secret in the repo"
    bucket_cmd = " ".join(services["minio-init"]["command"])
    assert "mb --ignore-existing local/brandtruth" in bucket_cmd, "the bucket the store URL names is created"
    assert services["minio"]["environment"]["MINIO_ROOT_PASSWORD"].startswith("${MINIO_ROOT_PASSWORD:?")
    dockerfile = COMPOSE.with_name("Dockerfile").read_text()
    assert "pip install ." in dockerfile and "USER brandtruth" in dockerfile
