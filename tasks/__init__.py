"""Pipeline steps: fetch → clean → dedupe → bundle → publish.

Each module holds plain typed functions (usable and testable without Prefect)
and, at the bottom, the Prefect task that wraps them.
"""
