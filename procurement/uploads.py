"""The one check of tender documents and bid documents: type and size."""

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _


def upload_error(upload) -> str | None:
    """Why this file is refused, in French, or None when it is accepted."""
    allowed = settings.TENDER_DOCUMENT_EXTENSIONS
    extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    if extension not in allowed:
        return _("Accepted file types: %(types)s.") % {"types": ", ".join(allowed)}
    if upload.size > settings.TENDER_DOCUMENT_MAX_BYTES:
        return _("The document weighs %(size)s; the limit is %(limit)s.") % {
            "size": filesizeformat(upload.size),
            "limit": filesizeformat(settings.TENDER_DOCUMENT_MAX_BYTES),
        }
    if upload.size == 0:
        return _("The file is empty.")
    return None
