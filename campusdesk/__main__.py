"""``python -m campusdesk`` is the ``campusdesk`` command."""

import sys

from campusdesk.cli import main

sys.exit(main())
