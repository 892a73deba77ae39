"""Scorecard: what one area's residents can use online (own and inherited adoptions, per
Themenfeld, with depth by Reifegrad model), compared with peers chosen by a stated rule, and the
inverse view of a rollout, the eligible units that have not docked yet.

Derived from adoptions, areas and the catalogue with the rollout's coverage rule
(``efa_registry.rollout.rules``), so every number here agrees with the rollout figures.
"""
