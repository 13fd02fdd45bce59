"""Entry point for ``python -m kcn_tracker``."""

import gc

gc.disable()  # from the start: the imports too; cli.main turns it back on unless the command is quick (QUICK_COMMANDS)

from kcn_tracker.cli import main  # noqa: E402

if __name__ == "__main__":  # pragma: no cover
    main()
