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
