"""Run benchmarks: ``python -m bench [NAME …] [-- args]`` (``make bench``).

Each benchmark is a module ``bench/<name>.py`` with ``main(argv) -> None`` that prints its
numbers and the ratio to a reference measured in the same run. With no NAME, all run.
"""

import os
import pkgutil
import sys
from importlib import import_module
from pathlib import Path


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kopdig.settings")
    args = sys.argv[1:]
    extra = []
    if "--" in args:
        i = args.index("--")
        args, extra = args[:i], args[i + 1 :]
    names = args or sorted(
        m.name for m in pkgutil.iter_modules([str(Path(__file__).parent)]) if not m.name.startswith("_")
    )
    for name in names:
        print(f"=== bench {name}")
        import_module(f"bench.{name}").main(extra)


if __name__ == "__main__":
    main()
