"""No module of the project imports, directly or through others, a module that imports it:
inside an app too, the modules form layers (choices, rules, models, access, services,
selectors, views), so that no import has to hide inside a function."""

import ast

from tests.architecture.layers import cycles, import_graph, modules


def test_the_project_has_no_import_cycle():
    assert cycles(import_graph()) == []


def test_the_cycle_check_finds_a_cycle_through_several_modules():
    graph = {"a.models": {"a.rules"}, "a.rules": {"a.access"}, "a.access": {"a.models"}}
    graph["a.views"] = {"a.models"}
    assert cycles(graph) == [["a.access", "a.models", "a.rules"]]


def test_the_cycle_check_lets_a_chain_pass():
    assert cycles({"a.views": {"a.services"}, "a.services": {"a.models"}, "a.models": set()}) == []


def test_imports_stand_at_the_top_of_modules_except_in_app_ready():
    """An import inside a function hides a dependency; only AppConfig.ready() needs one
    (models cannot be imported while the apps load)."""
    hidden = []
    for name, path in modules().items():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name != "ready":
                for inner in ast.walk(node):
                    if isinstance(inner, ast.Import | ast.ImportFrom):
                        hidden.append(f"{name}:{inner.lineno}")
    assert hidden == []
