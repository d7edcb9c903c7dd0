"""Entry point for `flask` and WSGI servers."""
from qa_app import create_app

app = create_app()
