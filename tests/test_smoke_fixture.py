from portal.accounts.models import Role


def test_buyer_can_log_in_and_see_account(client, logged_in):
    user = logged_in(Role.buyer)
    response = client.get("/account")
    assert response.status_code == 200
    assert user.email.encode() in response.data


def test_rows_written_by_a_test_are_rolled_back(db, make_user):
    from sqlmodel import select

    from portal.accounts.models import User

    make_user(Role.curator, email="rollback-check@test.brussels")
    assert db.exec(select(User).where(User.email == "rollback-check@test.brussels")).first()


def test_previous_test_left_nothing_behind(db):
    from sqlmodel import select

    from portal.accounts.models import User

    assert db.exec(select(User).where(User.email == "rollback-check@test.brussels")).first() is None
