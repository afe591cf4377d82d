"""Reading the project's imports from its source, as a reviewer would: every `import` and
`from ... import`, at module level or inside a function."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Each layer imports only the layers before it (DESIGN.md, section 2).
LAYERS = [
    "core",
    "journal",
    "groupement",
    "procurement",
    "scoring",
    "contracts",
    "bidders",
    "config",
]


def modules() -> dict[str, Path]:
    """Every Python module of the layers, by dotted name."""
    found = {}
    for layer in LAYERS:
        for path in sorted((ROOT / layer).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


def imported_names(source: str, module: str) -> list[tuple[int, str]]:
    """(line, dotted name) of everything the source imports, relative imports resolved."""
    names = []
    package = module.rsplit(".", 1)[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            names += [(node.lineno, f"{base}.{alias.name}") for alias in node.names]
            names.append((node.lineno, base))
    return names


def layer_of(dotted: str) -> int | None:
    top = dotted.split(".")[0]
    return LAYERS.index(top) if top in LAYERS else None


def upward_imports(source: str, module: str) -> list[str]:
    """Each import of `source` that reaches a layer above the module's own."""
    own = layer_of(module)
    return [
        f"{module}:{line} imports {name}"
        for line, name in imported_names(source, module)
        if (target := layer_of(name)) is not None and own is not None and target > own
    ]


def import_graph() -> dict[str, set[str]]:
    """Module -> the project's modules it imports (a package import counts for the package)."""
    known = modules()
    graph = {}
    for name, path in known.items():
        targets = set()
        for _line, dotted in imported_names(path.read_text(), name):
            parts = dotted.split(".")
            prefixes = (".".join(parts[:i]) for i in range(len(parts), 0, -1))
            target = next((p for p in prefixes if p in known), None)
            if target is not None and target != name:
                targets.add(target)
        graph[name] = targets
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found
