"""Allow `python -m compendium`."""

from compendium.cli import run

try:
    run()
finally:
    # Under `python -m`, CPython (3.11, 3.12) remembers a KeyboardInterrupt that ended an exec() of a
    # string, such as the one that defines a dataclass's methods while a module is imported, even when
    # the build caught it; at exit it then kills itself with SIGINT, losing the exit code 1 of an
    # interrupted build. Each exec() of a string forgets that first, so one more here lets the exit code stand.
    exec("pass")
