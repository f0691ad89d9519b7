"""Hidden Harm: makes the children of parents in drug and alcohol treatment visible."""

__version__ = "0.1.0"
