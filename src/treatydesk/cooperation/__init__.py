"""Cooperation requests: their kinds, contents, lifecycle and clocks."""
