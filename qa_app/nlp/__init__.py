"""QA Desk analysis engine: the only package that imports spaCy. No Flask, no database.

Public interface:
    ANALYZER_VERSION, load_policy, PolicyError, default_policy_path, policy_version, analyze_transcripts
"""
from .analyze import analyze_transcripts
from .policy import PolicyError, PolicyPack, default_policy_path, load_policy, policy_version

# Bump when rules, word lists or weights change: stored analyses record the version that produced them.
ANALYZER_VERSION = "1.25.1"

__all__ = ["ANALYZER_VERSION", "PolicyError", "PolicyPack", "analyze_transcripts", "default_policy_path",
           "load_policy", "policy_version"]
