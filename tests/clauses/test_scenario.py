"""Done when: a curator drafts, a second curator reviews and publishes, and a buyer sees the new
version, the diff and the history, and leaves feedback that comes back to the curator; all over
HTTP, as in the browser."""

from __future__ import annotations

import re

from sqlmodel import select

from portal.clauses import services
from portal.clauses.models import ClauseFeedback, ClauseVersion, VersionStatus
from tests.clauses.conftest import LOC, editor_payload


def _location_id(response) -> int:  # type: ignore[no-untyped-def]
    match = re.search(r"/clauses/drafts/(\d+)", response.headers["Location"])
    assert match, response.headers.get("Location")
    return int(match.group(1))


def test_curator_drafts_second_curator_publishes_buyer_sees_and_answers(
    client, db, library, curator, curator2, buyer, switch_to, login
):
    # 1. The first curator starts a new version from the clause page and edits it.
    login(curator)
    page = client.get("/clauses/CLEAN-ENV-901?lang=en")
    assert b"Start a new version" in page.data
    started = client.post("/clauses/CLEAN-ENV-901/drafts")
    assert started.status_code == 302
    draft_id = _location_id(started)
    assert client.get(f"/clauses/drafts/{draft_id}/edit").status_code == 200
    draft = db.get(ClauseVersion, draft_id)
    data = services.data_of(db, draft)
    data["text"]["fr"] = data["text"]["fr"].replace("Au moins", "Au minimum")
    data["text"]["nl"] = data["text"]["nl"].replace("Minstens", "Ten minste")
    data["change_note"] = LOC(
        "Formulation « au minimum ».", "Formulering “ten minste”.", "Wording “at the minimum”."
    )
    saved = client.post(
        f"/clauses/drafts/{draft_id}/edit", data=editor_payload(data, draft.lock_version)
    )
    assert saved.status_code == 302, saved.data[:2000]
    submitted = client.post(f"/clauses/drafts/{draft_id}/submit")
    assert submitted.status_code == 302
    db.expire_all()
    assert db.get(ClauseVersion, draft_id).status == VersionStatus.in_review

    # The author cannot publish it.
    lock = {"lock_version": str(db.get(ClauseVersion, draft_id).lock_version)}
    assert client.post(f"/clauses/drafts/{draft_id}/publish", data=lock).status_code == 403

    # 2. A second curator of the theme sees it waiting, reads the changes and publishes it.
    switch_to(curator2)
    workspace = client.get("/helpdesk/clauses?lang=en")
    assert f"/clauses/drafts/{draft_id}".encode() in workspace.data
    changes = client.get(f"/clauses/drafts/{draft_id}/diff?lang=en")
    assert b"<del>moins</del>" in changes.data and b"<ins>minimum</ins>" in changes.data
    published = client.post(f"/clauses/drafts/{draft_id}/publish", data=lock)
    assert published.status_code == 302
    assert published.headers["Location"].endswith("/clauses/CLEAN-ENV-901/v/2")

    # 3. The buyer sees the new version, its history, the diff and the old permalink.
    switch_to(buyer)
    current = client.get("/clauses/CLEAN-ENV-901?lang=fr")
    assert b"Au minimum {{ share }}" in current.data
    assert b'href="/clauses/CLEAN-ENV-901/v/1"' in current.data
    assert b"/clauses/CLEAN-ENV-901/diff?from=1&amp;to=2" in current.data
    diff = client.get("/clauses/CLEAN-ENV-901/diff?from=1&to=2&lang=fr")
    assert b"<ins>minimum</ins>" in diff.data and b"<ins>Ten minste</ins>" in diff.data
    old = client.get("/clauses/CLEAN-ENV-901/v/1?lang=en")
    assert old.status_code == 200
    assert b"This version was replaced on" in old.data and b"Au moins {{ share }}" in old.data

    # 4. ... and leaves feedback on the new version.
    form = client.get("/clauses/CLEAN-ENV-901/v/2/feedback")
    assert form.status_code == 200
    sent = client.post(
        "/clauses/CLEAN-ENV-901/v/2/feedback",
        data={"kind": "too_costly", "body": "Trois offres, toutes 20 % plus chères."},
    )
    assert sent.status_code == 302
    feedback = db.exec(select(ClauseFeedback)).one()
    assert feedback.author_id == buyer.id and feedback.version_id == draft_id
    mine = client.get("/clauses/CLEAN-ENV-901?lang=en")
    assert b"Trois offres, toutes 20 % plus ch" in mine.data

    # 5. The feedback comes back to the first curator, who answers it with a new draft.
    switch_to(curator)
    space = client.get("/helpdesk/clauses?lang=en")
    assert b"Trois offres, toutes 20 % plus ch" in space.data and b"Too costly" in space.data
    answered = client.post(f"/helpdesk/feedback/{feedback.id}/draft")
    assert answered.status_code == 302
    db.expire_all()
    assert db.get(ClauseFeedback, feedback.id).answered_by_version_id == _location_id(answered)
