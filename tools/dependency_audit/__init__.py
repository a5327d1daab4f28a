"""Known-vulnerability audit of the pinned dependencies in ``requirements.lock``.

``pip-audit`` against OSV is the audit. Where OSV cannot be reached, PyPI's own advisories are
used instead: PyPI publishes, per project, the advisories that affect its newest release, so a
pin on the newest release is audited in full and an older pin is reported as not audited.
"""
