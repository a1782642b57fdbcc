#!/usr/bin/env python3
"""Fails (exit 1) when a module includes a higher module or another module's private header.

Modules, lowest first, are the DATADAO_MODULES list of the top CMakeLists.txt; `common` is the
header-only vocabulary below all of them. A file of module M (src/M/** or include/datadao/M/**)
may include "datadao/N/..." only for N == M, N == common or N below M, and a quoted include
that is not "datadao/..." must name a file of the includer's own module directory, relative to
the includer (a private header of its module).
Usage: scripts/check_layering.py [source dir]
"""
import os
import re
import sys

root = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), ".."))
cmake = open(os.path.join(root, "CMakeLists.txt"), encoding="utf-8").read()
m = re.search(r"set\(DATADAO_MODULES([^)]*)\)", cmake)
if not m:
    sys.exit("check_layering: no DATADAO_MODULES list in CMakeLists.txt")
order = ["common"] + m.group(1).split()
rank = {name: i for i, name in enumerate(order)}
include_re = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)

problems = []
checked = 0
for top, module_of in (("src", lambda parts: parts[0]), ("include/datadao", lambda parts: parts[0])):
    base = os.path.join(root, top)
    for dirpath, _, files in os.walk(base):
        rel = os.path.relpath(dirpath, base)
        if rel == ".":
            continue
        module = module_of(rel.split(os.sep))
        if module not in rank:
            problems.append(f"{top}/{rel}: directory of no module in DATADAO_MODULES")
            continue
        for name in files:
            if not name.endswith((".hpp", ".cpp", ".h")):
                continue
            path = os.path.join(dirpath, name)
            shown = os.path.relpath(path, root)
            checked += 1
            text = open(path, encoding="utf-8").read()
            for inc in include_re.findall(text):
                if inc.startswith("datadao/"):
                    target = inc.split("/")[1]
                    if target not in rank:
                        problems.append(f"{shown}: includes {inc}, of no known module")
                    elif rank[target] > rank[module]:
                        problems.append(f"{shown}: module {module} includes higher module {target} ({inc})")
                else:
                    resolved = os.path.normpath(os.path.join(dirpath, inc))
                    home = os.path.join(base, module) + os.sep
                    if not os.path.exists(resolved) or not resolved.startswith(home):
                        problems.append(f"{shown}: includes \"{inc}\", which is not a private header "
                                        f"of module {module}")

for p in problems:
    print(p)
print(f"check_layering: {checked} files, {len(problems)} problem(s)")
sys.exit(1 if problems else 0)
