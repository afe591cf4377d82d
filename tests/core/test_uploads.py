"""Uploads are judged by their bytes, not by their names."""

import io
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from core.uploads import files_removed_on_failure, sha256_of, upload_error

ACCEPTED = ["pdf", "docx", "xlsx", "odt", "ods", "zip"]
PDF = b"%PDF-1.4\n% offre\n%%EOF\n"


def _zip(**members) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(name.replace("__", "/"), content)
    return buffer.getvalue()


def _error(name, content, max_bytes=1000):
    return upload_error(SimpleUploadedFile(name, content), extensions=ACCEPTED, max_bytes=max_bytes)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("offre.pdf", PDF),
        ("OFFRE.PDF", PDF),
        ("memoire.docx", _zip(**{"[Content_Types].xml": "<Types/>", "word__document.xml": "<w/>"})),
        ("annexes.zip", _zip(a="x")),
    ],
)
def test_a_file_whose_bytes_match_its_name_is_accepted(name, content):
    assert _error(name, content) is None


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("offre.pdf", b"<html><body>Cliquez ici</body></html>"),
        ("offre.pdf", _zip(a="x")),
        ("offre.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00"),  # a Windows program
        ("memoire.docx", PDF),
        ("annexes.zip", PDF),
    ],
)
def test_a_file_whose_bytes_are_something_else_is_refused_whatever_its_name(name, content):
    error = _error(name, content)
    assert error and "quel que soit son nom" in error


def test_the_name_must_have_an_accepted_extension():
    assert "Types de fichiers acceptés" in _error("offre.exe", PDF)


def test_the_size_limit_holds_at_its_boundary():
    content = PDF + b" " * (100 - len(PDF))
    assert _error("a.pdf", content, max_bytes=100) is None
    assert "limite" in _error("a.pdf", content + b" ", max_bytes=100)


def test_an_empty_file_is_refused():
    assert "vide" in _error("a.pdf", b"")


def test_the_checks_leave_the_file_ready_to_be_stored():
    upload = SimpleUploadedFile("offre.pdf", PDF)
    assert upload_error(upload, extensions=ACCEPTED, max_bytes=1000) is None
    assert upload.read() == PDF
    assert len(sha256_of(upload)) == 64 and upload.read() == PDF


@pytest.mark.django_db
def test_a_failed_action_takes_back_the_files_it_stored():
    with pytest.raises(RuntimeError), files_removed_on_failure(), transaction.atomic():
        name = default_storage.save("essai/refuse.pdf", ContentFile(PDF))
        assert default_storage.exists(name)
        raise RuntimeError("refused after storing")
    assert not default_storage.exists(name)
    with files_removed_on_failure(), transaction.atomic():
        kept = default_storage.save("essai/garde.pdf", ContentFile(PDF))
    assert default_storage.exists(kept)
