"""Stages 1 and 2: the project's YAML files read with positions, shaped by the model, and validated."""
