"""A walk over the whole GraphQL schema: every root field, every field below it.

``walk(arguments, user)`` builds queries that select every field of each root
field's type a few levels deep, with argument values from ``arguments``,
sends them to /graphql/ through Django's test client, and returns the
responses with helpers to look for marker words, delivered objects, and
malformed answers (server errors, "Internal error", tracebacks). The
visibility probe (tests/cms/test_visibility.py) uses it to show that hidden
content never reaches a caller; scripts can use it to probe a database the
same way.
"""

import json
from dataclasses import dataclass, field

from django.test import Client
from graphql import (
    get_named_type,
    is_abstract_type,
    is_leaf_type,
    is_nullable_type,
    is_required_argument,
)

# Levels of fields in a walk query, the root field being the first; the
# endpoint's depth limit (GRAPHQL_MAX_DEPTH) is well above.
PROBE_DEPTH = 5
# Where a field takes a ``limit``: grapple's maximum page size, so that
# nothing the fixture holds is left past the first page.
PROBE_LIMIT = 100


class Literal(str):
    """An argument value written into the query as is (an enum list, an input object)."""


# Arguments that go with another wherever a field takes both: grapple ANDs
# the words of a ``searchQuery`` unless told otherwise, which would make the
# search for every marker at once find nothing.
COMPANIONS = {"searchQuery": {"searchOperator": Literal("OR")}}


def _literal(value):
    if isinstance(value, Literal):
        return str(value)
    if isinstance(value, int):
        return str(value)
    return json.dumps(str(value))


@dataclass
class Run:
    """One call of a root field, under an alias of its own."""

    root_field: str
    alias: str
    arguments: dict

    def __str__(self):
        written = ", ".join(f"{key}: {_literal(value)}" for key, value in self.arguments.items())
        return f"{self.root_field}({written})" if written else self.root_field


class SchemaWalk:
    """Queries that select every field of each root field's type, PROBE_DEPTH levels deep.

    A field gets ``limit: PROBE_LIMIT`` where it takes a limit; a field with a
    required argument is left out below the root (and remembered). An
    interface or union is selected through an inline fragment on each of its
    possible types, and a field that sibling fragments select in different
    shapes is aliased, which keeps the query valid.

    A type is expanded once along each path (all page types counting as one):
    where it recurs, only its leaf fields are selected. The objects it leads
    to there are reached, and expanded, from the root fields themselves; going
    on (page → children → children → …) would multiply the work by the size
    of the tree at each level without reaching anything new.

    Selections are named fragments, shared by every place they recur. The
    calls of a root field that returns a nullable value share one query (one
    parse and validation); a non-null root field gets a query per call, since
    an error in one call would null the data of all of them.

    ``arguments(argument, kind)`` gives the values to try for a root field's
    argument, ``kind`` being "page" or the name of the type the field returns.
    """

    def __init__(self, arguments):
        from grapple.schema import schema

        self.schema = schema.graphql_schema
        page_interface = self.schema.get_type("PageInterface")
        self.page_types = {
            page_type.name for page_type in self.schema.get_possible_types(page_interface)
        } | {page_interface.name}
        self.arguments = arguments
        self.unfilled = set()  # "Type.field" left out for a required argument
        self._fragments = {}  # (type, levels, expanded) → fragment name
        self._definitions = {}  # fragment name → (definition, fragments it spreads)

    def kind(self, graphql_type):
        named = get_named_type(graphql_type)
        return "page" if named.name in self.page_types else named.name

    def queries(self):
        """[(runs, query)] covering every root field; and the root fields not walked."""
        queries, unwalked = [], set()
        for name, root_field in self.schema.query_type.fields.items():
            argument_sets = self._argument_sets(root_field)
            if argument_sets is None:
                unwalked.add(name)
                continue
            runs = [
                Run(name, f"{name}_{index}", arguments)
                for index, arguments in enumerate(argument_sets)
            ]
            named = get_named_type(root_field.type)
            selection = definitions = ""
            if not is_leaf_type(named):
                fragment = self.fragment(named, PROBE_DEPTH - 1)
                selection, definitions = f"{{ ...{fragment} }}", self.definitions(fragment)
            groups = [runs] if is_nullable_type(root_field.type) else [[run] for run in runs]
            for group in groups:
                calls = " ".join(f"{run.alias}: {run} {selection}" for run in group)
                queries.append((group, f"{{ {calls} }}\n{definitions}"))
        return queries, unwalked

    def _argument_sets(self, root_field):
        """A base set (required arguments, limit), then one set per other value to try."""
        kind = self.kind(root_field.type)
        values = {
            name: list(self.arguments(name, kind)) for name in root_field.args if name != "limit"
        }
        required = [name for name, arg in root_field.args.items() if is_required_argument(arg)]
        if any(not values.get(name) for name in required):
            return None
        base = {name: values[name][0] for name in required}
        if "limit" in root_field.args:
            base["limit"] = PROBE_LIMIT
        sets = [base]
        for name, options in values.items():
            for value in options:
                if base.get(name) != value:
                    companions = {
                        key: companion
                        for key, companion in COMPANIONS.get(name, {}).items()
                        if key in root_field.args
                    }
                    sets.append({**base, name: value, **companions})
        return sets

    def fragment(self, graphql_type, levels, expanded=frozenset()):
        """The name of a fragment on a composite type, spanning ``levels`` levels of fields."""
        if not is_abstract_type(graphql_type) and self.kind(graphql_type) in expanded:
            levels = 1
        if levels == 1:
            expanded = frozenset()  # leaf fields only, wherever the type recurs
        key = (graphql_type.name, levels, expanded)
        if key not in self._fragments:
            name = self._fragments[key] = f"{graphql_type.name}{levels}_{len(self._fragments)}"
            parts, uses = ["__typename"], set()
            members = [graphql_type]
            if is_abstract_type(graphql_type):
                members = sorted(self.schema.get_possible_types(graphql_type), key=str)
            shapes = {}
            for member in members:
                fields = []
                for field_name, shape, text, used in self._fields(member, levels, expanded):
                    if shapes.setdefault(field_name, shape) != shape:
                        text = f"{field_name}_{member.name}: {text}"
                    fields.append(text)
                    uses |= used
                if member is graphql_type:
                    parts += fields
                else:
                    parts.append(f"... on {member.name} {{ __typename {' '.join(fields)} }}")
            definition = f"fragment {name} on {graphql_type.name} {{ {' '.join(parts)} }}"
            self._definitions[name] = (definition, uses)
        return self._fragments[key]

    def definitions(self, name):
        """The definitions of a fragment and of every fragment it spreads."""
        found, pending = {}, [name]
        while pending:
            current = pending.pop()
            if current not in found:
                found[current], uses = self._definitions[current]
                pending += uses
        return "\n".join(found[key] for key in sorted(found))

    def _fields(self, object_type, levels, expanded):
        """(name, shape, text, fragments spread) of the fields selected on an object type."""
        kind = self.kind(object_type)
        if kind in expanded:
            levels = 1
        expanded = expanded | {kind}
        for name, object_field in object_type.fields.items():
            if any(is_required_argument(arg) for arg in object_field.args.values()):
                self.unfilled.add(f"{object_type.name}.{name}")
                continue
            text = f"{name}(limit: {PROBE_LIMIT})" if "limit" in object_field.args else name
            used = set()
            named = get_named_type(object_field.type)
            if not is_leaf_type(named):
                if levels == 1:
                    continue
                fragment = self.fragment(named, levels - 1, expanded)
                text += f" {{ ...{fragment} }}"
                used.add(fragment)
            yield name, (str(object_field.type), text), text, used


@dataclass
class Response:
    """The answer to one walk query."""

    runs: list
    query: str
    text: str
    body: dict = field(repr=False)

    def failed(self, run):
        data = self.body.get("data") or {}
        errors = self.body.get("errors", [])
        return data.get(run.alias) is None and any(
            (error.get("path") or [None])[0] == run.alias for error in errors
        )

    def shows(self, marker):
        """Whether the raw response holds the marker, other than in an echo of an argument.

        An error message may quote what the caller sent, such as a slug with a
        marker in it; the caller knew that already.
        """
        text = self.text
        if "errors" in self.body:
            sent = [
                str(value)
                for run in self.runs
                for value in run.arguments.values()
                if isinstance(value, str)
            ]
            errors = []
            for error in self.body["errors"]:
                message = error.get("message", "")
                for value in sent:
                    message = message.replace(value, "")
                errors.append({**error, "message": message})
            text = json.dumps({**self.body, "errors": errors})
        return marker.lower() in text.lower()

    def where(self, marker):
        """JSON paths of the strings that hold the marker (for failure messages)."""
        found = []

        def visit(value, path):
            if isinstance(value, dict):
                for key, item in value.items():
                    visit(item, (*path, key))
            elif isinstance(value, list):
                for index, item in enumerate(value):
                    visit(item, (*path, index))
            elif isinstance(value, str) and marker.lower() in value.lower():
                found.append(".".join(map(str, path)))

        visit(self.body, ())
        return found

    def delivered(self, page_types):
        """(kind, id) of every page and document in the response."""
        found = set()

        def visit(value):
            if isinstance(value, dict):
                typename = value.get("__typename")
                kind = "page" if typename in page_types else None
                kind = "document" if typename == "DocumentObjectType" else kind
                for key, item in value.items():
                    if kind and (key == "id" or key.startswith("id_")) and item is not None:
                        found.add((kind, str(item)))
                    visit(item)
            elif isinstance(value, list):
                for item in value:
                    visit(item)

        visit(self.body.get("data"))
        return found


@dataclass
class Walk:
    responses: list
    unwalked: set
    unfilled: set
    page_types: set
    malformed: list  # server errors, internal errors, stack traces, invalid queries

    @property
    def always_failing(self):
        outcomes = {}
        for response in self.responses:
            for run in response.runs:
                outcomes.setdefault(run.root_field, []).append(response.failed(run))
        return {name for name, failed in outcomes.items() if all(failed)}

    def showing(self, marker):
        return [response for response in self.responses if response.shows(marker)]

    def leaks(self, markers):
        """'marker in root field → JSON paths' for each response that shows a marker."""
        return [
            f"{marker} in {response.runs[0].root_field} → {response.where(marker)[:5]}"
            for marker in markers
            for response in self.showing(marker)
        ]

    def delivered(self):
        """(kind, id) → the first root field call that delivered it."""
        found = {}
        for response in self.responses:
            for item in response.delivered(self.page_types):
                found.setdefault(item, ", ".join(str(run) for run in response.runs)[:200])
        return found


def walk(arguments, user=None):
    """Run every walk query against /graphql/ as ``user`` (anonymous when None) and note
    malformed answers; ``arguments(argument, kind)`` gives the values to try.

    An error that names a problem with a synthesised argument is fine; a
    server error, an "Internal error" or a traceback is not, and neither is a
    validation error, which would mean the walk wrote an invalid query.
    """
    client = Client()
    if user is not None:
        client.force_login(user)
    walker = SchemaWalk(arguments)
    queries, unwalked = walker.queries()
    responses, malformed = [], []
    for runs, query in queries:
        response = client.post(
            "/graphql/", data=json.dumps({"query": query}), content_type="application/json"
        )
        text = response.content.decode()
        body = json.loads(text) if response.status_code == 200 else {}
        errors = body.get("errors", [])
        by_alias = {run.alias: run for run in runs}
        internal = [
            error
            for error in errors
            if error.get("message", "").startswith("Internal error") and error.get("path")
        ]
        for error in internal:
            run = by_alias[error["path"][0]]
            malformed.append(f"{run} → Internal error at {error['path']}")
        unaddressed = [error for error in errors if not error.get("path")]
        if (
            response.status_code != 200
            or unaddressed
            or "Traceback" in text
            or ("Internal error" in text and not internal)
        ):
            malformed.append(f"{query[:150]} → {response.status_code} {text[:300]}")
        responses.append(Response(runs, query, text, body))
    return Walk(responses, unwalked, walker.unfilled, walker.page_types, malformed)
