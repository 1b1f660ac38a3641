"""Guard rails of the GraphQL endpoint: what a request may ask, checked before it runs.

Each request is validated with graphql-core's specified rules plus three of ours:

- ``PageArgumentsRule``: ``limit`` (and ``perPage``) at most grapple's
  ``MAX_PAGE_SIZE`` and no negative ``limit``, ``offset``, ``perPage`` or
  ``page``. Grapple would clamp a large limit silently, ignore a negative
  literal (its ``PositiveInt`` turns it into null) and fail inside Django's
  slicing on a negative variable; the contract says the caller gets an error.
- ``QueryBudgetRule``: a maximum depth (``GRAPHQL_MAX_DEPTH``) and a maximum
  estimated cost (``GRAPHQL_MAX_COST``). A field costs 1, multiplied by the
  size of every list it sits in: the list's ``limit`` (or ``perPage``), or
  grapple's ``PAGE_SIZE`` when the list has none. So
  ``pages(limit: 100) { title children { title } }`` costs
  1 + 100 + 100 + 100 × 20 = 2,201. A page of results that is not itself a
  list (``services(limit: 50) { totalCount items { … } }``) gives its limit to
  the lists directly inside it. Root fields also cost the work they do
  before returning anything (``ROOT_WORK``: a search or listing is a unit of
  real work, whatever is selected), and so do introspection (``__schema``,
  ``__type``) and Wagtail search arguments, wherever they appear; aliases and
  repeated root fields each count.
- ``RequestLimitsRule``: at most ``GRAPHQL_MAX_ROOT_FIELDS`` root fields and
  ``GRAPHQL_MAX_ALIASES`` aliases; introspection only for signed-in callers
  when ``GRAPHQL_ANONYMOUS_INTROSPECTION`` is off; every argument sane before
  any engine sees it: ids numeric, ``order`` one of the documented orders of
  its type (grapple would pass any ORM path, user columns included, to
  ``order_by``), strings without NUL or other control characters or lone
  surrogates and of bounded length, lists of bounded length, input objects
  of bounded nesting, ``offset + limit`` within the result window.

The rules read the request's variables, so ``limit: $n`` is checked like a
literal; a rule class is therefore made per request (``validation_rules``).
``check_variables`` applies the same string, list and nesting limits to the
variables themselves, used by an argument or not.

Introspection's one expensive shape, nested ``fields { type { fields … } }``,
is refused by graphql-core's ``MaxIntrospectionDepthRule`` among the
specified rules, so GraphiQL's introspection query passes although it nests
15 fields deep; it costs ``INTROSPECTION_COST`` per ``__schema``.

graphene's ``depth_limit_validator`` is not used: it raises (a KeyError, a
RecursionError) on an unknown fragment or a fragment cycle, which the
specified rules would otherwise report as ordinary validation errors.
"""

import re

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext
from graphql import (
    FieldNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLID,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLString,
    InlineFragmentNode,
    OperationType,
    VariableNode,
    get_named_type,
    get_nullable_type,
    is_list_type,
    parse,
    specified_rules,
    type_from_ast,
    value_from_ast_untyped,
)
from graphql.pyutils import Undefined
from graphql.validation import ValidationRule
from grapple.settings import grapple_settings

from cms import deadline

# Arguments that size a list, and arguments that position it.
SIZE_ARGUMENTS = ("limit", "perPage")
POSITION_ARGUMENTS = ("offset", "page")


# The work a root field does before anything is selected, in cost units (a
# field of one item costs 1): searches and listings query an engine and count,
# single lookups resolve locales and translations. Unlisted root fields cost 10.
# Measured (scripts/bench_worst_query.py, PostgreSQL + Elasticsearch, 2 cores):
# a search answers in 100–400 ms, so the budget admits five to eight of them.
ROOT_WORK = {
    "services": 3_000,
    "locations": 3_000,  # a services search, then one query for their locations
    "siteSearch": 3_500,
    "search": 3_500,
    "pages": 200,
    "documents": 100,
    "images": 100,
    "translationStatus": 3_000,
    "service": 200,
    "page": 100,
    "favouriteLists": 50,
    "favouriteList": 50,
    "sharedFavouriteList": 50,
    # Reads every visible service with its terms, then ranks them.
    "recommendations": 3_000,
    "questionnaires": 100,
    "questionnaire": 50,
}
DEFAULT_ROOT_WORK = 10
# Work per item beyond its fields: a site-search hit loads its page or document
# and cuts an excerpt (about 4 ms each, measured).
ITEM_WORK = {"SearchHit": 40}
# Wagtail search on a listing (``searchQuery``), wherever the field is.
SEARCH_ARGUMENT_WORK = 3_000
# One ``__schema`` is the whole schema serialised (about 600 KB of JSON).
INTROSPECTION_COST = {"__schema": 5_000, "__type": 100}

# The orders grapple's ``order`` argument accepts, by the type the field lists.
ORDERS = {
    "page": ("id", "title", "slug", "path", "first_published_at", "last_published_at"),
    "DocumentObjectType": ("id", "title", "created_at"),
    "ImageObjectType": ("id", "title", "created_at", "width", "height"),
    "CollectionObjectType": ("id", "name", "path"),
    "TagObjectType": ("id", "name", "slug"),
    "SiteObjectType": ("id", "hostname", "site_name"),
}
SEARCH_TEXT_ARGUMENTS = ("query", "searchQuery")
# Control characters other than tab, line feed and carriage return.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")
ID_PATTERN = re.compile(r"[0-9]{1,18}")  # database ids fit in 63 bits
# The code argument errors carry, as the favourites' own errors do.
BAD_USER_INPUT = {"code": "BAD_USER_INPUT"}


def validation_rules(variables=None, user=None):
    """The validation rules for one request with these (raw JSON) variables, by this caller."""
    variables = variables if isinstance(variables, dict) else {}
    bound = {"variables": variables}
    signed_in = bool(user is not None and user.is_authenticated)
    return (
        *specified_rules,
        type("PageArgumentsRule", (PageArgumentsRule,), bound),
        type("QueryBudgetRule", (QueryBudgetRule,), bound),
        type("RequestLimitsRule", (RequestLimitsRule,), {**bound, "signed_in": signed_in}),
    )


def _text_problem(text, maximum):
    """What is wrong with a string a caller sent, or None."""
    if CONTROL_CHARACTERS.search(text):
        return gettext("must not contain NUL or other control characters")
    if LONE_SURROGATE.search(text):
        return gettext("must be valid Unicode (it contains a lone surrogate)")
    if len(text) > maximum:
        return gettext("is longer than %(maximum)d characters") % {"maximum": maximum}
    return None


def value_problems(value, where, string_maximum=None, depth=0):
    """Problems of a value a caller sent (a variable or an argument), as messages."""
    string_maximum = string_maximum or settings.GRAPHQL_MAX_STRING
    if depth > settings.GRAPHQL_MAX_INPUT_DEPTH:
        return [
            gettext("%(where)s is nested deeper than %(maximum)d levels.")
            % {"where": where, "maximum": settings.GRAPHQL_MAX_INPUT_DEPTH}
        ]
    if isinstance(value, str):
        problem = _text_problem(value, string_maximum)
        return [f"{where} {problem}."] if problem else []
    if isinstance(value, list):
        if len(value) > settings.GRAPHQL_MAX_LIST:
            return [
                gettext("%(where)s has %(count)d values; at most %(maximum)d are allowed.")
                % {"where": where, "count": len(value), "maximum": settings.GRAPHQL_MAX_LIST}
            ]
        problems = []
        for item in value:
            problems += value_problems(item, where, string_maximum, depth + 1)
        return problems[:1]
    if isinstance(value, dict):
        problems = []
        for key, item in value.items():
            problems += value_problems(key, where, string_maximum, depth + 1)
            problems += value_problems(item, f"{where}.{key}", string_maximum, depth + 1)
        return problems[:1]
    return []


def document_problem(query):
    """A GraphQLError when the query text cannot be parsed within bounds, else None.

    graphql-core's parser is recursive and unbounded by default: ten thousand
    nested braces exhaust Python's stack, and a million tokens take seconds.
    So the text is parsed here with a token limit (``GRAPHQL_MAX_TOKENS``)
    first, after refusing characters no GraphQL document needs and text longer
    than ``GRAPHQL_MAX_QUERY_LENGTH`` (the lexer reads a million characters of
    comment one at a time, for seconds).
    """
    if problem := _text_problem(query, settings.GRAPHQL_MAX_QUERY_LENGTH):
        return GraphQLError(gettext("The query text %(problem)s.") % {"problem": problem})
    try:
        parse(query, max_tokens=settings.GRAPHQL_MAX_TOKENS)
    except GraphQLError as error:
        return error
    except RecursionError:
        return GraphQLError(gettext("The query is nested too deeply to read."))
    return None


def check_variables(variables):
    """GraphQL errors for variables no argument could accept (before anything runs)."""
    if not isinstance(variables, dict):
        return []
    problems = []
    for name, value in variables.items():
        problems += value_problems(value, f"${name}")
    return [GraphQLError(problem, extensions=BAD_USER_INPUT) for problem in problems[:5]]


def _integer(value):
    return isinstance(value, int) and not isinstance(value, bool)


class _ArgumentValues:
    """Integer values of arguments, whether written literally or passed as variables."""

    def __init__(self, document, variables):
        self.variables = variables
        # A variable left out of the request takes its declared default.
        self.defaults = {
            definition.variable.name.value: definition.default_value
            for operation in document.definitions
            for definition in getattr(operation, "variable_definitions", None) or ()
            if definition.default_value is not None
        }

    def integer(self, value_node):
        if isinstance(value_node, VariableNode):
            name = value_node.name.value
            if name in self.variables:
                value = self.variables[name]
            elif name in self.defaults:
                value = value_from_ast_untyped(self.defaults[name])
            else:
                return None
        else:
            value = value_from_ast_untyped(value_node)
        return value if _integer(value) else None

    def of(self, field_node, names):
        """The field's integer arguments among ``names``, as {name: value}."""
        values = {}
        for argument in field_node.arguments or ():
            if argument.name.value in names:
                value = self.integer(argument.value)
                if value is not None:
                    values[argument.name.value] = value
        return values


class PageArgumentsRule(ValidationRule):
    """Page sizes within grapple's maximum; no negative sizes or positions."""

    variables = {}

    def __init__(self, context):
        super().__init__(context)
        self.values = _ArgumentValues(context.document, self.variables)

    def enter_field(self, node, *_args):
        field = self.context.get_field_def()
        if field is None:
            return
        names = [name for name in (*SIZE_ARGUMENTS, *POSITION_ARGUMENTS) if name in field.args]
        maximum = grapple_settings.MAX_PAGE_SIZE
        for name, value in self.values.of(node, names).items():
            parts = {"field": node.name.value, "argument": name, "value": value}
            if value < 0:
                message = gettext("%(field)s: %(argument)s must not be negative (got %(value)d).")
            elif name in SIZE_ARGUMENTS and value > maximum:
                message = gettext(
                    "%(field)s: %(argument)s %(value)d exceeds the maximum page size of "
                    "%(maximum)d; page through the results with offset."
                )
                parts["maximum"] = maximum
            else:
                continue
            message %= parts
            self.report_error(GraphQLError(message, node))


class QueryBudgetRule(ValidationRule):
    """Refuses an operation nested deeper or estimated costlier than the settings allow.

    The cost of a selection is linear in the size of the lists around it, so
    each fragment is measured once (per page size it may inherit) and scaled
    wherever it is spread: the estimate stays linear in the document even
    when fragments spread fragments many times over.
    """

    variables = {}

    def __init__(self, context):
        super().__init__(context)
        self.schema = context.schema
        self.values = _ArgumentValues(context.document, self.variables)
        self.fragments = {}  # (name, page size) → (cost, depth)
        self.entered = set()

    def enter_operation_definition(self, node, *_args):
        root = {
            OperationType.QUERY: self.schema.query_type,
            OperationType.MUTATION: self.schema.mutation_type,
            OperationType.SUBSCRIPTION: self.schema.subscription_type,
        }[node.operation]
        cost, depth = self.measure(node.selection_set, root)
        max_depth, max_cost = settings.GRAPHQL_MAX_DEPTH, settings.GRAPHQL_MAX_COST
        if depth > max_depth:
            self.report_error(
                GraphQLError(
                    gettext("Query depth %(depth)d exceeds the maximum depth of %(maximum)d.")
                    % {"depth": depth, "maximum": max_depth},
                    node,
                )
            )
        if cost > max_cost:
            self.report_error(
                GraphQLError(
                    gettext(
                        "Query cost %(cost)s exceeds the maximum cost of %(maximum)s. Each "
                        "field costs 1, multiplied by the limit of every list it is in (a list "
                        "without a limit counts as %(page_size)d), and searches, listings and "
                        "introspection add the work they do: ask for fewer items, fewer nested "
                        "lists or fewer aliases."
                    )
                    % {
                        "cost": number_format(cost, force_grouping=True),
                        "maximum": number_format(max_cost, force_grouping=True),
                        "page_size": grapple_settings.PAGE_SIZE,
                    },
                    node,
                )
            )

    def measure(self, selection_set, parent_type, page_size=None):
        """(cost, depth) of a selection set outside any list.

        ``page_size`` is the limit of the field that holds the selection when
        that field is not itself a list but a page of results (``services``,
        ``siteSearch``): its lists (``items``) are that long.
        """
        cost = depth = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                field_cost, field_depth = self.measure_field(selection, parent_type, page_size)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                fragment_type = type_from_ast(self.schema, condition) if condition else None
                field_cost, field_depth = self.measure(
                    selection.selection_set, fragment_type or parent_type, page_size
                )
            elif isinstance(selection, FragmentSpreadNode):
                field_cost, field_depth = self.measure_fragment(selection.name.value, page_size)
            else:  # pragma: no cover - the language has no other selection
                continue
            cost += field_cost
            depth = max(depth, field_depth)
        return cost, depth

    def measure_field(self, node, parent_type, page_size):
        name = node.name.value
        if name in INTROSPECTION_COST:
            return INTROSPECTION_COST[name], 0
        work = 0
        if parent_type is self.schema.query_type:
            work = ROOT_WORK.get(name, DEFAULT_ROOT_WORK)
        if any(argument.name.value == "searchQuery" for argument in node.arguments or ()):
            work += SEARCH_ARGUMENT_WORK
        cost, depth = self._measure_field(node, parent_type, page_size)
        return work + cost, depth

    def _measure_field(self, node, parent_type, page_size):
        field = None
        if isinstance(parent_type, (GraphQLObjectType, GraphQLInterfaceType)):
            field = parent_type.fields.get(node.name.value)
        if field is None or node.selection_set is None:
            return 1, 1
        inner_type = get_named_type(field.type)
        limit = self.limit(node, field)
        if is_list_type(get_nullable_type(field.type)):
            # Grapple treats a missing or zero limit as its default page size.
            size = limit or page_size or grapple_settings.PAGE_SIZE
            inner_cost, inner_depth = self.measure(node.selection_set, inner_type)
            inner_cost += ITEM_WORK.get(inner_type.name, 0)
        else:
            size = 1
            inner_cost, inner_depth = self.measure(node.selection_set, inner_type, limit)
        return 1 + size * inner_cost, 1 + inner_depth

    def limit(self, node, field):
        """The field's positive size argument, if it has one."""
        sizes = self.values.of(node, [name for name in SIZE_ARGUMENTS if name in field.args])
        size = max(sizes.values(), default=0)
        return size if size > 0 else None

    def measure_fragment(self, name, page_size):
        key = (name, page_size)
        if key in self.fragments:
            return self.fragments[key]
        fragment = self.context.get_fragment(name)
        if fragment is None or name in self.entered:
            # Unknown fragments and cycles are reported by the specified rules.
            return 0, 0
        self.entered.add(name)
        fragment_type = type_from_ast(self.schema, fragment.type_condition)
        self.fragments[key] = self.measure(fragment.selection_set, fragment_type, page_size)
        self.entered.discard(name)
        return self.fragments[key]


class RequestLimitsRule(ValidationRule):
    """Bounds on the request's shape and on every argument value (see the module docstring)."""

    variables = {}
    signed_in = False

    def __init__(self, context):
        super().__init__(context)
        self.values = _ArgumentValues(context.document, self.variables)
        self.aliases = 0
        self.reported_aliases = False

    def enter_operation_definition(self, node, *_args):
        roots = self._root_fields(node.selection_set, set())
        maximum = settings.GRAPHQL_MAX_ROOT_FIELDS
        if len(roots) > maximum:
            self.report_error(
                GraphQLError(
                    gettext(
                        "The request asks for %(count)d root fields; at most %(maximum)d are "
                        "allowed in one request (aliases count)."
                    )
                    % {"count": len(roots), "maximum": maximum},
                    node,
                )
            )

    def _root_fields(self, selection_set, seen):
        fields = []
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                if selection.name.value != "__typename":
                    fields.append(selection)
            elif isinstance(selection, InlineFragmentNode):
                fields += self._root_fields(selection.selection_set, seen)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.context.get_fragment(name)
                if fragment is not None and name not in seen:
                    seen.add(name)
                    fields += self._root_fields(fragment.selection_set, seen)
        return fields

    def enter_field(self, node, *_args):
        if node.alias is not None:
            self.aliases += 1
            maximum = settings.GRAPHQL_MAX_ALIASES
            if self.aliases > maximum and not self.reported_aliases:
                self.reported_aliases = True
                self.report_error(
                    GraphQLError(
                        gettext("The request has more than %(maximum)d aliases.")
                        % {"maximum": maximum},
                        node,
                    )
                )
        name = node.name.value
        anonymous_introspection = settings.GRAPHQL_ANONYMOUS_INTROSPECTION
        if name in INTROSPECTION_COST and not (self.signed_in or anonymous_introspection):
            self.report_error(
                GraphQLError(gettext("Introspection is available to signed-in callers."), node)
            )
        field = self.context.get_field_def()
        if field is None or not node.arguments:
            return
        self._check_arguments(node, field)

    def _check_arguments(self, node, field):
        name = node.name.value
        for argument in node.arguments:
            definition = field.args.get(argument.name.value)
            if definition is None:
                continue  # reported by the specified rules
            where = f"{name}: {argument.name.value}"
            value = value_from_ast_untyped(argument.value, self.variables)
            maximum = (
                settings.GRAPHQL_MAX_SEARCH_TEXT
                if argument.name.value in SEARCH_TEXT_ARGUMENTS
                else None
            )
            problems = value_problems(value, where, maximum)
            if not problems and get_named_type(definition.type) is GraphQLID:
                problems = self._id_problems(value, where)
            is_text = get_named_type(definition.type) is GraphQLString
            if not problems and argument.name.value == "order" and is_text:
                problems = self._order_problems(value, where, field)
            for problem in problems:
                self.report_error(GraphQLError(problem, argument, extensions=BAD_USER_INPUT))
        positions = self.values.of(node, [*SIZE_ARGUMENTS, *POSITION_ARGUMENTS])
        window = positions.get("offset", 0) + positions.get("limit", 0)
        if window > settings.GRAPHQL_MAX_RESULT_WINDOW:
            self.report_error(
                GraphQLError(
                    gettext(
                        "%(field)s: offset + limit must be at most %(maximum)s; narrow the "
                        "search instead of paging this deep."
                    )
                    % {
                        "field": name,
                        "maximum": number_format(
                            settings.GRAPHQL_MAX_RESULT_WINDOW, force_grouping=True
                        ),
                    },
                    node,
                )
            )

    @staticmethod
    def _id_problems(value, where):
        values = value if isinstance(value, list) else [value]
        for item in values:
            if item is None or item is Undefined:  # null, or a variable not sent
                continue
            if isinstance(item, bool) or not ID_PATTERN.fullmatch(str(item)):
                return [
                    gettext("%(where)s must be a numeric id (at most 18 digits).")
                    % {"where": where}
                ]
        return []

    def _order_problems(self, value, where, field):
        named = get_named_type(field.type)
        kind = "page" if named.name == "PageInterface" or self._is_page(named) else named.name
        allowed = ORDERS.get(kind, ("id",))
        for part in value.split(","):
            if part.strip().removeprefix("-") not in allowed:
                return [
                    gettext("%(where)s must be one of %(allowed)s, each optionally with '-'.")
                    % {"where": where, "allowed": ", ".join(allowed)}
                ]
        return []

    def _is_page(self, named):
        interface = self.context.schema.get_type("PageInterface")
        return interface is not None and interface in getattr(named, "interfaces", ())


class DeadlineMiddleware:
    """Graphene middleware: a root field that has not started by the deadline does not start.

    Only root fields are checked (the path has no parent), so the cost is one
    clock read per root field; PostgreSQL and Elasticsearch bound the time a
    started field can take (cms.deadline).
    """

    def resolve(self, next_, root, info, **kwargs):
        if info.path.prev is None and deadline.expired():
            raise deadline.DeadlineExceeded()
        return next_(root, info, **kwargs)
