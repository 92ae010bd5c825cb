"""Agent-based simulator of chronic-care pathways: Mesa agents in a SimPy resource model."""

__version__ = "0.1.0"
