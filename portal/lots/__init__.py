"""Lots: the SME-friendly lot-split advisor and its threshold and legal-check rules.

``advisor`` proposes lot structures; ``rules`` loads thresholds and runs the legal checks. Both
are pure: plain data in, plain data out, no database and no request.
"""
