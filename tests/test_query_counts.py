"""Every page reads as many queries whatever the size of the data.

The benchmark data set (config.benchdata, what bench/pages.py measures at full size) is built
at two small sizes: more bids, criteria, evaluators, consultations and amendments. Every URL
pattern of the site, filled in with the benchmark consultation's objects, is requested by each
role; each page a role may see answers in the same number of queries at both sizes.
"""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from guardian.shortcuts import clear_ct_cache

from config.benchdata import Size, build, pages, roles
from tests.conftest import rolled_back

SMALL = Size(bids=2, criteria=2, evaluators=1, others=2, other_bids=1, amendments=2)
LARGER = Size(bids=4, criteria=3, evaluators=2, others=4, other_bids=2, amendments=3)


def query_counts(size) -> dict:
    """(page, role) -> queries, for each page the role may see."""
    bench = build(size)
    # Each size starts with the caches a fresh process has.
    ContentType.objects.clear_cache()
    clear_ct_cache()  # django-guardian's content types of permissions
    counts = {}
    for role, user in roles(bench).items():
        client = Client(raise_request_exception=False)
        client.force_login(user)
        for name, url in pages(bench):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            assert response.status_code < 500, (role, url)
            if response.status_code == 200:
                counts[(name, role)] = len(queries)
    return counts


@pytest.mark.django_db
def test_every_page_reads_as_many_queries_at_two_sizes():
    with rolled_back():
        small = query_counts(SMALL)
    larger = query_counts(LARGER)
    assert small.keys() == larger.keys()
    grown = {page: (small[page], larger[page]) for page in small if small[page] != larger[page]}
    assert not grown
    # The crawl reaches the pages that grow with the data, for every role.
    for page in ("scoring:ranking", "scoring:consolidation", "contracts:award"):
        assert (page, "coordinateur") in small
    assert ("scoring:workspace", "évaluateur") in small
    assert ("contracts:contract", "lecteur") in small
