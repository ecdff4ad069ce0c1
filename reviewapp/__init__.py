"""reviewapp: an offline evidence-review desk for oncologists."""

__version__ = "0.1.0"
