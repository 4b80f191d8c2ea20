"""No code path may load YAML with a loader that can build Python objects."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from worksheets.load import yaml as _yaml

SRC = Path(__file__).resolve().parents[2] / "src"

UNSAFE = re.compile(
    r"yaml\.load\(|yaml\.load_all\(|unsafe_load|UnsafeLoader|FullLoader|Loader=yaml\.Loader\b"
    r"|yaml\.Loader\b|yaml\.add_constructor|yaml\.add_multi_constructor"
)


def unsafe_uses(text: str) -> list[str]:
    return [m.group() for m in UNSAFE.finditer(text)]


def test_the_pattern_catches_unsafe_loading() -> None:
    assert unsafe_uses("data = yaml.load(fh, Loader=yaml.FullLoader)") == [
        "yaml.load(",
        "FullLoader",
    ]
    assert unsafe_uses("yaml.unsafe_load(s)\nyaml.load(s, Loader=yaml.Loader)") == [
        "unsafe_load",
        "yaml.load(",
        "Loader=yaml.Loader",
    ]
    assert unsafe_uses("class _Loader(yaml.SafeLoader): ...\nyaml.safe_load(s)") == []


def test_source_never_loads_yaml_unsafely() -> None:
    files = sorted(SRC.rglob("*.py"))
    assert files, SRC
    found = {
        f"{path.relative_to(SRC)}:{text[: m.start()].count(chr(10)) + 1}: {m.group()}"
        for path in files
        for text in [path.read_text(encoding="utf-8")]
        for m in UNSAFE.finditer(text)
    }
    assert sorted(found) == []


def test_the_loader_is_a_safe_loader() -> None:
    assert issubclass(_yaml._Loader, yaml.SafeLoader)
    assert "tag:yaml.org,2002:python/object/apply" not in str(_yaml._Loader.yaml_constructors)
    assert _yaml._Loader.yaml_multi_constructors == yaml.SafeLoader.yaml_multi_constructors
