"""Rubric editor: list, view, create, edit (YAML with a live scoring preview), clone, archive, export."""
