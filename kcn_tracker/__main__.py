"""Entry point for ``python -m kcn_tracker``."""

from kcn_tracker.cli import main

if __name__ == "__main__":  # pragma: no cover
    main()
