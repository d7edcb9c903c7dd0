"""Team-lead dashboards (pages): quality, flags, operations, reviewers, coaching follow-through, drill-downs."""
