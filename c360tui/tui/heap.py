"""Keep the collector's full passes short: what a screen holds for its life is frozen once loaded.

CPython's full (generation 2) collection walks every tracked object. With a screen's start-up heap
and an open 1M store (50-110k objects) one took 25-50 ms, on whichever keystroke set it off.
"""

from __future__ import annotations

import gc


def settle() -> None:
    """Collect once and freeze what survives: later full passes walk only what came after.

    Called when a screen's data has landed and been painted; unfreezing first lets this pass
    reclaim what an earlier freeze kept that has since been dropped.
    """
    gc.unfreeze()
    gc.collect()
    gc.freeze()
