"""Application services: the one place where the CLI and the web call the desk.

Each operation takes a Principal (who is acting, for which organisation, with which role and
scopes), checks permission, and runs in ONE transaction that also appends its audit entry.
"""
