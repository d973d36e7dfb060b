"""`python -m crawler` is the `portals` command."""

import sys

from crawler.cli import main

sys.exit(main())
