"""`flask qa ...` commands. Each module adds its commands to the group."""
from flask.cli import AppGroup

qa_cli = AppGroup("qa", help="QA Desk commands: users, import/export, demo data, analysis.")

from qa_app.cli import analysis, demo, maintenance, rubrics, sampling, transfer, users  # noqa: E402,F401  (attach commands)
