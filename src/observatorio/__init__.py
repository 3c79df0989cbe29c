"""Publications platform of the Cabo Verde Migration Observatory."""

__version__ = "0.1.0"
