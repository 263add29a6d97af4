"""The one Jinja environment of Word templates: sandboxed, strict, escaping, with our filters.

Built-in templates and the templates authorities upload go through the same environment, so
there is a single set of rules to document and to test:

* **Escaping.** ``autoescape=True``: ``&``, ``<``, ``>`` and quotes in a clause become XML
  entities instead of breaking ``document.xml`` (docxtpl's default is off).
* **Strict.** :class:`jinja2.StrictUndefined`: a misspelt variable is an error that names it,
  never a silent blank in a tender document.
* **Sandboxed.** An :class:`~jinja2.sandbox.ImmutableSandboxedEnvironment` with a short list of
  filters, no global functions, and method calls limited to harmless ones on texts, lists and
  dicts; a template cannot reach Python internals, change the context or read files.
* **Bounded.** A template cannot make rendering run away: no macros, includes, ``set``,
  ``with``, recursive loops or ``autoescape`` blocks (:func:`policy_violations`), at most
  :data:`MAX_LOOP_DEPTH` nested loops, at most :data:`MAX_ITERATIONS` loop turns per
  rendering, at most :data:`MAX_OUTPUT_CHARS` of output per document part, and ``*``, ``**``
  and ``%`` cannot build huge values. Together these bound the work a template of a given size
  can ask for, which the Jinja sandbox alone does not (its documentation says so).

Filters take the document language from the ``lang`` variable that
:func:`portal.documents.render.render_docx` always sets (never from the web request).
"""

from __future__ import annotations

import contextlib
import hashlib
import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from decimal import Decimal
from typing import Any

from jinja2 import StrictUndefined, Template, nodes, pass_context
from jinja2.exceptions import SecurityError, TemplateSyntaxError
from jinja2.filters import FILTERS
from jinja2.runtime import Context, LoopContext
from jinja2.sandbox import ImmutableSandboxedEnvironment

from portal.documents.formatting import format_date, format_money, format_number, format_percent

#: Most loops a template may nest (clauses > paragraphs needs 2; the templates use at most 2).
MAX_LOOP_DEPTH = 4
#: Most loop turns in one rendering of a document; a 60-clause, 10-lot document needs ~1,500.
MAX_ITERATIONS = 200_000
#: Most characters one document part (body, header...) may render to: 64 MB of XML.
MAX_OUTPUT_CHARS = 64 * 1024 * 1024
#: Longest text or list that ``*`` may build.
MAX_REPEAT = 10_000
#: Compiled templates kept in memory, by the hash of their source.
CACHE_SIZE = 32

#: Name of the internal filter wrapped around every loop's sequence to count its turns.
GUARD_FILTER = "clausier_loop_guard"

#: Built-in filters a template may use: none of them can build a large value from a small one.
#: Left out: ``batch``, ``slice``, ``center``, ``indent``, ``wordwrap``, ``format`` and
#: ``replace`` (sizes or repetition chosen by the template), ``safe`` (would bypass escaping
#: and let a value inject XML), ``random``, ``urlize``, ``xmlattr``, ``tojson``, ``pprint``.
SAFE_BUILTIN_FILTERS = (
    "abs",
    "attr",
    "capitalize",
    "count",
    "d",
    "default",
    "dictsort",
    "e",
    "escape",
    "filesizeformat",
    "first",
    "float",
    "groupby",
    "int",
    "items",
    "join",
    "last",
    "length",
    "list",
    "lower",
    "map",
    "max",
    "min",
    "reject",
    "rejectattr",
    "reverse",
    "round",
    "select",
    "selectattr",
    "sort",
    "string",
    "striptags",
    "sum",
    "title",
    "trim",
    "truncate",
    "unique",
    "upper",
    "wordcount",
)

#: Our filters, with what they do (the help page lists them).
DOCUMENT_FILTERS = ("money", "number", "percent", "date")

#: Methods a template may call on plain values; any other method is refused.
SAFE_METHODS: dict[type, frozenset[str]] = {
    str: frozenset(
        {
            "upper",
            "lower",
            "title",
            "capitalize",
            "strip",
            "lstrip",
            "rstrip",
            "startswith",
            "endswith",
            "isdigit",
        }
    ),
    dict: frozenset({"keys", "values", "items", "get"}),
    list: frozenset({"index", "count"}),
    tuple: frozenset({"index", "count"}),
}

#: Template constructs that are refused, with the words the error messages use.
FORBIDDEN_NODES: dict[type[nodes.Node], str] = {
    nodes.Macro: "macro",
    nodes.CallBlock: "call",
    nodes.Import: "import",
    nodes.FromImport: "from ... import",
    nodes.Include: "include",
    nodes.Extends: "extends",
    nodes.Block: "block",
    nodes.Assign: "set",
    nodes.AssignBlock: "set",
    nodes.With: "with",
    nodes.ScopedEvalContextModifier: "autoescape",
    nodes.EvalContextModifier: "autoescape",
}


class _Budget:
    """Loop turns left in the current rendering."""

    __slots__ = ("left",)

    def __init__(self, turns: int) -> None:
        self.left = turns


_BUDGET: ContextVar[_Budget | None] = ContextVar("clausier_docx_budget", default=None)


@pass_context  # also keeps Jinja's optimizer from calling it at compile time
def _loop_guard(ctx: Context, sequence: Iterable[Any]) -> Iterator[Any]:
    budget = _BUDGET.get()
    if budget is None:
        # Rendering outside render_guard() would run without a limit: refuse instead.
        raise SecurityError("Word templates render only through portal.documents")
    for item in sequence:
        budget.left -= 1
        if budget.left < 0:
            raise SecurityError("the template repeats its loops too many times")
        yield item


def _lang(ctx: Context) -> str:
    return str(ctx.resolve_or_missing("lang") or "fr")


@pass_context
def _money(ctx: Context, value: Any, cents: bool | None = None) -> str:
    return format_money(value, _lang(ctx), cents)


@pass_context
def _number(ctx: Context, value: Any, digits: int | None = None) -> str:
    return format_number(value, _lang(ctx), digits)


@pass_context
def _percent(ctx: Context, value: Any) -> str:
    return format_percent(value, _lang(ctx))


@pass_context
def _date(ctx: Context, value: Any, form: str = "long") -> str:
    return format_date(value, _lang(ctx), form)


def policy_violations(tree: nodes.Template) -> list[tuple[int, str]]:
    """Return ``(line, message)`` for every construct the policy refuses in a parsed template."""
    problems: list[tuple[int, str]] = []
    for node_type, word in FORBIDDEN_NODES.items():
        for node in tree.find_all(node_type):
            problems.append((node.lineno, f"“{{% {word} %}}” is not allowed in Word templates"))
    for loop in tree.find_all(nodes.For):
        if loop.recursive:
            problems.append((loop.lineno, "recursive loops are not allowed in Word templates"))

    def depth(node: nodes.Node, level: int) -> None:
        for child in node.iter_child_nodes():
            inner = level + 1 if isinstance(child, nodes.For) else level
            if inner > MAX_LOOP_DEPTH:
                problems.append(
                    (child.lineno, f"more than {MAX_LOOP_DEPTH} nested loops are not allowed")
                )
                continue
            depth(child, inner)

    depth(tree, 0)
    return sorted(problems)


class DocumentEnvironment(ImmutableSandboxedEnvironment):
    """The sandboxed Jinja environment of every Word template (see the module docstring)."""

    intercepted_binops = frozenset({"*", "**", "%"})

    def __init__(self) -> None:
        super().__init__(autoescape=True, undefined=StrictUndefined, auto_reload=False)
        self.globals.clear()
        self.filters = {name: FILTERS[name] for name in SAFE_BUILTIN_FILTERS}
        self.filters.update(
            money=_money,
            number=_number,
            percent=_percent,
            date=_date,
            **{GUARD_FILTER: _loop_guard},
        )
        self._compiled: OrderedDict[bytes, Template] = OrderedDict()
        self._lock = threading.Lock()

    # -- sandbox rules -------------------------------------------------------------------------

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        """Allow data attributes, and methods only from :data:`SAFE_METHODS`."""
        if not super().is_safe_attribute(obj, attr, value):
            return False
        if isinstance(obj, LoopContext) or not callable(value):
            return True
        for kind, allowed in SAFE_METHODS.items():
            if isinstance(obj, kind):
                return attr in allowed
        return False

    def wrap_str_format(self, value: Any) -> None:
        """Refuse ``str.format``: a format width can build a huge text."""
        return None

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        """Compute ``*``, ``**`` and ``%`` unless they would build a huge value."""
        if operator == "%" and isinstance(left, str):
            raise SecurityError("the % operator on texts is not allowed; use the filters")
        if operator == "**" and abs(_as_number(right)) > 64:
            raise SecurityError("powers above 64 are not allowed")
        if operator == "*":
            for seq, count in ((left, right), (right, left)):
                if (
                    isinstance(seq, str | list | tuple)
                    and isinstance(count, int)
                    and len(seq) * max(count, 0) > MAX_REPEAT
                ):
                    raise SecurityError(f"“*” may not build more than {MAX_REPEAT} items")
        return super().call_binop(context, operator, left, right)

    # -- output and loop limits ---------------------------------------------------------------

    @staticmethod
    def concat(chunks: Iterable[str]) -> str:  # type: ignore[override]
        """Join rendered chunks, stopping at :data:`MAX_OUTPUT_CHARS`."""
        parts: list[str] = []
        size = 0
        for chunk in chunks:
            size += len(chunk)
            if size > MAX_OUTPUT_CHARS:
                raise SecurityError("the template renders too much text")
            parts.append(chunk)
        return "".join(parts)

    def _generate(
        self,
        source: nodes.Template,
        name: str | None,
        filename: str | None,
        defer_init: bool = False,
    ) -> str:
        # Jinja's documented hook between parsing and code generation: refuse what the policy
        # forbids and make every loop count its turns against the rendering's budget.
        for lineno, message in policy_violations(source):
            raise TemplateSyntaxError(message, lineno, name, filename)
        for loop in source.find_all(nodes.For):
            guarded = nodes.Filter(loop.iter, GUARD_FILTER, [], [], None, None, lineno=loop.lineno)
            guarded.set_environment(self)
            loop.iter = guarded
        return super()._generate(source, name, filename, defer_init=defer_init)

    def from_string(  # type: ignore[override]
        self, source: str | nodes.Template, globals: Any = None, template_class: Any = None
    ) -> Template:
        """Compile a template once per distinct source (docxtpl compiles on every rendering)."""
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        key = hashlib.sha256(source.encode("utf-8", "surrogatepass")).digest()
        with self._lock:
            cached = self._compiled.get(key)
            if cached is not None:
                self._compiled.move_to_end(key)
                return cached
        compiled = super().from_string(source)
        with self._lock:
            self._compiled[key] = compiled
            while len(self._compiled) > CACHE_SIZE:
                self._compiled.popitem(last=False)
        return compiled

    @contextlib.contextmanager
    def render_guard(self, turns: int | None = None) -> Iterator[None]:
        """Give the renderings inside the block one shared budget of loop turns."""
        token = _BUDGET.set(_Budget(MAX_ITERATIONS if turns is None else turns))
        try:
            yield
        finally:
            _BUDGET.reset(token)


def _as_number(value: Any) -> Decimal:
    try:
        return Decimal(str(value))
    except ArithmeticError:
        return Decimal(0)


#: The environment every Word template renders in.
ENVIRONMENT = DocumentEnvironment()
