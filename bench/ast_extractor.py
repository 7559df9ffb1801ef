"""The extractor's job done with Python's `ast`, as the baseline bench/extractor_benchmark.py
measures against. For one file it reports what extractor/file_extractor.cc reports: module
items (what each top-level statement binds and reads), kernels (decorator and call forms,
through the file's import aliases) with parameters, constexpr flags, tl.* operations, calls,
loops, helpers, imported calls, globals and imports read; launchers (direct, through local
aliases, wrap_triton, .run) with their calls; autograd.Function / nn.Module wrappers; torch-only
reference candidates (functions and modules); tests with the comparisons they make, the
tensors each side is called with, and their parametrize cases; kernels of other DSLs; and
string literals that assemble kernels."""
import ast

JIT_NAMES = {"triton.jit", "triton.runtime.jit", "triton.runtime.jit.jit", "triton.runtime.jit.JITFunction",
             "triton.JITFunction"}
DSL_PREFIXES = ("triton.experimental.gluon.", "tilelang.", "cutlass.cute.", "numba.cuda.", "cupy.", "helion.",
                "warp.")
AUTOGRAD_BASES = {"torch.autograd.Function", "torch.autograd.function.Function"}
MODULE_BASES = {"torch.nn.Module", "torch.nn.modules.module.Module"}
TENSOR_CONSTRUCTORS = {"randn", "rand", "ones", "zeros", "empty", "randint"}


def reference_name(name):
    return name.startswith("ref") or any(p in ("ref", "reference", "torch", "naive", "spec") for p in name.split("_"))


def dotted(node):
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = dotted(node.value)
        return f"{base}.{node.attr}" if base else None
    return None


class Aliases:
    def __init__(self, tree):
        self.names = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname:
                        self.names[alias.asname] = alias.name
                    else:
                        head = alias.name.split(".")[0]
                        self.names[head] = head
            elif isinstance(node, ast.ImportFrom) and node.module is not None:
                prefix = "." * node.level + node.module
                for alias in node.names:
                    self.names[alias.asname or alias.name] = f"{prefix}.{alias.name}"

    def resolve(self, name):
        head, _, rest = name.partition(".")
        if head not in self.names:
            return name
        return self.names[head] + ("." + rest if rest else "")


def binds_of(statement):
    if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return [statement.name]
    if isinstance(statement, ast.Import):
        return [a.asname or a.name.split(".")[0] for a in statement.names]
    if isinstance(statement, ast.ImportFrom):
        return [a.asname or a.name for a in statement.names]
    if isinstance(statement, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
        targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
        return sorted({n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)})
    return []


def reads_of(node):
    return sorted({n.id for n in ast.walk(node) if isinstance(n, ast.Name)})


def module_items(tree):
    items = []
    for statement in tree.body:
        binds = binds_of(statement)
        if isinstance(statement, (ast.Import, ast.ImportFrom)):
            kind = "import"
        elif isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            kind = "function"
        elif isinstance(statement, ast.ClassDef):
            kind = "class"
        else:
            kind = "assignment" if binds else "other"
        items.append({"kind": kind, "lines": (statement.lineno, statement.end_lineno), "binds": binds,
                      "uses": reads_of(statement)})
    return items


class Function:
    def __init__(self, node, qualname, scope_is_module):
        self.node, self.qualname, self.at_module_level = node, qualname, scope_is_module
        self.launched, self.aliases, self.tl_ops, self.calls, self.uses = set(), {}, set(), set(), set()
        self.uses_torch = self.uses_triton = False
        self.call_nodes, self.loops = [], 0


def own_nodes(function):
    """The nodes of a function's body that belong to it, not to functions nested in it."""
    stack = list(function.body) + list(function.decorator_list)
    while stack:
        node = stack.pop()
        yield node
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            stack.extend(ast.iter_child_nodes(node))


def parameters(node, aliases):
    out = []
    args = node.args
    positional = args.posonlyargs + args.args
    defaults = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
    for arg, default in zip(positional, defaults):
        annotation = ast.unparse(arg.annotation) if arg.annotation else ""
        out.append({"name": arg.arg, "annotation": annotation,
                    "default": ast.unparse(default) if default is not None else "",
                    "constexpr": bool(annotation) and aliases.resolve(annotation) == "triton.language.constexpr"})
    for arg, default in zip(args.kwonlyargs, args.kw_defaults):
        out.append({"name": arg.arg, "annotation": ast.unparse(arg.annotation) if arg.annotation else "",
                    "default": ast.unparse(default) if default is not None else "", "constexpr": False})
    if args.vararg:
        out.append({"name": "*" + args.vararg.arg})
    if args.kwarg:
        out.append({"name": "**" + args.kwarg.arg})
    return out


def tensor_spec(node, bindings, aliases, depth=0):
    if depth > 8:
        return None
    if isinstance(node, ast.Name) and node.id in bindings:
        return tensor_spec(bindings[node.id], bindings, aliases, depth + 1)
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub, ast.Mult)):
        number, other = (node.right, node.left) if isinstance(node.right, ast.Constant) else (node.left, node.right)
        if not isinstance(number, ast.Constant) or not isinstance(number.value, (int, float)):
            return None
        spec = tensor_spec(other, bindings, aliases, depth + 1)
        if spec is None:
            return None
        if isinstance(node.op, ast.Mult):
            spec["scale"] *= number.value
            spec["offset"] *= number.value
        elif isinstance(node.op, ast.Add):
            spec["offset"] += number.value
        elif number is node.right:
            spec["offset"] -= number.value
        else:
            return None
        return spec
    if not isinstance(node, ast.Call):
        return None
    callee = aliases.resolve(dotted(node.func) or "")
    if not callee.startswith("torch.") or callee[6:] not in TENSOR_CONSTRUCTORS:
        return None
    spec = {"constructor": callee[6:], "dims": [], "shape": [], "dtype": "float32", "scale": 1.0, "offset": 0.0}

    def read_dims(value):
        if isinstance(value, (ast.Tuple, ast.List)):
            return all(read_dims(v) for v in value.elts)
        if isinstance(value, ast.Constant) and isinstance(value.value, (str, float)):
            return False
        spec["dims"].append(ast.unparse(value))
        if isinstance(value, ast.Constant) and isinstance(value.value, int):
            spec["shape"].append(value.value)
        return True

    for keyword in node.keywords:
        if keyword.arg == "dtype":
            dtype = aliases.resolve(dotted(keyword.value) or "")
            if not dtype.startswith("torch."):
                return None
            spec["dtype"] = dtype[6:]
        elif keyword.arg == "size" and not read_dims(keyword.value):
            return None
    for arg in node.args:
        if not read_dims(arg):
            return None
    if spec["constructor"] == "randint" or not spec["dims"]:
        return None
    if len(spec["shape"]) != len(spec["dims"]):
        spec["shape"] = []
    return spec


def call_site(node, bindings, aliases):
    if isinstance(node, ast.Name) and node.id in bindings:
        node = bindings[node.id]
    site = {"text": ast.unparse(node), "callee": "", "args": [], "line": node.lineno}
    if not isinstance(node, ast.Call) or dotted(node.func) is None:
        return site, False
    site["callee"] = dotted(node.func)
    for value in node.args + [k.value for k in node.keywords]:
        keyword = next((k.arg for k in node.keywords if k.value is value), "")
        if isinstance(value, ast.Constant) and isinstance(value.value, bool):
            kind, spec = "bool", None
        elif isinstance(value, ast.Constant) and isinstance(value.value, int):
            kind, spec = "int", None
        elif isinstance(value, ast.Constant) and isinstance(value.value, float):
            kind, spec = "float", None
        else:
            spec = tensor_spec(value, bindings, aliases)
            kind = "tensor" if spec else "other"
        site["args"].append({"text": ast.unparse(value), "keyword": keyword or "", "kind": kind, "tensor": spec})
    return site, True


CONVERSIONS = {"to", "float", "half", "bfloat16", "double", "cpu", "cuda", "contiguous", "clone", "detach",
               "requires_grad_"}


def strip_conversions(node):
    while isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in CONVERSIONS:
        node = node.func.value
    return node


def origin(node, bindings):
    """What a compared value was computed by: through variables and value-keeping conversions."""
    for _ in range(8):
        if isinstance(node, ast.Name) and node.id in bindings:
            node = bindings[node.id]
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in CONVERSIONS:
            node = node.func.value
        else:
            break
    return node


def comparisons(function, aliases):
    bindings = {}
    for node in ast.walk(function):
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            if isinstance(target, ast.Name):
                bindings[target.id] = node.value
            elif isinstance(target, ast.Tuple) and isinstance(node.value, ast.Call):
                for name in target.elts:
                    if isinstance(name, ast.Name):
                        bindings[name.id] = node.value
    copies = {}
    for name, value in bindings.items():
        source = strip_conversions(value)
        if source is not value and isinstance(source, ast.Name) and source.id != name:
            copies[name] = source.id
    found = []
    for node in ast.walk(function):
        if not isinstance(node, ast.Call):
            continue
        name = dotted(node.func)
        if not name:
            continue
        last = name.rsplit(".", 1)[-1]
        args = list(node.args)
        if args and isinstance(args[0], ast.Constant) and isinstance(args[0].value, str):
            args = args[1:]  # assert_close("o", ref, tri): a leading label
        if not ("allclose" in last or "assert_close" in last or last == "assert_equal") or len(args) < 2:
            continue
        actual, actual_is_call = call_site(origin(args[0], bindings), bindings, aliases)
        expected, expected_is_call = call_site(origin(args[1], bindings), bindings, aliases)
        if actual_is_call or expected_is_call:
            found.append({"assertion": aliases.resolve(name), "actual": actual, "expected": expected,
                          "line": node.lineno, "copies": copies})
    return found


def parametrize(function):
    cases = []
    for decorator in function.decorator_list:
        if not isinstance(decorator, ast.Call) or len(decorator.args) < 2:
            continue
        if not (dotted(decorator.func) or "").endswith("parametrize"):
            continue
        names_node, values = decorator.args[0], decorator.args[1]
        if isinstance(names_node, ast.Constant) and isinstance(names_node.value, str):
            names = [n.strip() for n in names_node.value.split(",") if n.strip()]
        elif isinstance(names_node, (ast.List, ast.Tuple)):
            names = [ast.unparse(n).strip("'\"") for n in names_node.elts]
        else:
            continue
        if not isinstance(values, (ast.List, ast.Tuple)):
            continue
        rows = []
        for item in values.elts:
            row = [ast.unparse(v) for v in item.elts] if len(names) > 1 and isinstance(item, (ast.Tuple, ast.List)) \
                else [ast.unparse(item)]
            if len(row) == len(names):
                rows.append(row)
        cases.append({"names": names, "cases": rows})
    return cases


def extract(source, path=""):
    tree = ast.parse(source)
    aliases = Aliases(tree)
    out = {"items": module_items(tree), "kernels": [], "launchers": [], "references": [], "tests": [],
           "wrappers": [], "dsl_kernels": [], "generated_kernel_strings": 0}
    global_names = {b for i in out["items"] if i["kind"] == "assignment" for b in i["binds"]}
    import_names = {b for i in out["items"] if i["kind"] == "import" for b in i["binds"]}

    functions, classes = [], []

    def visit(node, prefix, at_module):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                functions.append(Function(child, prefix + child.name, at_module))
                visit(child, prefix + child.name + ".", False)
            elif isinstance(child, ast.ClassDef):
                classes.append((child, prefix + child.name))
                visit(child, prefix + child.name + ".", False)
            else:
                visit(child, prefix, at_module)

    visit(tree, "", True)

    def is_jit(node):
        name = dotted(node.func if isinstance(node, ast.Call) else node)
        return name is not None and aliases.resolve(name) in JIT_NAMES

    call_form = {n.args[0].id for n in ast.walk(tree)
                 if isinstance(n, ast.Call) and is_jit(n.func) and n.args and isinstance(n.args[0], ast.Name)}
    out["registrations"] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and "triton.jit" in node.value:
            out["generated_kernel_strings"] += 1
        elif isinstance(node, (ast.Tuple, ast.List)) and len(node.elts) >= 3:
            rows = [(e.elts[0].value, e.elts[1].id, e.lineno) for e in node.elts
                    if isinstance(e, ast.Tuple) and len(e.elts) == 2 and isinstance(e.elts[0], ast.Constant)
                    and isinstance(e.elts[0].value, str) and isinstance(e.elts[1], ast.Name)]
            if len(rows) == len(node.elts):  # an op table: ("aten op", function) rows only
                out["registrations"] += [{"op": op, "name": name, "line": line} for op, name, line in rows]

    imports_triton = any(q == "triton" or q.startswith("triton.") for q in aliases.names.values())
    kernel_names = set()
    for f in functions:
        f.is_kernel = any(is_jit(d) for d in f.node.decorator_list) or (f.at_module_level and f.node.name in call_form)
        f.dsl = ""
        for d in f.node.decorator_list:
            name = aliases.resolve(dotted(d.func if isinstance(d, ast.Call) else d) or "")
            if name.endswith(".jit") and name.startswith(DSL_PREFIXES):
                f.dsl = name
        if f.is_kernel:
            kernel_names.add(f.node.name)

    for f in functions:
        for node in own_nodes(f.node):
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name) \
                    and isinstance(node.value, ast.Name) and node.value.id in kernel_names:
                f.aliases[node.targets[0].id] = node.value.id
        for node in own_nodes(f.node):
            if isinstance(node, (ast.For, ast.While)):
                f.loops += 1
            elif isinstance(node, ast.Name):
                f.uses.add(node.id)
            elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
                module = aliases.resolve(node.value.id)
                if module in ("triton.language", "triton.language.core"):
                    f.tl_ops.add("tl." + node.attr)
                elif module.startswith("triton.language."):
                    f.tl_ops.add("tl." + module[16:] + "." + node.attr)
                f.uses_triton |= module.startswith("triton")
                f.uses_torch |= module.startswith("torch")
            elif isinstance(node, ast.Call):
                name = dotted(node.func)
                if name:
                    f.calls.add(name)
                f.call_nodes.append(node)
                target = None
                if isinstance(node.func, ast.Subscript):
                    target = node.func.value
                elif isinstance(node.func, ast.Attribute) and node.func.attr == "run":
                    target = node.func.value
                if target is not None:
                    if isinstance(target, ast.Call) and target.args:
                        target = target.args[0]
                    launched = target.id if isinstance(target, ast.Name) else getattr(target, "attr", None)
                    launched = f.aliases.get(launched, launched)
                    imported_kernel = launched in aliases.names and imports_triton
                    if launched and (launched in kernel_names or imported_kernel):
                        f.launched.add(launched)

    for f in functions:
        node = f.node
        if f.dsl and not f.is_kernel:
            out["dsl_kernels"].append({"qualname": f.qualname, "dsl": f.dsl})
        elif f.is_kernel:
            params = parameters(node, aliases)
            param_names = {p["name"] for p in params}
            helpers = [c for c in sorted(f.calls) if "." not in c and c in kernel_names]
            imported = [aliases.resolve(c) for c in sorted(f.calls) if "." not in c and c not in kernel_names
                        and c in aliases.names]
            out["kernels"].append({
                "name": node.name, "qualname": f.qualname, "lines": (node.lineno, node.end_lineno),
                "decorators": [ast.unparse(d) for d in node.decorator_list], "params": params,
                "tl_ops": sorted(f.tl_ops), "calls": sorted(f.calls), "loops": f.loops, "helpers": helpers,
                "imported_calls": imported,
                "globals": sorted(n for n in f.uses if n in global_names and n not in param_names),
                "imports": sorted(n for n in f.uses if n in import_names and n not in param_names)})
        elif f.launched:
            out["launchers"].append({"name": node.name, "qualname": f.qualname, "params": parameters(node, aliases),
                                     "kernels": sorted(f.launched), "calls": sorted(f.calls)})
        elif node.name.startswith("test"):
            out["tests"].append({"name": node.name, "qualname": f.qualname,
                                 "comparisons": comparisons(node, aliases), "parametrize": parametrize(node)})
        elif not f.uses_triton:
            named = reference_name(node.name)
            naive = path.endswith("naive.py")
            if named or f.uses_torch or naive:
                out["references"].append({"name": node.name, "qualname": f.qualname,
                                          "params": parameters(node, aliases),
                                          "why": "name" if named else "naive-module" if naive else "torch"})

    launcher_names = {l["name"] for l in out["launchers"]}
    for node, qualname in classes:
        kinds = {aliases.resolve(dotted(b) or "") for b in node.bases}
        kind = "autograd.Function" if kinds & AUTOGRAD_BASES else "nn.Module" if kinds & MODULE_BASES else ""
        if not kind:
            continue
        methods = [f for f in functions if f.qualname.startswith(qualname + ".")]
        reached = set()
        for f in methods:
            reached |= f.launched
            reached |= {c.rsplit(".", 1)[-1] for c in f.calls if c.rsplit(".", 1)[-1] in launcher_names | kernel_names}
        if reached:
            out["wrappers"].append({"qualname": qualname, "kind": kind, "launchers": sorted(reached)})
        elif kind == "nn.Module" and not any(f.uses_triton or f.is_kernel or f.launched for f in methods) and \
                (any(f.uses_torch for f in methods) or reference_name(node.name)):
            out["references"].append({"name": node.name, "qualname": qualname, "why": "torch", "kind": "class"})
    return out
