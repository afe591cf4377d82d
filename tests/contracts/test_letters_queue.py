"""The letters' e-mails in the real task queue (database backend): each letter is one task,
sent by the worker with its PDF, delayed and tried again when the mail server is down."""

from contracts.models import Letter
from tests.task_queue import run_worker, time_passes, waiting


def _send_letters(award_flow, capture):
    flow = award_flow()
    flow.certificates(flow.propose())
    flow.submit_proposal()
    flow.decide()
    flow.approve_all()
    with capture(execute=True):
        return flow.send_letters()


def test_the_letters_leave_with_the_worker(
    database_queue, award_flow, django_capture_on_commit_callbacks, mailoutbox
):
    letters = _send_letters(award_flow, django_capture_on_commit_callbacks)
    assert mailoutbox == [] and len(waiting()) == len(letters) == 3
    run_worker()
    assert sorted(m.to[0] for m in mailoutbox) == sorted(letter.email for letter in letters)
    for message in mailoutbox:
        [(name, content, kind)] = message.attachments
        letter = Letter.objects.get(email=message.to[0])
        assert kind == "application/pdf" and name == "courrier-lot-1.pdf"
        assert content == letter.file.open("rb").read()
    assert waiting() == []


def test_a_mail_server_down_delays_each_letter_and_sends_it_once(
    database_queue, mail_server_down, award_flow, django_capture_on_commit_callbacks, mailoutbox
):
    letters = _send_letters(award_flow, django_capture_on_commit_callbacks)
    run_worker()
    assert mailoutbox == []
    retries = waiting()
    assert len(retries) == 3
    assert {r.args_kwargs["kwargs"]["letter_id"] for r in retries} == {lt.pk for lt in letters}
    assert all(r.args_kwargs["kwargs"]["attempt"] == 2 for r in retries)
    mail_server_down.back()
    time_passes()
    run_worker()
    run_worker()
    assert sorted(m.to[0] for m in mailoutbox) == sorted(letter.email for letter in letters)
    assert waiting() == []
