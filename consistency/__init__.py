"""consistency: check translated documents against each other."""
__version__ = "0.1.0"
