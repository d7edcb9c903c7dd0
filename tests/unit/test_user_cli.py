from qa_app.services import users


def test_create_user_with_teams_then_refuses_a_duplicate(app, session):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["qa", "create-user", "Lee@Example.com", "--role", "lead", "--team", "Billing",
                                 "--team", "Returns", "--password", "long-enough"])
    assert result.exit_code == 0, result.output
    user = users.get_by_email(session, "lee@example.com")
    assert user.role == "lead" and sorted(t.name for t in user.teams) == ["Billing", "Returns"]
    assert users.authenticate(session, "lee@example.com", "long-enough") is not None
    again = runner.invoke(args=["qa", "create-user", "lee@example.com", "--role", "agent", "--password", "long-enough"])
    assert again.exit_code != 0 and "already exists" in again.output


def test_create_user_rejects_unknown_role_and_short_password(app, session):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["qa", "create-user", "x@example.com", "--role", "boss", "--password", "pw-long"]).exit_code == 2
    short = runner.invoke(args=["qa", "create-user", "x@example.com", "--role", "agent", "--password", "pw"])
    assert short.exit_code != 0 and "at least" in short.output
    assert users.get_by_email(session, "x@example.com") is None


def test_password_is_prompted_when_not_given(app, session):
    result = app.test_cli_runner().invoke(args=["qa", "create-user", "p@example.com", "--role", "reviewer"],
                                          input="prompted-pw\nprompted-pw\n")
    assert result.exit_code == 0, result.output
    assert users.authenticate(session, "p@example.com", "prompted-pw") is not None
