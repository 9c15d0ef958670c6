"""`python -m viewer` runs the same command line as `runbook-viewer`."""

import sys

from viewer.launch import main

if __name__ == "__main__":
    # The index parses big libraries in spawned worker processes; in a packaged
    # app each worker starts this executable, which must then only run its job.
    if getattr(sys, "frozen", False):  # only there: a search need not load multiprocessing
        import multiprocessing

        multiprocessing.freeze_support()
    sys.exit(main())
