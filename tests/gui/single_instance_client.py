"""Child process for test_single_instance.py: a second ClinicChat start, or a crashing owner.

Usage:
    single_instance_client.py claim DATA_DIR   exit 0: the owner was asked forward (as the app
                                               exits then), 1: no answer, 3: became the owner
    single_instance_client.py hold DATA_DIR    become the owner, print "owner", then wait to be
                                               killed (leaves the lock and socket of a crash)
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from clinichat.single_instance import Claim, SingleInstance

EXIT_CODES = {Claim.ACTIVATED: 0, Claim.NO_ANSWER: 1, Claim.FIRST: 3}


def main(command: str, data_dir: Path) -> int:
    instance = SingleInstance(data_dir)
    claim = instance.claim(timeout_ms=5000)
    if command == "hold" and claim is Claim.FIRST:
        print("owner", flush=True)
        while True:
            time.sleep(60)
    return EXIT_CODES[claim]


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], Path(sys.argv[2])))
