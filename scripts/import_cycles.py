#!/usr/bin/env python3
"""Fails if the files of any crate import each other in a circle.

A file's imports are the modules of its own crate it names in code (`crate::a::b`,
`use crate::{a, b}`, `super::a`), comments and `#[cfg(test)] mod tests` left out; an item
re-exported at the crate root is not a module and makes no edge. Every strongly connected set
of two or more files is printed with its edges, and the exit status is 1 if there is one.

Usage: scripts/import_cycles.py [REPO_DIR]
"""

import os
import re
import sys
from collections import defaultdict

SKIP_DIRS = {"target", ".git", "node_modules"}


def crates(root):
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d not in SKIP_DIRS]
        if "Cargo.toml" in filenames and os.path.isdir(os.path.join(dirpath, "src")):
            yield dirpath


def module_of(src, path):
    """`src/a/b.rs` and `src/a/b/mod.rs` are `("a", "b")`; binaries are their own crates."""
    parts = os.path.relpath(path, src)[: -len(".rs")].split("/")
    if parts[0] == "bin":
        return None
    if parts[-1] in ("lib", "main", "mod"):
        parts = parts[:-1]
    return tuple(parts)


def code(path):
    text = open(path, encoding="utf-8").read()
    text = re.split(r"#\[cfg\(test\)\]\s*mod tests", text)[0]
    return re.sub(r"//[^\n]*", "", text)


def edges(module, text, modules):
    out = set()

    def longest_module(parts):
        for i in range(len(parts), 0, -1):
            if parts[:i] in modules:
                return parts[:i]
        return None

    for path in re.findall(r"crate::((?:[a-z_0-9]+::)*[a-z_0-9]+)", text):
        target = longest_module(tuple(path.split("::")))
        if target and target != module:
            out.add(target)
    for group in re.findall(r"crate::\{([^}]*)\}", text):
        for name in re.findall(r"\b([a-z_0-9]+)\b", group):
            if (name,) in modules and (name,) != module:
                out.add((name,))
    for name in re.findall(r"super::([a-z_0-9]+)", text):
        target = module[:-1] + (name,)
        if target in modules and target != module:
            out.add(target)
    return out


def cycles(graph):
    """Tarjan's strongly connected components of two or more nodes."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else "."
    sys.setrecursionlimit(10_000)
    total = 0
    for crate in sorted(crates(root)):
        src = os.path.join(crate, "src")
        files = {}
        for dirpath, _, filenames in os.walk(src):
            for name in filenames:
                if name.endswith(".rs"):
                    path = os.path.join(dirpath, name)
                    module = module_of(src, path)
                    if module is not None:
                        files[module] = path
        modules = set(files)
        graph = defaultdict(set)
        for module, path in files.items():
            graph[module] = edges(module, code(path), modules)
        for component in cycles(graph):
            total += 1
            members = set(component)
            print(f"{os.path.relpath(crate, root)}: import circle")
            for m in component:
                targets = sorted("::".join(t) for t in graph[m] if t in members)
                print(f"  {'::'.join(m) or 'lib'} -> {', '.join(targets)}")
    print(f"import circles: {total}")
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())
