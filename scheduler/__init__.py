"""Nightly scheduling of crawls (APScheduler); filled in by the scheduling issue."""
