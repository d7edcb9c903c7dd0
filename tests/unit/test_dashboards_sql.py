"""The PostgreSQL statistics on criterion period buckets only help if they name the very expression the dashboards
group by: compare them with what services/dashboards/sql.bucket compiles to, and check the objects exist."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from qa_app.models import CriterionScore
from qa_app.models.reviews import CRITERION_PERIOD_STATISTICS
from qa_app.services.dashboards.sql import bucket


@pytest.mark.parametrize("period", ["week", "month"])
def test_statistics_name_the_bucket_expression(period):
    engine = create_engine("postgresql+psycopg://nobody@127.0.0.1/none")  # compiles only, never connects
    expression = bucket(Session(bind=engine), CriterionScore.published_at, period)
    compiled = str(expression.compile(dialect=engine.dialect, compile_kwargs={"literal_binds": True}))
    declared = re.search(r"ON \((.*)\), criterion_key", CRITERION_PERIOD_STATISTICS[period]).group(1)
    assert compiled.replace("criterion_scores.", "") == declared


def test_postgresql_has_the_statistics(session):
    if session.get_bind().dialect.name != "postgresql":
        pytest.skip("PostgreSQL only (its pass of .ci/run runs this)")
    names = set(session.scalars(text("SELECT stxname FROM pg_statistic_ext")))
    assert {"criterion_scores_week_groups", "criterion_scores_month_groups"} <= names
