"""Sampling plans, runs, coverage and review assignments in the browser."""
