"""Pieces shared by every testbench: parameter sets, discovery, per-test
configuration and seeding, the base test, clock/reset and the scoreboard base."""
