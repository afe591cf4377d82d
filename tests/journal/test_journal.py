import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from journal.models import AppendOnlyError, Entry
from journal.services import journal_verify


@pytest.fixture
def journal(world):
    world.ours_in("in_force")
    assert Entry.objects.count() > 8
    return Entry.objects.order_by("seq")


def _sql(statement, *params):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_an_intact_journal_verifies(journal, capsys):
    call_command("verify_journal")
    assert "Journal intègre" in capsys.readouterr().out


def test_an_edited_row_is_named_by_verify_journal(journal):
    victim = journal[4]
    _sql(f"UPDATE {Entry._meta.db_table} SET reason = %s WHERE id = %s", "falsifié", victim.pk)
    with pytest.raises(CommandError, match=f"entrée n° {victim.seq} : contenu modifié"):
        call_command("verify_journal")


def test_a_changed_state_is_caught_even_if_the_hash_column_is_left_alone(journal):
    victim = journal[2]
    _sql(f"UPDATE {Entry._meta.db_table} SET to_state = %s WHERE id = %s", "in_force", victim.pk)
    assert journal_verify() == f"entrée n° {victim.seq} : contenu modifié"


def test_a_deleted_row_in_the_middle_is_named(journal):
    victim = journal[3]
    _sql(f"DELETE FROM {Entry._meta.db_table} WHERE id = %s", victim.pk)
    assert journal_verify() == f"entrée n° {victim.seq} : manquante (supprimée ?)"


def test_a_deleted_last_row_is_noticed(journal):
    last = journal.last()
    _sql(f"DELETE FROM {Entry._meta.db_table} WHERE id = %s", last.pk)
    assert "manquante en fin de journal" in journal_verify()


def test_a_row_rewritten_with_a_recomputed_plain_hash_is_still_caught(journal):
    """Without the journal key, an attacker cannot forge a consistent chain."""
    import hashlib

    victim = journal[1]
    forged = hashlib.sha256(b"anything").hexdigest()
    _sql(
        f"UPDATE {Entry._meta.db_table} SET reason = %s, hash = %s WHERE id = %s",
        "falsifié",
        forged,
        victim.pk,
    )
    assert journal_verify().startswith(f"entrée n° {victim.seq}")


def test_the_orm_refuses_to_change_or_delete_entries(journal):
    entry = journal.first()
    entry.reason = "changé"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        Entry.objects.filter(pk=entry.pk).update(reason="changé")
    with pytest.raises(AppendOnlyError):
        Entry.objects.all().delete()
    assert journal_verify() is None


def test_entries_record_actor_organisation_object_and_states(world):
    world.submit()
    entry = Entry.objects.order_by("seq").last()
    assert entry.actor == world.coordinator()
    assert entry.organisation_name == "Organisation COORD"
    assert entry.object_id == str(world.ours.pk)
    assert (entry.from_state, entry.to_state) == ("draft", "deliberating")
    assert entry.action == "envoi aux assemblées des membres"
