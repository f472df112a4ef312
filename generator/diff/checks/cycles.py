"""Components on reference cycles, and whether anything such a component reaches differs between the sides.

Structural identity (``DiffContext.canon``) follows a reference into its target. On a cycle that cannot go on
for ever, and cutting it where the walk happens to come back gave numbers that depended on which schema was
asked about first: a change below a cycle could be missed for one operation and seen for another, depending
on the order of the paths. A component on a cycle is therefore identified by its name, and counts as the
same on both sides exactly when every component it reaches is written the same (references by name).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

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
    """The reference graph of both sides at once, its cycles, and which of them reach a difference.

    One graph for both sides is exact here: a path that exists on one side only runs through a component
    whose references differ, so a difference is reachable from a component on either side or on neither.
    """

    def __init__(self, schemas: Iterable[dict[str, ir.NamedSchema]], changed: Callable[[str], bool]) -> None:
        graph: dict[str, set[str]] = {}
        for side in schemas:
            for name, named in side.items():
                graph.setdefault(name, set()).update(refs_below(named.schema))
        self._changed = changed
        self._scc_of: dict[str, int] = {}
        self._members: list[list[str]] = strongly_connected(graph)
        for number, component in enumerate(self._members):
            for name in component:
                self._scc_of[name] = number
        self._next = [
            {self._scc_of[s] for name in component for s in graph[name] if s in self._scc_of} - {number}
            for number, component in enumerate(self._members)
        ]
        self.on_cycle = frozenset(
            name for component in self._members for name in component if len(component) > 1 or name in graph[name]
        )
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
