"""ideasynth: workshop notes in, reviewed themes and challenge statements out."""

__version__ = "0.1.0"
