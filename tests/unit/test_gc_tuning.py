"""A serving process tunes the cyclic garbage collector once it has started (issue 13)."""

from __future__ import annotations

import gc

from api.app import GC_THRESHOLDS, tune_gc


def test_tuning_raises_the_thresholds_and_freezes_what_start_up_made():
    before = gc.get_threshold()
    try:
        tune_gc()
        assert gc.get_threshold() == GC_THRESHOLDS
        assert gc.get_threshold()[0] > before[0]
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)
