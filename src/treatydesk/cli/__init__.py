"""Command-line interface: translates arguments and output; all logic lives in the core."""
