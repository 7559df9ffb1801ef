"""The stand-in the matcher inlines for packaging.version orders versions as packaging does."""
import itertools
import pathlib

import pytest
from packaging import version as packaging_version

STAND_IN = pathlib.Path(__file__).resolve().parents[2] / "matcher" / "substitutes" / "packaging_version.py"

VERSIONS = ["2.4", "2.4.0", "2.11.0+cu130", "2.11.0a0+git1f2e3d", "3.6.0", "3.5.0rc1", "3.5.0a1", "3.5.0b2",
            "3.5.0.dev0", "3.5.0.post1", "3.5.0-1", "3.5.0rc1.dev1", "3.5.0+cpu", "3.5", "1!1.0", "0.0.1",
            "10.0", "2.10", "v3.4.0", "3.4.0.RC2", "2.4.0.dev20240101", "3.5.0+local.7", "3.5.0+local.10"]
ATTRIBUTES = ["major", "minor", "micro", "release", "pre", "post", "dev", "local", "public", "base_version",
              "is_prerelease", "is_devrelease", "is_postrelease"]


@pytest.fixture(scope="module")
def stand_in():
    namespace = {}
    exec(compile(STAND_IN.read_text(), str(STAND_IN), "exec"), namespace)
    return namespace["_packaging_version"]


def test_orders_as_packaging_does(stand_in):
    differences = []
    for a, b in itertools.product(VERSIONS, repeat=2):
        ours, theirs = (stand_in.parse(a), stand_in.parse(b)), (packaging_version.parse(a), packaging_version.parse(b))
        for operator in ("__lt__", "__le__", "__eq__", "__ne__", "__gt__", "__ge__"):
            if getattr(ours[0], operator)(ours[1]) != getattr(theirs[0], operator)(theirs[1]):
                differences.append((a, operator, b))
    assert differences == []


@pytest.mark.parametrize("text", VERSIONS)
def test_reads_the_parts_packaging_reads(stand_in, text):
    ours, theirs = stand_in.Version(text), packaging_version.Version(text)
    for attribute in ATTRIBUTES:
        assert getattr(ours, attribute) == getattr(theirs, attribute), (text, attribute)
    assert str(ours) == str(theirs)


def test_refuses_what_is_no_version(stand_in):
    with pytest.raises(stand_in.InvalidVersion):
        stand_in.parse("not a version")
    with pytest.raises(TypeError):
        stand_in.parse("2.4") < "2.5"  # noqa: B015 (packaging compares versions only with versions)
