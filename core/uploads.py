"""What every uploaded file goes through, whichever app stores it: one check and one digest."""

import hashlib

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

PDF_MAGIC = b"%PDF-"


def sha256_of(upload) -> str:
    """The file's SHA-256, read in chunks; the file is left ready to be stored."""
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def upload_error(upload, *, extensions, max_bytes) -> str | None:
    """Why this file is refused, in French, or None when it is accepted."""
    extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    if extension not in extensions:
        return _("Accepted file types: %(types)s.") % {"types": ", ".join(extensions)}
    if upload.size > max_bytes:
        return _("The document weighs %(size)s; the limit is %(limit)s.") % {
            "size": filesizeformat(upload.size),
            "limit": filesizeformat(max_bytes),
        }
    if upload.size == 0:
        return _("The file is empty.")
    if extension == "pdf":
        head = upload.read(len(PDF_MAGIC))
        upload.seek(0)
        if head != PDF_MAGIC:
            return _("The file is not a PDF document.")
    return None
