"""Form bodies with bracketed keys (Rack/Rails style) nest into the JSON shape, their strings cast
to the schema's types: one shape for handlers however the client encoded its body."""

from __future__ import annotations

from mockserver.validation import cast_form, nest_form


def test_bracketed_keys_nest_like_rack():
    form = {"token[purpose]": ["sync"], "token[scopes][]": ["a", "b"], "plain": ["x", "y"],
            "parameters[course][id]": ["7"]}
    assert nest_form(form) == {"token": {"purpose": "sync", "scopes": ["a", "b"]}, "plain": "y",
                               "parameters": {"course": {"id": "7"}}}


def test_an_array_of_hashes_pairs_the_nth_value_of_each_key():
    form = {"_json[][id]": ["1", "2"], "_json[][visible]": ["true", "false"]}
    assert nest_form(form) == {"_json": [{"id": "1", "visible": "true"}, {"id": "2", "visible": "false"}]}


def test_indexed_keys_stay_a_hash_as_in_rack():
    assert nest_form({"a[0][id]": ["1"]}) == {"a": {"0": {"id": "1"}}}


def test_strings_are_cast_to_the_declared_types_and_unreadable_ones_left_for_validation():
    schema = {"type": "object", "properties": {
        "flag": {"type": "boolean"}, "count": {"type": "integer"}, "ratio": {"type": "number"},
        "items": {"type": "array", "items": {"type": "object", "properties": {"on": {"type": "boolean"}}}},
        "free": {"type": "object", "additionalProperties": True}}}
    body = {"flag": "1", "count": "42", "ratio": "0.5", "items": [{"on": "off"}, {"on": "maybe"}], "free": {"x": "1"}}
    assert cast_form(body, schema) == {"flag": True, "count": 42, "ratio": 0.5,
                                       "items": [{"on": False}, {"on": "maybe"}], "free": {"x": "1"}}
    assert cast_form({"count": "4x"}, schema) == {"count": "4x"}


def test_casting_follows_all_of():
    schema = {"allOf": [{"type": "object", "properties": {"a": {"type": "integer"}}}],
              "type": "object", "properties": {"b": {"type": "boolean"}}}
    assert cast_form({"a": "3", "b": "true"}, schema) == {"a": 3, "b": True}
