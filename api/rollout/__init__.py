"""Rollout figures over HTTP: per solution, OZG-Leistung and Land, and the matrix."""
