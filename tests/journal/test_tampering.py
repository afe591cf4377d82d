"""The journal against someone who edits the database behind the application's back: cutting
the tail, emptying it, putting an old head back. The keyed head catches the first two; a
checkpoint kept outside catches the third."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from journal.models import Entry, Head
from journal.services import GENESIS, journal_verify

ENTRIES = Entry._meta.db_table
HEAD = Head._meta.db_table


def _sql(statement, *params):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def _head():
    return Head.objects.values_list("last_seq", "last_hash", "mac").get(pk=1)


@pytest.fixture
def journal(world):
    world.ours_in("in_force")
    assert Entry.objects.count() > 8
    return world


def _checkpoint(tmp_path, capsys, name="point.txt"):
    call_command("journal_checkpoint")
    path = tmp_path / name
    path.write_text(capsys.readouterr().out)
    return path


def test_cutting_the_tail_and_pointing_the_head_back_is_caught(journal):
    last_kept = Entry.objects.order_by("-seq")[3]
    _sql(f"DELETE FROM {ENTRIES} WHERE seq > %s", last_kept.seq)
    _sql(
        f"UPDATE {HEAD} SET last_seq = %s, last_hash = %s WHERE id = 1",
        last_kept.seq,
        last_kept.hash,
    )
    assert journal_verify() == "tête du journal modifiée (fin du journal coupée ?)"


def test_emptying_the_journal_and_resetting_the_head_is_caught(journal):
    _sql(f"DELETE FROM {ENTRIES}")
    _sql(f"UPDATE {HEAD} SET last_seq = 0, last_hash = %s WHERE id = 1", GENESIS)
    assert journal_verify() == "tête du journal modifiée (fin du journal coupée ?)"
    with pytest.raises(CommandError, match="tête du journal modifiée"):
        call_command("verify_journal")


def test_emptying_the_journal_with_its_head_is_caught(journal):
    _sql(f"DELETE FROM {ENTRIES}")
    _sql(f"DELETE FROM {HEAD}")
    assert journal_verify() == "tête du journal manquante (supprimée ?)"


def test_a_head_without_its_mac_is_caught(journal):
    _sql(f"UPDATE {HEAD} SET mac = '' WHERE id = 1")
    assert journal_verify() == "tête du journal modifiée (fin du journal coupée ?)"


def test_the_head_moves_with_every_entry_and_stays_valid(journal):
    before = _head()
    journal.submit(journal.theirs)
    after = _head()
    assert after[0] == before[0] + 1 and after[2] != before[2]
    assert journal_verify() is None


def test_a_checkpoint_proves_the_journal_still_holds_it(journal, tmp_path, capsys):
    path = _checkpoint(tmp_path, capsys)
    text = path.read_text()
    assert text.startswith("journal-checkpoint-v1 seq=") and " sig=" in text
    journal.submit(journal.theirs)  # the journal goes on after the checkpoint
    call_command("verify_journal", checkpoint=str(path))
    assert "point de contrôle est bien dans le journal" in capsys.readouterr().out


def test_an_old_head_put_back_over_a_cut_tail_is_caught_by_a_checkpoint(journal, tmp_path, capsys):
    """A copy of an earlier head row carries a genuine MAC: the key alone cannot tell it from
    the real end. The checkpoint sent to the members' référents can."""
    old_head = _head()
    journal.submit(journal.theirs)
    path = _checkpoint(tmp_path, capsys)
    _sql(f"DELETE FROM {ENTRIES} WHERE seq > %s", old_head[0])
    _sql(f"UPDATE {HEAD} SET last_seq = %s, last_hash = %s, mac = %s WHERE id = 1", *old_head)
    assert journal_verify() is None
    with pytest.raises(CommandError, match="absente \\(journal coupé \\?\\)"):
        call_command("verify_journal", checkpoint=str(path))


def test_a_rewritten_entry_no_longer_matches_a_checkpoint(journal, tmp_path, capsys):
    path = _checkpoint(tmp_path, capsys)
    last = Entry.objects.order_by("seq").last()
    _sql(f"UPDATE {ENTRIES} SET reason = 'falsifié' WHERE id = %s", last.pk)
    with pytest.raises(CommandError, match=f"entrée n° {last.seq} : contenu modifié"):
        call_command("verify_journal", checkpoint=str(path))


def test_a_forged_checkpoint_is_refused(journal, tmp_path, capsys):
    path = _checkpoint(tmp_path, capsys)
    seq = int(path.read_text().split()[1].removeprefix("seq="))
    path.write_text(path.read_text().replace(f"seq={seq}", f"seq={seq - 1}"))
    with pytest.raises(CommandError, match="signature de ce point de contrôle est fausse"):
        call_command("verify_journal", checkpoint=str(path))


@pytest.mark.parametrize("content", ["", "n'importe quoi", "journal-checkpoint-v1 seq=x"])
def test_an_unreadable_checkpoint_is_a_clear_error(journal, tmp_path, content):
    path = tmp_path / "point.txt"
    path.write_text(content)
    with pytest.raises(CommandError, match="point de contrôle"):
        call_command("verify_journal", checkpoint=str(path))


def test_a_missing_checkpoint_file_is_a_clear_error(journal, tmp_path):
    with pytest.raises(CommandError, match="Point de contrôle illisible"):
        call_command("verify_journal", checkpoint=str(tmp_path / "absent.txt"))
