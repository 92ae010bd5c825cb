"""The validation command (python -m experiments.validate): stylised facts of the source documents."""
