"""Tests for send_desktop.core.refs (pure Python, no Qt)."""

from __future__ import annotations

import random
import string

import pytest

from send_desktop.core.refs import (
    duplicate_refs,
    next_child_ref,
    normalise_ref,
    parent_ref,
    ref_sort_key,
    split_ref,
)


class _Exploding:
    def __str__(self):
        raise RuntimeError("boom")


# -- normalise_ref -----------------------------------------------------------

@pytest.mark.parametrize(
    ("ref", "expected"),
    [
        ("2.4.1", "2.4.1"),
        ("2.4.1.", "2.4.1"),
        ("2.4.1..", "2.4.1"),
        ("  2.4.1  ", "2.4.1"),
        ("2. 4 .1", "2.4.1"),
        ("2.04.01", "2.4.1"),
        ("02", "2"),
        ("0.0", "0.0"),
        ("2b (i)", "2b (i)"),
        ("  2b   (i) ", "2b (i)"),
        ("A1", "A1"),
        ("a1", "a1"),  # case is the board's own
        ("2.4.b.", "2.4.b"),
        ("\u00a02.4.1\t", "2.4.1"),
        ("", ""),
        ("   ", ""),
        (".", ""),
        (None, ""),
        (3, "3"),
        (2.4, "2.4"),
        (_Exploding(), ""),
    ],
)
def test_normalise_ref(ref, expected):
    assert normalise_ref(ref) == expected


# -- split_ref ---------------------------------------------------------------

@pytest.mark.parametrize(
    ("ref", "expected"),
    [
        ("2.4.1", (2, 4, 1)),
        ("2.4.1.", (2, 4, 1)),
        (" 2 . 4 . 1 ", (2, 4, 1)),
        ("2.4", (2, 4)),
        ("2", (2,)),
        ("10.12.103", (10, 12, 103)),
        ("2.04.1", (2, 4, 1)),
        ("1.2.3.4", (1, 2, 3, 4)),
        ("2b (i)", None),
        ("A1", None),
        ("2.4.b", None),
        ("2..4", None),
        (".2.4", None),
        ("2,4,1", None),
        ("-2.4", None),
        ("2.4 1", None),
        ("\uff12.4", None),  # full-width digit is not an ASCII number
        ("", None),
        (None, None),
        ("1" * 5000, None),  # beyond int()'s digit limit
    ],
)
def test_split_ref(ref, expected):
    assert split_ref(ref) == expected


# -- parent_ref --------------------------------------------------------------

@pytest.mark.parametrize(
    ("ref", "expected"),
    [
        ("2.4.1", "2.4"),
        ("2.4", "2"),
        ("2", None),
        ("2.4.1.", "2.4"),
        (" 2 . 4 . 1", "2.4"),
        ("2.04.1", "2.4"),
        ("A.1", "A"),
        ("2.4.b", "2.4"),
        ("2b (i)", None),
        (".1", None),
        ("", None),
        (None, None),
    ],
)
def test_parent_ref(ref, expected):
    assert parent_ref(ref) == expected


# -- ref_sort_key ------------------------------------------------------------

@pytest.mark.parametrize(
    ("smaller", "larger"),
    [
        ("1.9.1", "1.10.2"),
        ("2.5.3", "2.5.10"),
        ("1.9", "1.10"),
        ("9", "10"),
        ("2", "2.1"),
        ("2.4", "2.4.1"),
        ("2.4.1", "2.5"),
        ("2.9.9", "10.1.1"),
        ("2", "2b"),
        ("2.5", "2b"),  # numbers before letters at each position
        ("2a", "2b"),
        ("2b (i)", "2b (ii)"),
        ("2b (ii)", "2c"),
        ("2", "A1"),  # numbers before letters
        ("A1", "A2"),
        ("A2", "A10"),
        ("a1", "B1"),  # case-insensitive
        ("2.4.1", ""),  # blanks sort last
        ("zzz", ""),
        ("2.4.01", "2.4.2"),
    ],
)
def test_ref_sort_key_orders(smaller, larger):
    assert ref_sort_key(smaller) < ref_sort_key(larger)


def test_ref_sort_key_sorts_a_plan():
    refs = ["2.5.10", "", "1.10.2", "A1", "2.5.3", "1.9.1", "2b (i)", "2", "10.1.1", "1.2"]
    assert sorted(refs, key=ref_sort_key) == [
        "1.2", "1.9.1", "1.10.2", "2", "2.5.3", "2.5.10", "2b (i)", "10.1.1", "A1", "",
    ]


def test_ref_sort_key_treats_variants_as_equal_position():
    assert ref_sort_key("2.4.1.")[:3] == ref_sort_key(" 2.4.1")[:3]
    assert ref_sort_key("2.4.1.") == ref_sort_key("2.4.1")


def test_ref_sort_key_is_total_for_mixed_inputs():
    values = ["1", "01", "A", "a", "", None, 3, "2.4", "2 . 4", "\u00b2", "\u0663", "_", "\u00e91"]
    keys = [ref_sort_key(v) for v in values]
    assert sorted(keys) == sorted(reversed(keys))  # every pair compares
    # distinct spellings get distinct keys, so sorting never depends on input order
    distinct = {normalise_ref(v) for v in values}
    assert len({ref_sort_key(v) for v in distinct}) == len(distinct)


def test_ref_sort_key_handles_huge_numbers():
    assert ref_sort_key("9" * 5000) > ref_sort_key("9" * 4999)
    assert ref_sort_key("1." + "0" * 10 + "5") == ref_sort_key("1.5")


# -- duplicate_refs ----------------------------------------------------------

@pytest.mark.parametrize(
    ("refs", "expected"),
    [
        (["2.4.1", "2.4.2", "2.4.1"], {"2.4.1"}),
        (["2.4.1", "2.4.1.", " 2.4.1 "], {"2.4.1"}),
        (["2.4.1", "2.04.1"], {"2.4.1"}),
        (["1.1", "1.2", "1.3"], set()),
        (["A1", "A1", "a1"], {"A1"}),
        (["", "", "  ", None], set()),  # blanks are a different problem
        (["1.1", "1.1", "2.2", "2.2.", "3"], {"1.1", "2.2"}),
        ([], set()),
        (iter(["x", "x"]), {"x"}),
        (None, set()),
        (5, set()),
        ("2.2", set()),  # a lone string is not a list of refs
    ],
)
def test_duplicate_refs(refs, expected):
    assert duplicate_refs(refs) == expected


# -- next_child_ref ----------------------------------------------------------

@pytest.mark.parametrize(
    ("parent", "existing", "expected"),
    [
        ("2.4", ["2.4.1", "2.4.3"], "2.4.4"),
        ("2.4", [], "2.4.1"),
        ("2.4", ["2.4.1", "2.4.2", "2.4.10"], "2.4.11"),
        ("2.4.", ["2.4.1."], "2.4.2"),
        ("2.4", [" 2.4.2 ", "2.04.5"], "2.4.6"),
        ("2.4", ["2.4.1.7", "2.40.9", "2.5.3", "1.4.8"], "2.4.1"),  # not direct children
        ("2.4", ["2.4.b", "2.4", "", None], "2.4.1"),
        ("2", ["2.1", "2.2", "2.2.1"], "2.3"),
        ("", ["1", "2", "2.5"], "3"),
        (None, [], "1"),
        ("A", ["A.1", "A.2"], "A.3"),
        ("2.4", iter(["2.4.1"]), "2.4.2"),
        ("2.4", None, "2.4.1"),
    ],
)
def test_next_child_ref(parent, existing, expected):
    assert next_child_ref(parent, existing) == expected


# -- fuzz --------------------------------------------------------------------

_ALPHABET = string.ascii_letters + string.digits + " .()-_/\t\u00a0\u00b2\u0663\uff11\u00e9"


def _random_ref(rng: random.Random):
    kind = rng.randrange(4)
    if kind == 0:
        return "".join(rng.choice(_ALPHABET) for _ in range(rng.randrange(20)))
    if kind == 1:
        return ".".join(str(rng.randrange(0, 30)) for _ in range(rng.randrange(1, 5))) + rng.choice(["", ".", " "])
    if kind == 2:
        return rng.choice([None, 3, 2.5, object(), b"1.2", ["1"], _Exploding(), True])
    return "9" * rng.randrange(1, 6000)


def test_fuzz_never_raises():
    rng = random.Random(241)
    refs = [_random_ref(rng) for _ in range(3000)]
    ordered = sorted(refs, key=ref_sort_key)
    assert len(ordered) == len(refs)
    for ref in refs:
        norm = normalise_ref(ref)
        assert isinstance(norm, str)
        assert normalise_ref(norm) == norm  # idempotent
        parts = split_ref(ref)
        assert parts is None or all(isinstance(p, int) and p >= 0 for p in parts)
        parent = parent_ref(ref)
        assert parent is None or isinstance(parent, str)
        child = next_child_ref(ref, rng.sample(refs, 5))
        assert isinstance(child, str)
    assert duplicate_refs(refs) <= {normalise_ref(r) for r in refs}
