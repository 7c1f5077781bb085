"""Settings read from the environment (and a `.env` file), shared by every process."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class Settings(BaseSettings):
    """Every knob in one place; env names are the documented contract (see README)."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    temporal_host: str = Field("localhost:7234", alias="TEMPORAL_HOST")
    temporal_namespace: str = Field("default", alias="TEMPORAL_NAMESPACE")
    temporal_task_queue: str = Field("brandtruth-pipeline", alias="TEMPORAL_TASK_QUEUE")
    temporal_ui_port: int = Field(8080, alias="TEMPORAL_UI_PORT")

    data_dir: Path = Field(Path("data"), alias="BRANDTRUTH_DATA_DIR")
    # Where run artifacts live: unset = data_dir/artifacts, `file://PATH`, or `s3://BUCKET/PREFIX`
    # (endpoint and credentials from the standard AWS_* variables / profiles).
    artifact_store: str | None = Field(None, alias="BRANDTRUTH_ARTIFACT_STORE")
    # Worker processes `brandtruth up` starts (None = one per CPU).
    workers: int | None = Field(None, alias="BRANDTRUTH_WORKERS", ge=1, le=64)
    # Activities one worker process runs at once (network-bound extract overlaps CPU-bound stages).
    worker_activities: int = Field(4, alias="BRANDTRUTH_WORKER_ACTIVITIES", ge=1, le=100)
    # Threads a worker process runs stage CPU work and blocking store I/O on: the GIL lets about one
    # do Python work at a time, and each holds decoded images, so more only costs memory (measured:
    # 8-pipeline burst, peak RSS 931 MB with Python's default of CPUs+4, 649 MB with 2, not slower).
    worker_threads: int = Field(2, alias="BRANDTRUTH_WORKER_THREADS", ge=1, le=64)
    api_key: str | None = Field(None, alias="BRANDTRUTH_API_KEY")
    api_host: str = Field("127.0.0.1", alias="BRANDTRUTH_API_HOST")
    api_port: int = Field(8000, alias="BRANDTRUTH_API_PORT")
    sample_site_port: int = Field(8001, alias="BRANDTRUTH_SAMPLE_SITE_PORT")

    # Loopback/private hosts the SSRF guard admits: "host" or "host:port", comma-separated.
    allowed_hosts: Annotated[list[str], NoDecode] = Field(default_factory=list, alias="BRANDTRUTH_ALLOWED_HOSTS")

    # Crawl limits.
    max_pages: int = Field(5, alias="BRANDTRUTH_MAX_PAGES")
    fetch_timeout_seconds: float = Field(10.0, alias="BRANDTRUTH_FETCH_TIMEOUT")
    crawl_budget_seconds: float = Field(45.0, alias="BRANDTRUTH_CRAWL_BUDGET")
    render_javascript: bool = Field(False, alias="BRANDTRUTH_RENDER_JS")
    chromium_path: str = Field("/usr/bin/chromium", alias="BRANDTRUTH_CHROMIUM_PATH")

    # Copy generation.
    copy_generator: Literal["template", "anthropic", "openai"] = Field("template", alias="BRANDTRUTH_COPY_GENERATOR")
    allow_high_risk_claims: bool = Field(False, alias="BRANDTRUTH_ALLOW_HIGH_RISK_CLAIMS")
    anthropic_api_key: str | None = Field(None, alias="ANTHROPIC_API_KEY")
    anthropic_base_url: str | None = Field(None, alias="ANTHROPIC_BASE_URL")
    anthropic_model: str = Field("claude-sonnet-4-5", alias="BRANDTRUTH_ANTHROPIC_MODEL")
    openai_api_key: str | None = Field(None, alias="OPENAI_API_KEY")
    openai_base_url: str | None = Field(None, alias="OPENAI_BASE_URL")
    openai_model: str = Field("gpt-4o-mini", alias="BRANDTRUTH_OPENAI_MODEL")
    llm_timeout_seconds: float = Field(60.0, alias="BRANDTRUTH_LLM_TIMEOUT")

    # Stock imagery (optional).
    pexels_api_key: str | None = Field(None, alias="PEXELS_API_KEY")
    unsplash_access_key: str | None = Field(None, alias="UNSPLASH_ACCESS_KEY")

    @field_validator("allowed_hosts", mode="before")
    @classmethod
    def _split_hosts(cls, value: object) -> object:
        if isinstance(value, str):
            return [h.strip().lower() for h in value.split(",") if h.strip()]
        return value

    @property
    def artifacts_dir(self) -> Path:
        return self.data_dir / "artifacts"

    @property
    def fallback_db(self) -> Path:
        return self.data_dir / "fallback.sqlite3"

    @property
    def models_dir(self) -> Path:
        return self.data_dir / "models"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Process-wide settings; tests build their own `Settings(...)` instead of mutating this."""
    return Settings()
