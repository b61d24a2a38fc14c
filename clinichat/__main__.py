"""`python -m clinichat` runs the app."""

import sys

from clinichat.app import main

sys.exit(main())
