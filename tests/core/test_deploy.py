"""``clientfolio check --deploy`` is clean with the production settings that
docs/operations.md gives, read from the document itself so the two cannot drift apart."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parents[2] / "docs" / "operations.md"


def production_environment(tmp_path) -> dict[str, str]:
    """The ``export`` lines of the *Production* section, with the placeholders filled."""
    section = DOCS.read_text(encoding="utf-8").split("## Production", 1)[1]
    block = section.split("```sh", 1)[1].split("```", 1)[0]
    variables = {}
    for line in block.splitlines():
        if line.startswith("export "):
            for name, value in re.findall(r"(\w+)=(\S+)", line):
                variables[name] = value
    placeholders = {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": "postgres://clientfolio:secret@127.0.0.1:5432/clientfolio",
    }
    for name, value in placeholders.items():
        if variables.get(name, "").endswith("..."):
            variables[name] = value
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
