"""Domain rules as plain functions on a session. They flush; the caller commits."""
