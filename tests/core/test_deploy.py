"""``clientfolio check --deploy`` is clean with the production settings that
docs/operations.md (*Deploying*) has the operator put into /etc/clientfolio/env: the
file deploy/env.example, read here as the units read it, with a secret key of its own
(deploy/e2e.sh runs the same check on the deployment it builds)."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs" / "operations.md"
ENV_FILE = ROOT / "deploy" / "env.example"


def production_environment(tmp_path) -> dict[str, str]:
    """The variables of deploy/env.example, with the placeholder key replaced, and the
    CLIENTFOLIO_ENV=production the systemd units add."""
    assert "install -m 640 -g clientfolio /srv/clientfolio/deploy/env.example" in (
        DOCS.read_text(encoding="utf-8")
    )
    variables = dict(
        re.findall(r"^(\w+)=(\S*)$", ENV_FILE.read_text(encoding="utf-8"), re.M)
    )
    variables["SECRET_KEY"] = secrets.token_urlsafe(50)
    variables["CLIENTFOLIO_ENV"] = "production"
    assert variables["DEBUG"] == "false"
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
        **variables,
        "CLIENTFOLIO_DATA_DIR": str(tmp_path),
    }


def test_the_documented_production_settings_pass_the_deploy_check(tmp_path):
    # given the environment docs/operations.md sets for production
    env = production_environment(tmp_path)

    # when Django's deployment checks run with it
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "clientfolio",
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )

    # then there is nothing to warn about
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
