"""Components on reference cycles, and whether anything such a component reaches differs between the sides.

Structural identity (``DiffContext.canon``) follows a reference into its target. On a cycle that cannot go on
for ever, and cutting it where the walk happens to come back gave numbers that depended on which schema was
asked about first: a change below a cycle could be missed for one operation and seen for another, depending
on the order of the paths. A component on a cycle is therefore identified by its name, and counts as the
same on both sides exactly when every component it reaches is written the same (references by name).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from generator import ir


def refs_below(schema: ir.Schema | bool) -> Iterator[str]:
    """The names of the components ``schema`` refers to, through the parts structural identity reads."""
    todo: list[ir.Schema | bool] = [schema]
    while todo:
        node = todo.pop()
        if isinstance(node, ir.RefSchema):
            yield node.name
        elif isinstance(node, ir.ObjectSchema):
            todo.extend(p.schema for p in node.properties)
            todo.append(node.additional)
        elif isinstance(node, ir.ArraySchema):
            todo.append(node.items)
        elif isinstance(node, ir.UnionSchema):
            todo.extend(node.variants)
        elif isinstance(node, ir.AllOfSchema):
            todo.extend(node.parts)


def _on_cycle(graph: dict[str, set[str]]) -> frozenset[str]:
    """The nodes of ``graph`` on a cycle (a strongly connected component of several, or a node naming itself)."""
    components = strongly_connected(graph)
    return frozenset(name for group in components for name in group if len(group) > 1 or name in graph[name])


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components, each after every component it reaches (iterative: no recursion limit)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    for root in graph:
        if root in index:
            continue
        work: list[tuple[str, Iterator[str]]] = [(root, iter(graph[root]))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, successors = work[-1]
            for succ in successors:
                if succ not in index:
                    index[succ] = low[succ] = len(index)
                    stack.append(succ)
                    on_stack.add(succ)
                    work.append((succ, iter(graph.get(succ, ()))))
                    break
                if succ in on_stack:
                    low[node] = min(low[node], index[succ])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    found.append(component)
    return found


class Cycles:
    """Each side's reference cycles, and which components reach a difference between the sides.

    A component is on a cycle on one side or the other by that side's own references. Whether it reaches a
    difference is read on one graph for both sides, which is exact: a path that exists on one side only runs
    through a component whose references differ, so a difference is reachable on both sides or on neither.
    """

    def __init__(self, schemas: tuple[dict[str, ir.NamedSchema], ...], changed: Callable[[str], bool]) -> None:
        graphs = [{name: set(refs_below(named.schema)) for name, named in side.items()} for side in schemas]
        self.on_cycle = tuple(_on_cycle(graph) for graph in graphs)
        both: dict[str, set[str]] = {}
        for graph in graphs:
            for name, refs in graph.items():
                both.setdefault(name, set()).update(refs)
        self._changed = changed
        self._members = strongly_connected(both)
        self._scc_of = {name: number for number, component in enumerate(self._members) for name in component}
        self._next = [
            {self._scc_of[s] for name in component for s in both[name] if s in self._scc_of} - {number}
            for number, component in enumerate(self._members)
        ]
        self._dirty: dict[int, bool] = {}

    def reaches_difference(self, name: str) -> bool:
        """Whether ``name`` or anything it reaches is written differently on the two sides."""
        start = self._scc_of[name]
        work = [start]
        while work:  # post-order over the acyclic graph of components: what each reaches is known first
            number = work[-1]
            pending = [n for n in self._next[number] if n not in self._dirty]
            if pending:
                work.extend(pending)
                continue
            work.pop()
            if number not in self._dirty:
                self._dirty[number] = any(self._dirty[n] for n in self._next[number]) or any(
                    self._changed(member) for member in self._members[number]
                )
        return self._dirty[start]
