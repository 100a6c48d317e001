"""A federation of pools: a directory of scenario files, one pool each, cleared as one.

A federation is a directory ``DIR`` holding one ``peerconomy-scenario/1`` file per pool
(``DIR/*.json``; the pool's name is the file's stem) and, optionally, ``DIR/federation.json``
(``{"format": "peerconomy-federation/1", "settings": {...}}``). Its *merged pool* is the
scenario with every pool's participants, projects, tasks, goods, offers, wishes and holdings,
the pools taken in the order of their names. A pool's wishes may name another pool's goods, a
product type made in several pools, and so on: references resolve in the merged pool.

Rules:

* ids are unique across the federation: an id of a kind given by two pools is refused
  (``b.json: goods[3].id: 'bread' is also a good of pool 'a'``);
* one set of settings (``max_weight``, ``seed``, ``weight_estimates``): from
  ``federation.json`` where there is one, else from the first pool (by name) that gives
  settings; any pool file that gives settings must give the same ones (compared as
  validated, so ``{"max_weight": 5}`` equals no ``max_weight``);
* every problem of the merged pool is named in its pool's file: ``b.json: offers[2].hours:
  must be >= 0, got -1``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import pydantic_core

from peerconomy.domain.files import read_regular_file
from peerconomy.domain.scenario import (
    FORMAT,
    ScenarioError,
    Settings,
    parse_part,
    parse_scenario,
)
from peerconomy.domain.scenario_columns import ScenarioColumns, columns_of, read_columns

__all__ = [
    "FEDERATION_FILE",
    "FEDERATION_FORMAT",
    "KINDS",
    "Federation",
    "load_federation",
    "merge_pools",
]

FEDERATION_FILE: Final = "federation.json"
FEDERATION_FORMAT: Final = "peerconomy-federation/1"
KINDS: Final = ("participants", "projects", "tasks", "goods", "offers", "wishes", "holdings")
"""The lists of a scenario, merged by concatenation in the order of the pools' names."""
_ID_KINDS: Final = {"participants": "participant", "projects": "project", "tasks": "task",
                    "goods": "good", "wishes": "wish"}
_POOL_KEYS: Final = {"format", "settings", *KINDS}
_ITEM: Final = re.compile(r"\b(" + "|".join(KINDS) + r")\[(\d+)\]")


@dataclass(frozen=True)
class Federation:
    """Pools by name (raw scenario dicts), the federation's settings (raw), and where each
    pool came from (its file, for messages).

    ``owner[kind][i]`` is the pool of the merged pool's ``kind[i]``; ``offset[kind][pool]``
    where that pool's items of the kind start.
    """

    pools: dict[str, Mapping[str, Any]]
    settings: Mapping[str, Any]
    sources: dict[str, str]
    merged: dict[str, Any] = field(repr=False)
    owner: dict[str, list[str]] = field(repr=False)
    offset: dict[str, dict[str, int]] = field(repr=False)

    @property
    def names(self) -> list[str]:
        """The pools' names, in the merged pool's order."""
        return list(self.pools)

    def scenario(self) -> ScenarioColumns:
        """The merged pool, validated, as columns; a problem is named in its pool's file.

        The merged pool is written as JSON (by pydantic's serializer, in Rust) and read by the
        columnar reader, which accepts and refuses exactly what the parser does, with its
        messages (NaN and infinity are written as JSON's non-standard literals, which the
        parser refuses by name); on a large federation this is several times faster than
        validating the dicts. A pool given as Python objects JSON cannot hold is read by the
        parser itself."""
        try:
            try:
                text = pydantic_core.to_json(self.merged)
            except (pydantic_core.PydanticSerializationError, ValueError):
                return columns_of(parse_scenario(self.merged))
            return read_columns(text)
        except ScenarioError as err:
            raise self.located(err) from None

    def located(self, err: ScenarioError) -> ScenarioError:
        """A problem of the merged pool, named in the file of the pool it comes from."""
        found = _ITEM.match(err.path)
        if found is None:  # settings, or the whole: the settings' source
            return ScenarioError(f"{self.sources['<settings>']}: {err.path}", err.reason)
        pool, local = self._local(found)
        path = err.path.replace(found.group(0), local, 1)

        def in_pool(item: re.Match[str]) -> str:
            other, where = self._local(item)
            return where if other == pool else f"{self.sources[other]}: {where}"

        return ScenarioError(f"{self.sources[pool]}: {path}", _ITEM.sub(in_pool, err.reason))

    def _local(self, item: re.Match[str]) -> tuple[str, str]:
        kind, index = item.group(1), int(item.group(2))
        pool = self.owner[kind][index]
        return pool, f"{kind}[{index - self.offset[kind][pool]}]"


def merge_pools(
    pools: Mapping[str, Mapping[str, Any]],
    settings: Mapping[str, Any] | None = None,
    sources: Mapping[str, str] | None = None,
) -> Federation:
    """Merge pools (name -> scenario dict) into one; refuse id clashes and differing settings
    with a :class:`ScenarioError` naming the pool's file (``sources``, default: its name).

    ``settings`` are the federation's (as from ``federation.json``); without them the first
    pool's that gives any. The merged pool is not validated here: see
    :meth:`Federation.scenario`.
    """
    names = sorted(pools)
    where = {name: (sources or {}).get(name, name) for name in names}
    if not names:
        raise ScenarioError(where.get("<dir>", "<federation>"), "no pools")
    chosen: Settings | None = None
    settings_from = (sources or {}).get("<settings>", FEDERATION_FILE)
    raw_settings: Mapping[str, Any] = {}
    if settings is not None:
        chosen = parse_part(Settings, settings, f"{settings_from}: settings")
        raw_settings = settings
    merged: dict[str, Any] = {"format": FORMAT, "settings": {}}
    owner: dict[str, list[str]] = {kind: [] for kind in KINDS}
    offset: dict[str, dict[str, int]] = {kind: {} for kind in KINDS}
    seen: dict[str, dict[str, str]] = {kind: {} for kind in _ID_KINDS}
    lists: dict[str, list[Any]] = {kind: [] for kind in KINDS}
    for name in names:
        pool, source = pools[name], where[name]
        if not isinstance(pool, Mapping):
            raise ScenarioError(source, f"must hold a JSON object, got {type(pool).__name__}")
        for key in pool:
            if key not in _POOL_KEYS:
                raise ScenarioError(f"{source}: {key}", "unknown key")
        if pool.get("format") != FORMAT:
            raise ScenarioError(f"{source}: format", f"must be {FORMAT!r}, got "
                                f"{pool.get('format')!r}")
        if "settings" in pool:
            own = parse_part(Settings, pool["settings"], f"{source}: settings")
            if chosen is None:
                chosen, raw_settings, settings_from = own, pool["settings"], source
            elif own != chosen:
                raise ScenarioError(f"{source}: settings", f"differ from {settings_from}'s")
        for kind in KINDS:
            items = pool.get(kind, [])
            if not isinstance(items, list):
                raise ScenarioError(f"{source}: {kind}", "must be a list")
            offset[kind][name] = len(lists[kind])
            if kind in _ID_KINDS:
                _check_ids(kind, items, name, source, seen[kind], where)
            lists[kind].extend(items)
            owner[kind].extend([name] * len(items))
    merged["settings"] = dict(raw_settings)
    merged.update(lists)
    return Federation(
        pools={name: pools[name] for name in names},
        settings=raw_settings,
        sources={**where, "<settings>": settings_from},
        merged=merged,
        owner=owner,
        offset=offset,
    )


def _check_ids(
    kind: str,
    items: list[Any],
    pool: str,
    source: str,
    seen: dict[str, str],
    where: Mapping[str, str],
) -> None:
    for i, item in enumerate(items):
        ident = item.get("id") if isinstance(item, Mapping) else None
        if not isinstance(ident, str):
            continue  # the scenario's validation names it
        other = seen.setdefault(ident, pool)
        if other != pool:
            raise ScenarioError(
                f"{source}: {kind}[{i}].id",
                f"{ident!r} is also a {_ID_KINDS[kind]} of pool {other!r} ({where[other]})",
            )


def load_federation(directory: str | Path) -> Federation:
    """Read a federation directory; raise :class:`ScenarioError` naming the file at fault."""
    root = Path(directory)
    if not root.is_dir():
        raise ScenarioError(str(root), "not a directory")
    files = sorted(p for p in root.glob("*.json") if p.name != FEDERATION_FILE)
    if not files:
        raise ScenarioError(str(root), "holds no pool (*.json scenario files)")
    pools = {path.stem: _read(path) for path in files}
    sources = {path.stem: str(path) for path in files}
    settings: Mapping[str, Any] | None = None
    header = root / FEDERATION_FILE
    if header.exists():
        data = _read(header)
        for key in data:
            if key not in ("format", "settings"):
                raise ScenarioError(f"{header}: {key}", "unknown key")
        if data.get("format") != FEDERATION_FORMAT:
            raise ScenarioError(
                f"{header}: format", f"must be {FEDERATION_FORMAT!r}, got {data.get('format')!r}"
            )
        settings = data.get("settings", {})
        if not isinstance(settings, Mapping):
            raise ScenarioError(f"{header}: settings", "must be an object")
        sources["<settings>"] = str(header)
    sources["<dir>"] = str(root)
    return merge_pools(pools, settings, sources)


def _read(path: Path) -> dict[str, Any]:
    """A file of the federation's folder as a JSON object: a regular file inside the folder
    (no link out of it), of bounded size, UTF-8 JSON."""
    raw = read_regular_file(path, within=path.parent)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ScenarioError(str(path), "not UTF-8 text") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise ScenarioError(f"{path}:{err.lineno}:{err.colno}", f"invalid JSON: {err.msg}"
                            ) from None
    except RecursionError:
        raise ScenarioError(str(path), "invalid JSON: nested too deeply") from None
    except ValueError:  # an integer of more digits than Python converts
        raise ScenarioError(str(path), "invalid JSON: a number with too many digits") from None
    if not isinstance(data, dict):
        raise ScenarioError(str(path), f"must hold a JSON object, got {type(data).__name__}")
    return data
