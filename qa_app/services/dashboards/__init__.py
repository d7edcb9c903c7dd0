"""Team-lead dashboards: aggregates over published reviews, the criterion-score rollup, flags, verdicts,
transcripts and coaching. Every number is one GROUP BY query (never a query per row) that runs on SQLite and
PostgreSQL alike; the few dialect differences (period buckets, seconds between two timestamps) live in sql.py.

params.py      filters from the query string (team, agent, rubric, channel, date range, period), clear errors
scope.py       who sees what: admins everything, leads their teams, reviewers only their own reviewer row
sql.py         dialect helpers: week/month bucket expression, seconds between timestamps
quality.py     quality score (mean of published review overall) and pass rate by period for org/team/agent/
               criterion, change against the previous period
flags.py       flag trends by category or rule per team/agent; confirmation rate per rule (machine precision)
reviewers.py   reviews done, median time per review, calibration agreement, coverage against plan quotas
operations.py  first response, response gaps, handle time, share within the SLA, CSAT (from transcripts)
followthrough.py  acknowledged share, open disputes, score before/after coaching on a criterion
drilldown.py   the reviews (or chats) behind any number, built from the same filters as the aggregate
"""
