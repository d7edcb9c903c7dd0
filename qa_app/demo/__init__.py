"""Demo data for QA Desk: the fictional shop Acme Outfitters (`flask qa demo`).

generator.py  builds interchange-format transcripts (pure Python, deterministic for a seed and anchor day)
content.py    the phrase banks, agents, topics, policy values and planted-problem wording
seed.py       creates the demo teams, transcripts (through the import service) and logins on a session
"""
