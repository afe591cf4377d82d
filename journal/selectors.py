from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Page, Paginator
from django.db.models import Q

from journal.models import Entry


def history_for(*objects_or_querysets):
    """Entries about any of the given objects (model instances or querysets), oldest first."""
    condition = Q(pk__in=[])
    for item in objects_or_querysets:
        if hasattr(item, "model"):
            content_type = ContentType.objects.get_for_model(item.model)
            ids = [str(pk) for pk in item.values_list("pk", flat=True)]
            condition |= Q(content_type=content_type, object_id__in=ids)
        else:
            content_type = ContentType.objects.get_for_model(item)
            condition |= Q(content_type=content_type, object_id=str(item.pk))
    return Entry.objects.filter(condition).select_related("content_type").order_by("seq")


HISTORY_PAGE_SIZE = 25
HISTORY_PARAMETER = "historique"


def history_page(entries, request) -> Page:
    """One page of a history, the latest entries first (?historique=N): a consultation of 200
    bids has hundreds of entries, and its page shows 25 of them."""
    paginator = Paginator(entries.order_by("-seq"), HISTORY_PAGE_SIZE)
    return paginator.get_page(request.GET.get(HISTORY_PARAMETER))
