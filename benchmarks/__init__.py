"""Benchmarks: a generated corpus of any size and a harness that times the tool against its floor."""
