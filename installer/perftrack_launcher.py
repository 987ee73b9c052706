"""The bundle's entry point: the ``perftrack`` console script, with the log set up first.

``setup_logging`` runs before ``perftrack.cli.main`` replaces a missing stdout with os.devnull,
while a windowed build can still be told from a console one.
"""

import sys

from perftrack.logsetup import is_windowed, setup_logging

if __name__ == "__main__":
    setup_logging(windowed=is_windowed())
    from perftrack.cli import main

    sys.exit(main())
