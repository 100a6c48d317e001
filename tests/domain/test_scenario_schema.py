"""The scenario's fields are declared three times, and the three declarations agree.

The parser (:mod:`peerconomy.domain.scenario`, pydantic), the struct reader
(:mod:`peerconomy.domain.scenario_json`, msgspec) and the column reader
(:mod:`peerconomy.domain.scenario_columns`, msgspec in batches, then arrays) each declare
every field of ``peerconomy-scenario/1``. These tests compare the declarations themselves:
each library writes its JSON Schema, the two are brought to one plain shape (names,
types, required or optional, defaults, bounds, id patterns), and the shapes must be equal.
So a field added to one reader and not the others fails here, before any scenario is read
differently. ARCHITECTURE.md, "Adding a field to the scenario", lists what else to touch.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import msgspec
import pytest
from pydantic import BaseModel, TypeAdapter

from peerconomy.domain import scenario as parser
from peerconomy.domain import scenario_columns as columns
from peerconomy.domain import scenario_json as structs
from peerconomy.domain.scenario import FORMAT

Shape = Any
"""A declaration in plain form: nested tuples and dicts that compare by value."""

_BOUNDS = ("minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum")
_ANY: Shape = ("any",)


def shape(schema: dict[str, Any], defs: dict[str, Any]) -> Shape:
    """The plain shape of a JSON Schema as pydantic or msgspec writes it (titles,
    descriptions and the spelling of a pattern's end left out)."""
    if "$ref" in schema:
        return shape(defs[schema["$ref"].rsplit("/", 1)[-1]], defs)
    if "anyOf" in schema:
        options = [option for option in schema["anyOf"] if option != {"type": "null"}]
        assert len(options) == 1 < len(schema["anyOf"]), schema
        return ("optional", shape(options[0], defs))
    if "const" in schema:
        return ("enum", (schema["const"],))
    if "enum" in schema:
        return ("enum", tuple(sorted(schema["enum"])))
    kind = schema.get("type")
    if kind is None:
        return _ANY
    if kind in ("number", "integer"):
        return (kind, {bound: float(schema[bound]) for bound in _BOUNDS if bound in schema})
    if kind == "string":
        return ("string", schema.get("minLength"), _pattern(schema.get("pattern")))
    if kind == "boolean":
        return ("boolean",)
    if kind == "array":
        return ("array", schema.get("minItems"), shape(schema["items"], defs))
    assert kind == "object", schema
    if "properties" in schema:  # a struct: its fields
        required = set(schema.get("required", ()))
        assert schema.get("additionalProperties") is False, "unknown keys must be refused"
        return ("struct", {
            name: (name in required, _default(field), shape(field, defs))
            for name, field in schema["properties"].items()
        })
    names = schema.get("propertyNames", {})  # a mapping: its keys and values
    if "patternProperties" in schema:  # pydantic
        [(key_pattern, value)] = schema["patternProperties"].items()
    else:  # msgspec
        key_pattern, value = names.get("pattern"), schema["additionalProperties"]
    return ("mapping", names.get("minLength"), _pattern(key_pattern), shape(value, defs))


def _pattern(pattern: str | None) -> str | None:
    """A pattern without its anchors: ``$`` for pydantic's regex engine, ``\\Z`` for Python's
    (:mod:`peerconomy.domain.ids` keeps the two spellings)."""
    if pattern is None:
        return None
    return pattern.removeprefix("^").removesuffix("\\Z").removesuffix("$")


def _default(field: dict[str, Any]) -> Any:
    """A field's default as the schema gives it; an empty list or mapping, which msgspec
    writes and pydantic leaves out (a default factory), counts as none given."""
    default = field.get("default")
    return None if default in ([], {}) else default


def schema_of(kind: type[Any]) -> Shape:
    """The shape of a part of the scenario as its own library declares it."""
    if isinstance(kind, type) and issubclass(kind, BaseModel):
        schema = kind.model_json_schema()
    elif dataclasses.is_dataclass(kind):
        schema = TypeAdapter(kind).json_schema()
    else:  # a msgspec struct, or a list of them
        schema = msgspec.json.schema(kind)
    return shape(schema, schema.get("$defs", {}))


def fields(kind: type[Any]) -> dict[str, Shape]:
    """A struct's fields: name -> (required, default, shape)."""
    tag, declared = schema_of(kind)
    assert tag == "struct"
    return dict(declared)


READERS = [
    (parser.Settings, structs.FastSettings, structs._Settings),
    (parser.Participant, structs.FastParticipant, structs._Participant),
    (parser.Project, structs.FastProject, structs._Project),
    (parser.Task, structs.FastTask, structs._Task),
    (parser.Good, structs.FastGood, structs._Good),
    (parser.Offer, structs.FastOffer, structs._Offer),
    (parser.Alternative, structs.FastAlternative, structs._Alternative),
    (parser.Wish, structs.FastWish, structs._Wish),
    (parser.Holding, structs.FastHolding, structs._Holding),
    (parser.Scenario, structs.FastScenario, structs.AnyScenario),
]
"""Each part as the parser declares it, the struct reader's struct of it, and the protocol by
which the clearing reads either."""
PARTS = [(declared, fast) for declared, fast, _ in READERS]

SMALLEST: dict[type[Any], dict[str, Any]] = {
    parser.Settings: {},
    parser.Participant: {"id": "ana"},
    parser.Project: {"id": "bikes"},
    parser.Task: {"id": "assemble", "project": "bikes"},
    parser.Good: {"id": "bike", "project": "bikes", "model": "effort"},
    parser.Offer: {"participant": "ana", "task": "assemble", "hours": 2, "min_weight": 1},
    parser.Alternative: {},
    parser.Wish: {"participant": "ana", "id": "w1", "alternatives": [{"good": "bike"}]},
    parser.Holding: {"participant": "ana", "good": "bike"},
    parser.Scenario: {"format": FORMAT, "participants": [], "projects": []},
}
"""Each part with only its required fields."""


@pytest.mark.parametrize(("declared", "fast"), PARTS, ids=lambda kind: kind.__name__)
def test_the_parser_and_the_struct_reader_declare_the_same_fields(
    declared: type[Any], fast: type[msgspec.Struct]
) -> None:
    assert fields(fast) == fields(declared)


@pytest.mark.parametrize(("declared", "fast"), PARTS, ids=lambda kind: kind.__name__)
def test_a_part_with_only_its_required_fields_reads_alike_with_the_same_defaults(
    declared: type[Any], fast: type[msgspec.Struct]
) -> None:
    smallest = SMALLEST[declared]
    assert set(smallest) == {name for name, (required, _, _) in fields(declared).items()
                             if required}
    parsed = TypeAdapter(declared).dump_python(
        TypeAdapter(declared).validate_python(smallest), mode="json")
    assert msgspec.to_builtins(msgspec.convert(smallest, fast)) == parsed


LONG_LISTS = ("participants", "offers", "wishes")
"""What the column reader cuts into items and decodes a batch at a time."""


def test_the_column_readers_outline_is_the_scenario_with_its_long_lists_undecoded() -> None:
    outline, scenario = fields(columns._Outline), fields(parser.Scenario)
    for name in LONG_LISTS:
        required, default, _ = scenario[name]
        scenario[name] = (required, default, ("array", None, _ANY))
    assert outline == scenario


def _index() -> Any:
    """The column reader's names of a small pool: one task, one good of one product type."""
    return columns._Index(
        [structs.FastTask(id="assemble", project="bikes")],
        [structs.FastGood(id="bike", project="bikes", model="effort", product_type="bicycle")],
        ["ana"],
    )


def _item_fields(decoder: msgspec.json.Decoder[Any]) -> dict[str, Shape]:
    tag, _, item = schema_of(decoder.type)
    assert tag == "array"
    return dict(item[1])


# A reference to a task, a good or a product type is read by the column reader as one of the
# names the pool has (a Literal of them: an unknown one is refused while decoding).
REFERENCES = {
    "task": ("enum", ("assemble",)),
    "good": ("optional", ("enum", ("bike",))),
    "product_type": ("optional", ("enum", ("bicycle",))),
}


def _as_references(declared: dict[str, Shape]) -> dict[str, Shape]:
    return {name: (required, default, REFERENCES[name]) if name in REFERENCES else
            (required, default, item) for name, (required, default, item) in declared.items()}


def test_the_column_reader_decodes_offers_as_the_parser_declares_them() -> None:
    offer = _item_fields(columns._offer_decoder(_index()))
    assert offer == _as_references(fields(parser.Offer))


def test_the_column_reader_decodes_wishes_as_the_parser_declares_them() -> None:
    wish = _item_fields(columns._wish_decoder(_index()))
    tag, _, alternative = wish.pop("alternatives")[2]
    declared = fields(parser.Wish)
    assert tag == "array" and declared.pop("alternatives")[2][0] == "array"
    assert wish == declared
    assert dict(alternative[1]) == _as_references(fields(parser.Alternative))


COLUMNS = {
    parser.Participant: {"id": "participant_ids", "capacity": "participant_capacity",
                         "exempt": "participant_exempt"},
    parser.Offer: {"participant": "offer_participant", "task": "offer_task",
                   "hours": "offer_hours", "min_weight": "offer_min_weight"},
    parser.Wish: {"participant": "wish_participant", "id": "wish_ids",
                  "quantity": "wish_quantity", "alternatives": "alt_wish", "term": "wish_term"},
    parser.Alternative: {"good": "alt_good", "product_type": "alt_type",
                         "max_cost": "alt_max_cost"},
}
"""Where each field of a long list's items lands among the columns."""
DERIVED = {"product_types"}
"""Columns that hold no field of their own (the goods' product types, in order)."""


def test_every_field_of_a_long_list_has_its_column_and_every_column_its_field() -> None:
    for part, placed in COLUMNS.items():
        assert set(placed) == set(fields(part)), part.__name__
    kept_whole = {name for name in fields(parser.Scenario) if name not in (*LONG_LISTS, "format")}
    held = {column for placed in COLUMNS.values() for column in placed.values()}
    assert set(columns.ScenarioColumns.__dataclass_fields__) == kept_whole | held | DERIVED


PROTOCOLS = [(declared, protocol) for declared, _, protocol in READERS]


@pytest.mark.parametrize(("declared", "protocol"), PROTOCOLS, ids=lambda kind: kind.__name__)
def test_the_clearing_reads_every_field_of_a_scenario_read_either_way(
    declared: type[Any], protocol: type[Any]
) -> None:
    read = {name for name, value in vars(protocol).items() if isinstance(value, property)}
    assert read == set(fields(declared)) - {"format"} - LABELS


LABELS = {name for part in parser.LABELS.values() for name in part["__all__"]}
"""What people read of a project, task or good (its name, description, place, contact): the
clearing never reads it, and the input hash leaves it out."""
