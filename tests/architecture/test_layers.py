"""The layers depend downward only: core <- journal <- groupement <- procurement <- scoring <-
contracts <- config. A lower app lets an upper one take part through hooks registered in the
upper app's AppConfig.ready(), never by importing it or by naming it in settings."""

import re

import pytest
from django.conf import settings

from tests.architecture.layers import LAYERS, ROOT, imported_names, modules, upward_imports


def test_no_module_imports_a_layer_above_its_own():
    found = []
    for name, path in modules().items():
        found += upward_imports(path.read_text(), name)
    assert not found, "\n".join(found)


@pytest.mark.parametrize(
    "source",
    [
        "from contracts.models import Contract\n",
        "import scoring.ranking\n",
        "def f():\n    from contracts import services\n",
        "import contracts\n",
    ],
)
def test_the_check_sees_an_upward_import_wherever_it_hides(source):
    assert upward_imports(source, "procurement.services.bids")


def test_the_check_lets_downward_and_own_layer_imports_pass():
    source = "from core import clock\nfrom procurement import rules\nimport groupement.models\n"
    assert upward_imports(source, "procurement.services.bids") == []


def test_every_layer_is_an_installed_app_in_its_order():
    installed = [app for app in settings.INSTALLED_APPS if app in LAYERS]
    assert installed == LAYERS


def test_settings_name_no_code_of_the_layers():
    """Hooks are registered in AppConfig.ready(): a dotted path in settings would hide a
    dependency from readers and tools."""
    dotted = re.compile(r"(?<![\w.])(" + "|".join(LAYERS[:-1]) + r")\.[a-z_]+\.[a-z_]+\b")
    names = [
        name
        for name in dir(settings)
        if name.isupper() and name not in ("INSTALLED_APPS", "AUTH_USER_MODEL")
    ]
    offenders = [n for n in names if dotted.search(str(getattr(settings, n)))]
    assert not offenders


def test_no_application_module_resolves_code_by_name():
    offenders = [
        name
        for name, path in modules().items()
        if "import_string" in path.read_text() or "importlib" in path.read_text()
    ]
    assert not offenders


def test_templates_of_an_app_link_only_to_its_layer_and_below():
    """A page of a lower app shows an upper app's links only through a registered panel."""
    url = re.compile(r"""{%\s*url\s+['"](\w+):""")
    found = []
    for layer in LAYERS:
        for path in (ROOT / "templates" / layer).rglob("*.html"):
            for namespace in url.findall(path.read_text()):
                if namespace in LAYERS and LAYERS.index(namespace) > LAYERS.index(layer):
                    found.append(f"{path.relative_to(ROOT)} links to {namespace}")
    assert not found, "\n".join(found)


def test_relative_imports_are_resolved_to_their_package():
    assert (3, "procurement.models") in imported_names(
        "\n\nfrom .models import Bid\n", "procurement.services"
    )
