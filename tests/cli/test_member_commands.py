"""The operator's commands for accounts and membership lists, on SQLite and PostgreSQL: the
site's first admin made on purpose, a farm's households imported with their invitations."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

from typer.testing import CliRunner

from peerconomy.cli import app
from peerconomy.services import membership, password_reset
from peerconomy.store.sql import open_store

runner = CliRunner()
WORKSHOP = Path(__file__).resolve().parents[2] / "examples" / "workshop.json"


def run(db: str, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, [*args, "--db", db], env={"PEERCONOMY_BASE_URL":
                                                          "https://farm.example"})
    return result.exit_code, result.stdout, result.stderr


def test_the_first_admin_is_made_with_a_link_that_sets_the_password(db_url: str) -> None:
    code, out, err = run(db_url, "user", "create", "root", "--email", "root@farm.example",
                         "--admin")
    assert code == 0, err
    link = out.strip().splitlines()[-1]
    assert link.startswith("https://farm.example/reset/")
    with open_store(db_url) as store:
        password_reset.reset_password(store.unit_of_work(), link.rsplit("/", 1)[1],
                                      "root's own password")
    code, out, _ = run(db_url, "user", "list", "--json")
    assert code == 0 and '"site_admin": true' in out
    assert run(db_url, "user", "demote", "root")[0] == 0
    code, _, err = run(db_url, "user", "demote", "root")
    assert (code, err) == (2, "error: 'root' is no admin already\n")
    assert run(db_url, "user", "disable", "root")[0] == 0
    code, _, err = run(db_url, "user", "reset-password", "root")
    assert code == 2 and "disabled" in err
    code, _, err = run(db_url, "user", "create", "Root!", "--email", "x@farm.example")
    assert code == 2 and err.startswith("error: name: ")


def test_a_pool_import_invites_every_member_and_nobody_is_matched_by_name(
    db_url: str, tmp_path: Path
) -> None:
    links = tmp_path / "links.csv"
    code, _, err = run(db_url, "pool", "import", str(WORKSHOP), "--pool", "workshop",
                       "--coordinator", "ana", "--invitations", str(links))
    assert code == 0, err
    assert os.stat(links).st_mode & 0o777 == 0o600
    rows = list(csv.DictReader(io.StringIO(links.read_text(encoding="utf-8"))))
    with open_store(db_url) as store, store.unit_of_work() as uow:
        ids = [m.id for m in uow.pools.members("workshop")]
        assert all(m.account is None for m in uow.pools.members("workshop"))
    assert [r["id"] for r in rows] == ids
    assert all(r["link"].startswith("https://farm.example/invitations/") for r in rows)


def test_a_membership_list_with_a_bad_row_is_refused_whole(db_url: str, tmp_path: Path) -> None:
    run(db_url, "pool", "import", str(WORKSHOP), "--pool", "workshop")
    households = tmp_path / "households.csv"
    households.write_text("id,display_name,email\nh1,One,h1@farm.example\nh2,Two,nope\n",
                          encoding="utf-8")
    code, _, err = run(db_url, "member", "import", str(households), "--pool", "workshop")
    assert (code, err) == (2, "error: line 3, email: is not an email address\n")
    households.write_text("id,display_name,email\nh1,One,h1@farm.example\nh2,Two,\n",
                          encoding="utf-8")
    code, out, err = run(db_url, "member", "import", str(households), "--pool", "workshop")
    assert code == 0, err
    assert "2 members added to workshop" in out and "/invitations/" in out
    with open_store(db_url) as store, store.unit_of_work() as uow:
        assert [m.id for m in uow.pools.members("workshop")][-2:] == ["h1", "h2"]
        assert {i.member for i in uow.accounts.invitations("workshop")} >= {"h1", "h2"}


def test_a_list_that_is_no_regular_file_is_refused_without_waiting(
    db_url: str, tmp_path: Path
) -> None:
    fifo = tmp_path / "members.csv"
    os.mkfifo(fifo)
    code, _, err = run(db_url, "member", "import", str(fifo), "--pool", "workshop")
    assert (code, err) == (2, f"error: {fifo}: is not a regular file\n")
    code, _, err = run(db_url, "member", "import", "/dev/zero", "--pool", "workshop")
    assert (code, err) == (2, "error: /dev/zero: is not a regular file\n")


def test_an_operator_links_an_account_to_a_member(db_url: str) -> None:
    run(db_url, "pool", "import", str(WORKSHOP), "--pool", "workshop")
    run(db_url, "user", "create", "ana.k", "--email", "ana@farm.example")
    code, _, err = run(db_url, "member", "link", "--pool", "workshop", "ana", "ana.k")
    assert code == 0, err
    with open_store(db_url) as store:
        standing = membership.access(store.unit_of_work(), "workshop", "ana.k")
    assert standing.member is not None and standing.member.id == "ana"
    code, _, err = run(db_url, "member", "link", "--pool", "workshop", "ana", "ana.k")
    assert code == 2 and "claimed already" in err


def test_the_operator_exports_and_deletes_an_account_on_its_owners_request(
    db_url: str, tmp_path: Path
) -> None:
    assert run(db_url, "pool", "import", str(WORKSHOP), "--pool", "workshop",
               "--coordinator", "ana")[0] == 0
    assert run(db_url, "user", "create", "bert", "--email", "bert@farm.example")[0] == 0
    with open_store(db_url) as store:
        membership.link_member(store.unit_of_work(), "workshop", "ben", "bert")
    out_file = tmp_path / "bert.json"
    code, _, err = run(db_url, "user", "export", "bert", "--output", str(out_file))
    assert code == 0, err
    export = json.loads(out_file.read_text(encoding="utf-8"))
    assert export["account"]["email"] == "bert@farm.example"
    assert [m["member"]["id"] for m in export["memberships"]] == ["ben"]
    code, out, err = run(db_url, "user", "delete", "bert", "--yes")
    assert code == 0, err
    assert "pool workshop: its member is now gone-" in out
    with open_store(db_url) as store, store.unit_of_work() as uow:
        assert uow.accounts.user("bert") is None
        assert uow.pools.member("workshop", "ben") is None
    code, _, err = run(db_url, "user", "delete", "bert", "--yes")
    assert (code, err) == (2, "error: no user 'bert'\n")
    code, _, err = run(db_url, "user", "export", "nobody")
    assert code == 2 and "no user 'nobody'" in err


def test_deleting_without_confirmation_deletes_nothing(db_url: str) -> None:
    assert run(db_url, "user", "create", "bert", "--email", "bert@farm.example")[0] == 0
    result = runner.invoke(app, ["user", "delete", "bert", "--db", db_url], input="n\n")
    assert result.exit_code == 2
    with open_store(db_url) as store, store.unit_of_work() as uow:
        assert uow.accounts.user("bert") is not None


def test_an_invitations_file_shows_a_name_that_starts_like_a_formula_as_text(
    db_url: str, tmp_path: Path
) -> None:
    run(db_url, "pool", "import", str(WORKSHOP), "--pool", "workshop")
    households = tmp_path / "households.csv"
    households.write_text('id,display_name\nh1,"=HYPERLINK(""http://x.example"")"\n',
                          encoding="utf-8")
    links = tmp_path / "links.csv"
    code, _, err = run(db_url, "member", "import", str(households), "--pool", "workshop",
                       "--invitations", str(links))
    assert code == 0, err
    (row,) = csv.DictReader(io.StringIO(links.read_text(encoding="utf-8")))
    assert row["display_name"] == "'=HYPERLINK(\"http://x.example\")"
