"""The shape the README promises, read from the source with `ast`: no import cycle among the modules of
src/audiobook (imports inside functions and under `if TYPE_CHECKING:` count), no module over 400 lines,
and no manifest handed around as a plain dict in the packaging and publishing stages.

Import graph at module granularity, as import-linter's grimp builds it: `import a.b` and `from a import b`
where `a.b` is a module are edges to `a.b`; `from a.b import name` is an edge to `a.b` (its `__init__`
when it is a package). Parent packages imported implicitly along the way are not counted, or every
package re-exporting its submodules would be a cycle; nor is `importlib.import_module` of a name held in
data (the engine registry), which is not an import statement."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = "audiobook"
MAX_LINES = 400
TYPED_STAGES = ("package", "publish")  # where the manifest must travel as its dataclasses


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    where: str  # file:line of the import statement


def module_files(root: Path, package: str) -> dict[str, Path]:
    """Dotted module name -> file, for every module of `package` under `root` (a package is its __init__)."""
    out: dict[str, Path] = {}
    for path in sorted((root / package).rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def _resolve(name: str, modules: dict[str, Path]) -> str | None:
    """`name` if it is a module of ours, else its nearest ancestor that is (None outside the package)."""
    while name:
        if name in modules:
            return name
        name = name.rpartition(".")[0]
    return None


def import_edges(modules: dict[str, Path], root: Path) -> list[Edge]:
    edges: list[Edge] = []
    for module, path in modules.items():
        is_package = path.name == "__init__.py"
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):  # every import anywhere: module level, functions, TYPE_CHECKING blocks
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:  # relative: `from . import x` in a/b.py means a; in a/__init__.py means a
                    base = module.split(".")
                    drop = node.level - 1 if is_package else node.level
                    base = base[: len(base) - drop] if drop else base
                    prefix = ".".join(base + ([node.module] if node.module else []))
                else:
                    prefix = node.module or ""
                for alias in node.names:
                    sub = f"{prefix}.{alias.name}"
                    targets.append(sub if sub in modules else prefix)
            where = f"{path.relative_to(root.parent)}:{getattr(node, 'lineno', 0)}"
            for name in targets:
                target = _resolve(name, modules)
                if target is not None and target != module:
                    edges.append(Edge(module, target, where))
    return edges


def cycles(edges: list[Edge]) -> list[tuple[list[str], list[str]]]:
    """Each strongly connected component of more than one module (sorted), with a shortest cycle through
    its first module as a closed path."""
    graph: dict[str, set[str]] = {}
    for e in edges:
        graph.setdefault(e.source, set()).add(e.target)
        graph.setdefault(e.target, set())
    # Tarjan's strongly connected components, iterative (no recursion limit to think about).
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        top = stack.pop()
                        on_stack.discard(top)
                        component.append(top)
                        if top == node:
                            break
                    if len(component) > 1:
                        components.append(sorted(component))
            elif child not in index:
                index[child] = low[child] = len(index)
                stack.append(child)
                on_stack.add(child)
                work.append((child, iter(sorted(graph[child]))))
            elif child in on_stack:
                low[node] = min(low[node], index[child])
    found = []
    for component in components:
        members = set(component)
        start = component[0]
        # Breadth-first from `start` back to itself inside the component: the shortest cycle through it.
        paths = {start: [start]}
        queue = [start]
        cycle: list[str] | None = None
        while queue and cycle is None:
            node = queue.pop(0)
            for child in sorted(graph[node] & members):
                if child == start:
                    cycle = [*paths[node], start]
                    break
                if child not in paths:
                    paths[child] = [*paths[node], child]
                    queue.append(child)
        assert cycle is not None
        found.append((component, cycle))
    return found


def describe(component: list[str], cycle: list[str], edges: list[Edge]) -> str:
    """The cycle, then every import between the component's modules (any of them may be the one to cut)."""
    members = set(component)
    lines = [f"{len(component)} modules: " + " -> ".join(cycle)]
    for a, b in sorted({(e.source, e.target) for e in edges if e.source in members and e.target in members}):
        where = sorted({e.where for e in edges if e.source == a and e.target == b})
        lines.append(f"  {a} -> {b}  ({', '.join(where)})")
    return "\n".join(lines)


# A manifest, or a piece of one, typed as a plain mapping: `m: dict[str, Any]`, `cues: list[dict]`, `x: Any`.
MANIFEST_NAMES = re.compile(r"^(m|manifest|.*_manifest|episode|chapters?|segments?|cues?|speakers?|sidecars?)$")
LOOSE_TYPE = re.compile(r"^(dict|Dict|Mapping|Any)$|\b(dict|Dict|Mapping|MutableMapping)\[str, *Any\]")


def untyped_manifest_parameters(files: list[Path], root: Path) -> list[str]:
    """`file:line: name: annotation` (file relative to `root`) for each loose parameter or annotated name."""
    found = []
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                a = node.args
                named = [*a.posonlyargs, *a.args, *a.kwonlyargs, *filter(None, [a.vararg, a.kwarg])]
                typed = [(arg.arg, arg.annotation, arg.lineno) for arg in named]
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                typed = [(node.target.id, node.annotation, node.lineno)]
            else:
                continue
            for name, annotation, line in typed:
                if annotation is None or not MANIFEST_NAMES.match(name):
                    continue
                text = ast.unparse(annotation)
                if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
                    text = annotation.value  # a string annotation
                if LOOSE_TYPE.search(text):
                    found.append(f"{path.relative_to(root)}:{line}: {name}: {text}")
    return found


# --- the project ------------------------------------------------------------------------------------


@pytest.mark.slow
def test_no_import_cycles() -> None:
    modules = module_files(SRC, PACKAGE)
    edges = import_edges(modules, SRC)
    found = cycles(edges)
    assert not found, f"{len(found)} import cycle(s) among the modules of src/{PACKAGE}:\n" + "\n".join(
        describe(component, cycle, edges) for component, cycle in found
    )


def test_no_module_over_400_lines() -> None:
    long = {
        str(path.relative_to(SRC.parent)): n
        for path in module_files(SRC, PACKAGE).values()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not long, f"modules over {MAX_LINES} lines (split them along their own dividers): {long}"


def test_packaging_and_publishing_take_the_typed_manifest() -> None:
    files = [p for stage in TYPED_STAGES for p in sorted((SRC / PACKAGE / stage).rglob("*.py"))]
    assert files, "no package/ or publish/ modules found: has the layout moved?"
    found = untyped_manifest_parameters(files, SRC.parent)
    assert not found, "manifest data typed as a plain mapping (take package.manifest's dataclasses):\n" + "\n".join(
        found
    )


# --- the checks themselves, on a package made for them ------------------------------------------------


@pytest.fixture
def toy(tmp_path: Path) -> Path:
    """pkg.a imports pkg.sub.b at module level; pkg.sub.b imports pkg.a only in a function; pkg.sub's
    __init__ imports pkg.c under TYPE_CHECKING and pkg.c takes `from pkg import a` (a submodule) and
    `from .sub import b`; pkg.d imports names from pkg.sub (its __init__)."""
    files = {
        "pkg/__init__.py": "",
        "pkg/a.py": "import pkg.sub.b\n",
        "pkg/sub/__init__.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg import c\n",
        "pkg/sub/b.py": "def late():\n    from ..a import x\n    return x\n",
        "pkg/c.py": "from pkg import a\nfrom .sub import b\n",
        "pkg/d.py": "from pkg.sub import TYPE_CHECKING\nimport os\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    return tmp_path


def test_the_graph_counts_late_type_only_relative_and_submodule_imports(toy: Path) -> None:
    modules = module_files(toy, "pkg")
    assert set(modules) == {"pkg", "pkg.a", "pkg.sub", "pkg.sub.b", "pkg.c", "pkg.d"}
    got = {(e.source, e.target) for e in import_edges(modules, toy)}
    assert got == {
        ("pkg.a", "pkg.sub.b"),
        ("pkg.sub.b", "pkg.a"),  # inside a function, relative
        ("pkg.sub", "pkg.c"),  # under TYPE_CHECKING
        ("pkg.c", "pkg.a"),  # `from pkg import a`: the submodule, not pkg's __init__
        ("pkg.c", "pkg.sub.b"),
        ("pkg.d", "pkg.sub"),  # a name from a package: its __init__
    }
    found = cycles(import_edges(modules, toy))
    assert found == [(["pkg.a", "pkg.sub.b"], ["pkg.a", "pkg.sub.b", "pkg.a"])]
    assert "pkg.sub.b -> pkg.a  (" in describe(*found[0], import_edges(modules, toy))
    assert "/pkg/sub/b.py:2)" in describe(*found[0], import_edges(modules, toy))


def test_the_manifest_check_finds_loose_mappings(tmp_path: Path) -> None:
    f = tmp_path / "pkg" / "w.py"
    f.parent.mkdir()
    f.write_text(
        "from typing import Any\n"
        "def a(m: dict[str, Any]) -> None: ...\n"
        "def b(manifest: 'dict[str, Any]', *, cues: list[dict[str, Any]]) -> None: ...\n"
        "def c(data: dict[str, Any], episode: Manifest, title: str) -> None: ...\n"
        "chapters: Any = None\n"
    )
    assert untyped_manifest_parameters([f], tmp_path) == [
        "pkg/w.py:2: m: dict[str, Any]",
        "pkg/w.py:3: manifest: dict[str, Any]",
        "pkg/w.py:3: cues: list[dict[str, Any]]",
        "pkg/w.py:5: chapters: Any",
    ]
