from sqlmodel import select

from portal.accounts.models import Role, User


def test_users_create_command_makes_a_buyer(app, db):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "New.Buyer@Example.BE",
            "--role",
            "buyer",
            "--authority",
            "commune-uccle",
            "--password",
            "a-long-password-1",
        ]
    )
    assert result.exit_code == 0, result.output
    user = db.exec(select(User).where(User.email == "new.buyer@example.be")).one()
    assert user.role == Role.buyer
    assert user.authority_id is not None


def test_users_create_reports_errors_without_creating(app, db):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "not-an-email",
            "--role",
            "curator",
            "--password",
            "short",
        ]
    )
    assert result.exit_code == 1
    assert "email" in result.output and "themes" in result.output and "password" in result.output
    assert db.exec(select(User).where(User.email == "not-an-email")).first() is None


def test_users_create_rejects_unknown_authority(app, db):
    result = app.test_cli_runner().invoke(
        args=[
            "users",
            "create",
            "--email",
            "x@example.be",
            "--role",
            "buyer",
            "--authority",
            "nowhere",
            "--password",
            "a-long-password-1",
        ]
    )
    assert result.exit_code == 1
    assert "nowhere" in result.output


def test_reference_sync_is_idempotent(app, db):
    result = app.test_cli_runner().invoke(args=["reference", "sync"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == (
        "cpv: 0 changed, nuts: 0 changed, categories: 0 changed, authorities: 0 changed"
    )
