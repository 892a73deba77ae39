"""Rollout: how far each solution and OZG-Leistung is live, per Land, Kreis and month.

Derived from adoptions and areas. Per-(solution, Land) and per-(OZG-Leistung, Land) summary rows
are kept exact in the adoption write transaction (``refresh.refresh_after_adoption_change``), so
the hot reads touch at most a few hundred indexed rows.
"""
