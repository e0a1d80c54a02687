"""The real servers of the scale-out tests, and the settings.py a site on them loads.

``.ci/run`` starts Redis (``CLIENTFOLIO_TEST_REDIS_URL``) and an S3-compatible server,
moto's standalone server (``CLIENTFOLIO_TEST_S3_URL``), on loopback. Without the
variable a test that needs the server is skipped; in CI (``CI=true``) it fails.

The settings are those ``clientfolio/settings.py`` makes from an operator's environment
(docs/operations.md, *Redis* and *S3*), executed afresh, so the tests check what an
operator's variables turn into, not a copy of it."""

from __future__ import annotations

import os
import runpy
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import clientfolio

SETTINGS = Path(clientfolio.__file__).parent / "settings.py"


def server_url(variable: str, what: str) -> str:
    """The URL of a server CI started, else skip (fail in CI)."""
    url = os.environ.get(variable, "")
    if not url:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must provide {what}: .ci/run sets {variable}")
        pytest.skip(f"{variable} is not set (.ci/run starts {what})")
    return url


def settings_from(environment: dict[str, str]) -> dict[str, Any]:
    """clientfolio/settings.py executed with these variables added to the environment."""
    with pytest.MonkeyPatch.context() as patch:
        for name in ("REDIS_URL", "CLIENTFOLIO_STORAGE", "CLIENTFOLIO_ENV"):
            patch.delenv(name, raising=False)
        for name, value in environment.items():
            patch.setenv(name, value)
        return runpy.run_path(str(SETTINGS))


def redis_database_url() -> str:
    """The test Redis, on a database of this xdist worker's own (3, 4, …): the Celery
    tests use database 0 of the same server, and these tests flush theirs."""
    base = server_url("CLIENTFOLIO_TEST_REDIS_URL", "a Redis server")
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")
    return base.rsplit("/", 1)[0] + f"/{3 + int(worker or 0)}"


def s3_environment(bucket: str) -> dict[str, str]:
    """What an operator sets for S3-compatible storage (docs/operations.md, *S3*),
    pointing at the test server, with a bucket of the caller's own."""
    return {
        "CLIENTFOLIO_STORAGE": "s3",
        "AWS_STORAGE_BUCKET_NAME": bucket,
        "AWS_S3_ENDPOINT_URL": server_url(
            "CLIENTFOLIO_TEST_S3_URL", "an S3-compatible server"
        ),
        "AWS_S3_REGION_NAME": "cn-north-1",
        "AWS_S3_ADDRESSING_STYLE": "path",
        "AWS_LOCATION": "clientfolio",
        # moto accepts any key; a real service checks them.
        "AWS_ACCESS_KEY_ID": "clientfolio-test",
        "AWS_SECRET_ACCESS_KEY": "clientfolio-test-secret",
    }


def new_bucket(environment: dict[str, str]) -> None:
    import boto3

    boto3.client(
        "s3",
        endpoint_url=environment["AWS_S3_ENDPOINT_URL"],
        region_name=environment["AWS_S3_REGION_NAME"],
        aws_access_key_id=environment["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=environment["AWS_SECRET_ACCESS_KEY"],
    ).create_bucket(
        Bucket=environment["AWS_STORAGE_BUCKET_NAME"],
        CreateBucketConfiguration={
            "LocationConstraint": environment["AWS_S3_REGION_NAME"]
        },
    )


def s3_site(bucket_prefix: str) -> Iterator[dict[str, Any]]:
    """A new bucket on the test server and the default storage settings.py makes for
    it; the AWS variables stay set meanwhile (boto3 reads the keys from them)."""
    environment = s3_environment(f"{bucket_prefix}-{uuid.uuid4().hex[:12]}")
    new_bucket(environment)
    loaded = settings_from(environment)
    with pytest.MonkeyPatch.context() as patch:
        for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
            patch.setenv(name, environment[name])
        yield {"environment": environment, "default": loaded["STORAGES"]["default"]}
