"""Prefect flows: thin orchestration of the steps in ``tasks``."""
