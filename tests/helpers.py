from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from groupement.models import Groupement, Membership, Organisation
from journal.models import Entry


def db_fingerprint():
    """Everything a refused request must leave as it was."""
    return (
        list(Organisation.objects.order_by("pk").values_list()),
        list(Groupement.objects.order_by("pk").values_list()),
        list(Membership.objects.order_by("pk").values_list()),
        Entry.objects.count(),
    )


def messages_of(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


def give_second_factor(client, user) -> None:
    """The client's session has given a confirmed TOTP code, as after the code page."""
    device = TOTPDevice.objects.create(user=user, name="essai", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def query_counts(*calls) -> list[int]:
    """The number of queries of each call. The first call runs once beforehand: what a first
    request fills (sessions, permission and content-type caches) is not what is measured."""
    calls[0]()
    counts = []
    for call in calls:
        with CaptureQueriesContext(connection) as captured:
            call()
        counts.append(len(captured))
    return counts


def body_of(response) -> bytes:
    """The bytes of a response, whether built in memory or streamed from a stored file."""
    return b"".join(response.streaming_content) if response.streaming else response.content
