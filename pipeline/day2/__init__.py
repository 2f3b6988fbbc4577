"""Day 2: the room's action cards back in, attached to the reviewed Day 1 challenges, merged,
ranked and written as an action plan (``ideasynth day2 FOLDER --from RUN_DIR``).

A module per concept: ``shapes`` (the data), ``columns`` and ``read`` (the cards, with Day 1's
readers), ``attach`` (to a challenge, or unattached), ``plan`` (merging and ranking),
``charts`` and ``write`` (the plan's four files), ``step`` (the whole, as one function).
"""
