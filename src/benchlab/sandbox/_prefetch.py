"""Which calls of the program the tests will make first, read from their source before they run.

Most tests (HumanEval's `check`, MBPP's asserts) are straight-line asserts
whose calls of the program take literal arguments. The checker can then send
those calls in one message, before the tests run, and the program answers
them in order as fast as it can (see `_child._serve`), instead of one round
trip between two processes a call. For the tests to see exactly what they
would have seen asking one call at a time, the calls planned here must be,
in order, the first requests the tests will make, with no other request of
theirs in between; so a statement is planned only when that is certain from
its text:

- top level: imports, literal assignments, docstrings, undecorated functions
  without annotations or non-literal defaults, asserts as below, and a call
  `check(NAME)` of such a function with one parameter, whose body is planned
  the same way (its asserts call the parameter);
- an assert calls the program exactly once, with literal arguments, in a
  place its evaluation always reaches (not behind `and`, `or`, a chained
  comparison or a conditional expression); everything else in it is a
  literal, an operator, an allowed builtin, or an attribute, item or method
  of that call's result; its message, if any, is a literal;
- no name the plan relies on (the program's function, `check`, the builtins)
  is bound anywhere else in the tests, and the tests never name `builtins`.

The first statement that is not so ends the plan; the rest runs one call at
a time, as before. What stays safe at run time is checked by the two sides
(see `_checker.Connection` and `_child._serve`): a planned call whose answer
is an exception or holds an object of the program (a handle, which the
tests may then ask things) ends the plan on both sides at once.

Standard library only, imported by path inside the sandbox.
"""

from __future__ import annotations

import ast
import builtins
import sys
from typing import Any

# Builtins an assert may apply to a result: none of them calls back into the program when
# given plain data (the only kind of result a plan goes on after).
SAFE_BUILTINS = frozenset(
    {
        *("abs", "all", "any", "bool", "dict", "float", "frozenset", "int", "len", "list"),
        *("max", "min", "repr", "round", "set", "sorted", "str", "sum", "tuple"),
    }
)
Call = tuple[str, list[Any], dict[str, Any]]  # the program's global name, args, kwargs


class _Unplanned(Exception):
    """This statement's requests cannot be known from its text: the plan ends before it."""


def plan(tree: ast.Module) -> list[Call]:
    """The calls the tests in `tree` will make first, in order, by the program's global name.

    Empty when nothing can be planned (or asserts do not run: `python -O`).
    """
    if sys.flags.optimize:
        return []
    bound = _bound_names(tree)
    if bound is None:
        return []
    calls: list[Call] = []
    functions: dict[str, ast.FunctionDef] = {}
    try:
        for stmt in tree.body:
            if isinstance(stmt, ast.FunctionDef):
                _check_def(stmt)
                functions[stmt.name] = stmt
            elif isinstance(stmt, ast.Expr) and _is_check_call(stmt.value, functions, bound):
                call = stmt.value
                assert isinstance(call, ast.Call) and isinstance(call.func, ast.Name)
                target = call.args[0]
                assert isinstance(target, ast.Name)
                check = functions[call.func.id]
                param = check.args.args[0].arg
                for inner in check.body:
                    _statement(inner, {param: target.id}, bound | {param}, calls)
            else:
                _statement(stmt, {}, bound, calls)
    except (_Unplanned, RecursionError):
        pass
    return calls


def _statement(stmt: ast.stmt, callees: dict[str, str], bound: set[str], out: list[Call]) -> None:
    """Add what `stmt` asks the program; _Unplanned if that is not certain from its text.

    `callees` maps the check function's parameter to the program's name; at
    top level (empty) a call of any name the tests do not bind is a call of
    the program's global of that name (the checker makes sure it is one).
    """
    if isinstance(stmt, (ast.Pass, ast.Import, ast.ImportFrom)):
        return
    if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant):
        return  # a docstring
    if (
        not callees
        and isinstance(stmt, ast.Assign)
        and all(isinstance(t, ast.Name) for t in stmt.targets)
        and _literal(stmt.value)
    ):
        return
    if isinstance(stmt, ast.Assert) and (stmt.msg is None or isinstance(stmt.msg, ast.Constant)):
        found: list[ast.Call] = []
        _expression(stmt.test, callees, bound, found, conditional=False)
        if len(found) == 1:
            call = found[0]
            assert isinstance(call.func, ast.Name)
            name = callees.get(call.func.id, call.func.id)
            args = [ast.literal_eval(a) for a in call.args]
            kwargs = {str(k.arg): ast.literal_eval(k.value) for k in call.keywords}
            out.append((name, args, kwargs))
            return
    raise _Unplanned


def _expression(
    node: ast.AST,
    callees: dict[str, str],
    bound: set[str],
    found: list[ast.Call],
    conditional: bool,
) -> None:
    """Find the one call of the program in `node`; _Unplanned if anything else could ask it."""
    if isinstance(node, ast.Constant):
        return
    if isinstance(node, ast.Call):
        func = node.func
        if isinstance(func, ast.Name) and _is_program(func.id, callees, bound):
            if conditional or found or not _literal_call(node):
                raise _Unplanned
            found.append(node)
            return
        if isinstance(func, ast.Name):
            if func.id not in SAFE_BUILTINS or func.id in bound:
                raise _Unplanned
        elif not (
            isinstance(func, ast.Attribute) and _holds_call(func.value, found, callees, bound)
        ):
            raise _Unplanned
        else:
            _expression(func.value, callees, bound, found, conditional)
        for arg in [*node.args, *(k.value for k in node.keywords)]:
            _expression(
                arg.value if isinstance(arg, ast.Starred) else arg,
                callees,
                bound,
                found,
                conditional,
            )
        return
    if isinstance(node, (ast.Attribute, ast.Subscript)):
        # Only of the result (plain data by the time the tests see it), never of another name.
        if not _holds_call(node.value, found, callees, bound):
            raise _Unplanned
        _expression(node.value, callees, bound, found, conditional)
        if isinstance(node, ast.Subscript):
            _expression(node.slice, callees, bound, found, conditional)
        return
    if isinstance(node, ast.BoolOp):
        _expression(node.values[0], callees, bound, found, conditional)
        for value in node.values[1:]:
            _expression(value, callees, bound, found, True)
        return
    if isinstance(node, ast.Compare):
        _expression(node.left, callees, bound, found, conditional)
        _expression(node.comparators[0], callees, bound, found, conditional)
        for value in node.comparators[1:]:
            _expression(value, callees, bound, found, True)
        return
    if isinstance(node, ast.IfExp):
        _expression(node.test, callees, bound, found, conditional)
        _expression(node.body, callees, bound, found, True)
        _expression(node.orelse, callees, bound, found, True)
        return
    if isinstance(node, ast.BinOp):
        children: list[ast.AST] = [node.left, node.right]
    elif isinstance(node, ast.UnaryOp):
        children = [node.operand]
    elif isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        children = list(node.elts)
    elif isinstance(node, ast.Dict):
        if any(key is None for key in node.keys):
            raise _Unplanned  # `{**x}`
        children = [*(k for k in node.keys if k is not None), *node.values]
    elif isinstance(node, ast.Slice):
        children = [c for c in (node.lower, node.upper, node.step) if c is not None]
    else:
        raise _Unplanned  # a name, a lambda, a comprehension, an f-string, a walrus...
    for child in children:
        _expression(child, callees, bound, found, conditional)


def _holds_call(
    node: ast.AST, found: list[ast.Call], callees: dict[str, str], bound: set[str]
) -> bool:
    """Whether `node` is the program's call or an attribute/item/method chain on its result."""
    while True:
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name):
                return _is_program(func.id, callees, bound)
            if not isinstance(func, ast.Attribute):
                return False
            node = func.value
        elif isinstance(node, (ast.Attribute, ast.Subscript)):
            node = node.value
        else:
            return False


def _is_program(name: str, callees: dict[str, str], bound: set[str]) -> bool:
    if callees:
        return name in callees
    return name not in bound and name not in SAFE_BUILTINS and not hasattr(builtins, name)


def _literal_call(node: ast.Call) -> bool:
    return all(not isinstance(a, ast.Starred) and _literal(a) for a in node.args) and all(
        k.arg is not None and _literal(k.value) for k in node.keywords
    )


def _literal(node: ast.AST) -> bool:
    try:
        ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return False
    return True


def _check_def(func: ast.FunctionDef) -> None:
    """A function the tests define: nothing of it may run when it is defined but literals."""
    args = func.args
    every = [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]
    if func.decorator_list or func.returns is not None:
        raise _Unplanned
    if any(a is not None and a.annotation is not None for a in every):
        raise _Unplanned
    if not all(_literal(d) for d in [*args.defaults, *(d for d in args.kw_defaults if d)]):
        raise _Unplanned


def _is_check_call(node: ast.AST, functions: dict[str, ast.FunctionDef], bound: set[str]) -> bool:
    """`check(NAME)`: a function of the tests with one parameter, given a name they never bind."""
    if not (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in functions
        and len(node.args) == 1
        and not node.keywords
        and isinstance(node.args[0], ast.Name)
    ):
        return False
    check = functions[node.func.id]
    args = check.args
    one = len(args.args) == 1 and not (args.posonlyargs or args.kwonlyargs)
    name = node.args[0].id
    return (
        one
        and args.vararg is None
        and args.kwarg is None
        and name not in bound
        and not hasattr(builtins, name)
        and args.args[0].arg not in bound
        and node.func.id not in bound
    )


def _bound_names(tree: ast.Module) -> set[str] | None:
    """Every name the tests bind anywhere, but parameters and the top-level defs seen once.

    A name defined by two top-level defs counts as bound (which one runs
    depends on order). None if the tests name `builtins` at all: they could
    change what every name the plan relies on means.
    """
    out: set[str] = set()
    defs: dict[str, int] = {}
    for stmt in tree.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            defs[stmt.name] = defs.get(stmt.name, 0) + 1
    top = {id(s) for s in tree.body}
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            if node.id in _BUILTINS_MODULE:
                return None
            if not isinstance(node.ctx, ast.Load):
                out.add(node.id)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in (
                _BUILTINS_MODULE
            ):
                return None
            for alias in node.names:
                if alias.name.split(".")[0] in _BUILTINS_MODULE:
                    return None
                out.add((alias.asname or alias.name).split(".")[0])
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            if id(node) not in top:
                out.add(node.name)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            out.update(node.names)
        elif isinstance(node, (ast.ExceptHandler, ast.MatchAs, ast.MatchStar)) and node.name:
            out.add(node.name)
        elif isinstance(node, ast.MatchMapping) and node.rest:
            out.add(node.rest)
    out.update(name for name, count in defs.items() if count > 1)
    return out


_BUILTINS_MODULE = ("builtins", "__builtins__")
