"""`python -m bots` is the `nudge` command."""

import sys

from bots.cli import main

sys.exit(main())
