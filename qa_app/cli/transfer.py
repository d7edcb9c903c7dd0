"""flask qa import / export (filled in by the import work)."""
