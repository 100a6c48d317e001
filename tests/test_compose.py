"""What the container stack (``Dockerfile``, ``compose.yaml``, ``.env.example``) promises and
a reader cannot see it break until a deployment does: the app in the stack gets every setting
the server reads from the environment, ``.env.example`` names only what the stack reads, the
schema is upgraded before the server starts, and the image serves on all its addresses as an
unprivileged user. ``deploy/smoke-test`` (run by CI) builds and runs the stack itself."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

REPOSITORY = Path(__file__).resolve().parents[1]
SOURCE = REPOSITORY / "src" / "peerconomy"


def _compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((REPOSITORY / "compose.yaml").read_text())
    return loaded


def _server_settings() -> set[str]:
    """Every ``PEERCONOMY_*`` variable the server's code names: the HTTP layer's and the API's
    settings and the database's URL."""
    files = [*sorted((SOURCE / "api").rglob("*.py")), *sorted((SOURCE / "http").rglob("*.py")),
             SOURCE / "asgi.py", SOURCE / "environment.py",
             *sorted((SOURCE / "store" / "sql").rglob("*.py"))]
    return {name for path in files
            for name in re.findall(r"\bPEERCONOMY_[A-Z_]+\b", path.read_text())}


def test_the_app_in_the_stack_gets_every_setting_the_server_reads() -> None:
    settings = _server_settings()
    assert {"PEERCONOMY_DATABASE_URL", "PEERCONOMY_SMTP_URL", "PEERCONOMY_LOG_LEVEL"} <= settings
    environment = _compose()["services"]["app"]["environment"]
    assert sorted(settings - set(environment)) == []


def test_env_example_names_only_what_the_stack_reads() -> None:
    compose = (REPOSITORY / "compose.yaml").read_text()
    read = set(re.findall(r"\$\{([A-Z_]+)", compose))
    example = (REPOSITORY / ".env.example").read_text()
    named = set(re.findall(r"^#?([A-Z][A-Z_]+)=", example, flags=re.MULTILINE))
    assert {"DOMAIN", "POSTGRES_PASSWORD"} <= named
    assert sorted(named - read) == []


def test_env_example_holds_no_password() -> None:
    example = (REPOSITORY / ".env.example").read_text()
    assert re.search(r"^POSTGRES_PASSWORD=$", example, flags=re.MULTILINE)
    assert re.search(r"^PEERCONOMY_SECRET_KEY=.", example, flags=re.MULTILINE) is None


def test_the_app_upgrades_the_database_before_it_serves() -> None:
    command = " ".join(_compose()["services"]["app"]["command"])
    upgrade, serve = command.find("peerconomy db upgrade &&"), command.find("peerconomy serve")
    assert 0 <= upgrade < serve
    assert "--host 0.0.0.0" in command[serve:]


def test_the_image_serves_on_all_its_addresses_as_an_unprivileged_user() -> None:
    dockerfile = (REPOSITORY / "Dockerfile").read_text()
    final_stage = dockerfile[dockerfile.rindex("\nFROM "):]
    users = re.findall(r"^USER (\S+)", final_stage, flags=re.MULTILINE)
    assert users and users[-1] not in {"root", "0"}
    assert re.search(r'^CMD \["peerconomy", "serve", "--host", "0\.0\.0\.0"', final_stage,
                     flags=re.MULTILINE)
    assert re.search(r"^VOLUME /var/lib/peerconomy$", final_stage, flags=re.MULTILINE)
