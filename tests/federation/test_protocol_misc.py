"""Cursors, backoff, bundles and the three-way merge of shared records."""

from __future__ import annotations

import pytest

from ncb.federation import bundle, conflicts, cursor


def test_cursor_orders_and_deduplicates() -> None:
    assert cursor.classify(5, 4) == cursor.APPLY
    assert cursor.classify(4, 4) == cursor.DUPLICATE
    assert cursor.classify(7, 4) == cursor.HOLD
    assert cursor.runnable(4, [9, 6, 5, 7]) == [5, 6, 7]
    assert cursor.runnable(4, [6, 7]) == []


def test_backoff_doubles_to_a_cap() -> None:
    assert [cursor.backoff_seconds(n) for n in (1, 2, 3)] == [5, 10, 20]
    assert cursor.backoff_seconds(40) == 3600


def test_bundle_round_trip_and_foreign_file() -> None:
    data = bundle.write("GB-NCA", "XP-KAB", [b'{"a":1}', b'{"b":2}'])
    got = bundle.read(data)
    assert (got.sender, got.recipient, got.envelopes) == ("GB-NCA", "XP-KAB", [b'{"a":1}', b'{"b":2}'])
    with pytest.raises(bundle.BundleError):
        bundle.read(b'{"format":"zip"}\n')
    with pytest.raises(bundle.BundleError):
        bundle.write("A", "B", [b"a\nb"])


def test_legal_field_edited_on_both_sides_conflicts_and_notes_merge() -> None:
    base = {"status": "new", "summary": "Subject seen in Lagos."}
    local = {"status": "in_progress", "summary": "Subject seen in Lagos. Phone traced."}
    remote = {"status": "closed", "summary": "Subject seen in Lagos and Accra."}
    merged, found = conflicts.merge(base, local, remote, "US-FBI")
    assert [c.field for c in found] == ["status"]
    assert found[0].local == "in_progress" and found[0].remote == "closed"
    assert merged["status"] == "in_progress"  # kept until a person decides
    assert "Phone traced." in merged["summary"] and "[US-FBI] Subject seen in Lagos and Accra." \
        in merged["summary"]


def test_one_sided_changes_merge_silently() -> None:
    base = {"status": "new", "summary": "a"}
    merged, found = conflicts.merge(base, dict(base), {"status": "closed", "summary": "b"}, "X")
    assert found == [] and merged == {"status": "closed", "summary": "b"}
