"""flask qa demo (filled in by the demo-data work)."""
