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
