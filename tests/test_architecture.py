"""Which app may import which: the layering of docs/architecture.md, read from the code.

Every module under ``src/interra`` is parsed (migrations included) and every import is
read: module-level ones, function-local ones (an import inside a function is still a
dependency, only a hidden one), relative ones, and ``import_module``/``import_string``
called with a literal name. An app may import only apps of a LOWER layer: never one of
its own layer, never one above. A lower app that must react to what happens above it
offers a hook (a signal, a registry filled in ``AppConfig.ready``), and the app above
connects to it: venues sends ``booking_confirmed``, the agenda subscribes.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src" / "interra"

# Bottom first. Keep docs/architecture.md ("Dependency direction") in step: a test below
# compares them.
LAYERS: list[set[str]] = [
    {"core", "formats"},
    {"cities"},
    {"notifications"},
    {"accounts"},
    {"proposals"},
    {"venues"},
    {"agenda"},
    {"impact", "planning", "credentials", "federation"},
    {"autonomy", "employers"},
    {"demo"},
    {"config"},
]
LAYER_OF = {app: depth for depth, layer in enumerate(LAYERS) for app in layer}
DYNAMIC_IMPORTERS = {"import_module", "import_string"}


def module_name(path: Path) -> str:
    parts = ("interra", *path.relative_to(SRC).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(source: str, module: str, *, is_package: bool = False) -> list[tuple]:
    """(line, absolute module name) for each import in ``source``, wherever it stands."""
    package = module if is_package else module.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module
            # ``from interra import agenda`` and ``from . import services`` name modules.
            found += [(node.lineno, f"{target}.{alias.name}") for alias in node.names]
        elif isinstance(node, ast.Call):
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if (name in DYNAMIC_IMPORTERS and node.args
                    and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)):
                found.append((node.lineno, node.args[0].value))
    return found


def app_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "interra" else None


def app_imports() -> list[tuple[str, str, str]]:
    """(importing app, imported app, "file:line") for each import across two apps."""
    edges = set()
    for path in sorted(SRC.rglob("*.py")):
        module = module_name(path)
        source_app = app_of(module)
        if source_app is None:
            continue
        source = path.read_text(encoding="utf-8")
        for line, target in imported_modules(source, module,
                                             is_package=path.name == "__init__.py"):
            target_app = app_of(target)
            if target_app and target_app != source_app:
                edges.add((source_app, target_app, f"{path.relative_to(ROOT)}:{line}"))
    return sorted(edges)


def cycles(edges) -> list[list[str]]:
    """The strongly connected groups of more than one app (Tarjan)."""
    graph: dict[str, set[str]] = {}
    for source, target, _ in edges:
        graph.setdefault(source, set()).add(target)
        graph.setdefault(target, set())
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for successor in sorted(graph[node]):
            if successor not in index:
                visit(successor)
                low[node] = min(low[node], low[successor])
            elif successor in on_stack:
                low[node] = min(low[node], index[successor])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_every_app_has_a_layer():
    packages = {path.parent.relative_to(SRC).parts[0] for path in SRC.rglob("*.py")
                if path.parent != SRC}
    assert packages == set(LAYER_OF), "add the new app to LAYERS and docs/architecture.md"


def test_apps_import_only_lower_layers():
    wrong = [f"{where}: {source} imports {target}" for source, target, where in app_imports()
             if LAYER_OF[target] >= LAYER_OF[source]]
    assert not wrong, "imports against the layering:\n" + "\n".join(wrong)


def test_no_cycle_between_apps():
    assert cycles(app_imports()) == []


def test_the_documentation_states_the_same_layering():
    stated = " → ".join(", ".join(f"`{app}`" for app in sorted(layer)) for layer in LAYERS)
    assert stated in (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")


def test_hidden_imports_are_seen():
    source = (
        "from . import services\n"
        "from ..venues.models import Booking\n"
        "def confirm():\n"
        "    from interra.agenda.services import session_cancel\n"
        "    import interra.planning.solver\n"
        "    return import_module('interra.impact.ties')\n"
    )
    found = [target for _, target in imported_modules(source, "interra.agenda.views")]
    assert found == ["interra.agenda.services", "interra.venues.models.Booking",
                     "interra.agenda.services.session_cancel", "interra.planning.solver",
                     "interra.impact.ties"]
    assert cycles([("a", "b", ""), ("b", "c", ""), ("c", "a", ""), ("c", "d", "")]) == [
        ["a", "b", "c"]]
