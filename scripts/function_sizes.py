"""Function lengths over a tree: the median and the functions above a limit (issue 10, item 9).

    python scripts/function_sizes.py [ROOT] [--limit 60] [--with-tests]

A function's length is its lines from ``def`` to its last statement (decorators and the
docstring included). Demo builders (``demo.py``, ``demo_*.py`` and the demo management
command), migrations and, unless ``--with-tests``, tests are left out. Prints the count,
the median and every function above the limit, longest first; exits 1 when one is.
"""

from __future__ import annotations

import argparse
import ast
import statistics
import sys
from pathlib import Path


def _excluded(path: Path, with_tests: bool) -> bool:
    parts = path.parts
    if "migrations" in parts or path.name.startswith("demo") or "demo" in path.stem.split("_"):
        return True
    return not with_tests and (
        "tests" in parts or path.name.startswith("test_") or path.name == "conftest.py"
    )


def function_lengths(root: Path, with_tests: bool = False) -> list[tuple[int, str]]:
    """(length, "path:line name") for every function and method below ``root``."""
    out = []
    for path in sorted(root.rglob("*.py")):
        if _excluded(path.relative_to(root), with_tests):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                first = min([node.lineno] + [d.lineno for d in node.decorator_list])
                out.append((node.end_lineno - first + 1, f"{path}:{node.lineno} {node.name}"))
    return out


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", nargs="?", default="kopdig")
    parser.add_argument("--limit", type=int, default=60)
    parser.add_argument("--with-tests", action="store_true")
    args = parser.parse_args(argv)
    sizes = function_lengths(Path(args.root), args.with_tests)
    lengths = [n for n, _ in sizes]
    over = sorted((s for s in sizes if s[0] > args.limit), reverse=True)
    print(f"functions: {len(lengths)}  median: {statistics.median(lengths):g} lines  max: {max(lengths)}")
    print(f"over {args.limit} lines: {len(over)}")
    for n, where in over:
        print(f"  {n:4d}  {where}")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
